from django.contrib import admin
from django.core.exceptions import PermissionDenied

from core.models import Year


class WrittenInTheApp:
    """For the admin of records the application writes through its services, which keep the
    rules: a published year's lock, a confirmed check, a checklist in use, a training's
    seats, a unit's names. The admin shows them (and their history) but adds, changes and
    deletes nothing: writing them here went around every rule (a tester raised a published
    year's item from 8 to 20 points, and the confirmed checks' scores changed with it)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page of a past version saves the form posted to it after
        checking only the right to view (a tester rewrote a published year's confirmed check
        through it): here it only shows."""
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Year)
class YearAdmin(WrittenInTheApp, admin.ModelAdmin):
    list_display = ["year", "note"]
    search_fields = ["year", "note"]
