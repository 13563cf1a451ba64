from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, Preference
from notifications.services import retry_failed_emails


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Where an administrator sees what was sent to whom and which e-mails fail (filter by
    e-mail status; the last error is on each row)."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "email_status",
        "email_attempts",
        "email_error",
        "read_at",
    ]
    list_filter = ["email_status", "kind", "created_at"]
    search_fields = ["recipient__username", "dedupe_key", "email_error"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry_email"]

    @admin.action(description=_("Try the e-mail again"))
    def retry_email(self, request, queryset):
        count = retry_failed_emails(queryset)
        self.message_user(request, _("%(count)d e-mails will be tried again.") % {"count": count})

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled"]
    list_filter = ["email_enabled"]
    search_fields = ["user__username"]
