from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from core.admin import WrittenInTheApp
from units.models import Unit, UnitCategory, UserProfile


@admin.register(UnitCategory)
class UnitCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "description"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(WrittenInTheApp, admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "category", "parent", "sort_order", "is_active"]
    list_filter = ["category", "is_active"]
    list_select_related = ["category", "parent"]
    search_fields = ["name", "short_name", "aliases", "code", "contact_name"]
    autocomplete_fields = ["parent"]
    ordering = ["category__sort_order", "sort_order"]


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "phone"]
    list_filter = ["unit__category"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    autocomplete_fields = ["unit"]


admin.site.unregister(User)


@admin.register(User)
class UnitUserAdmin(UserAdmin):
    inlines = [UserProfileInline]
    list_display = ["username", "first_name", "last_name", "unit", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "profile__unit__category"]
    list_select_related = ["profile__unit"]

    def has_delete_permission(self, request, obj=None):
        # a person who leaves is made inactive, never deleted: deleting an inspector took
        # him off the confirmed spot checks he had signed, with no trace (trial 6)
        return False

    @admin.display(description=UserProfile._meta.get_field("unit").verbose_name)
    def unit(self, user):
        profile = getattr(user, "profile", None)
        return profile.unit if profile else "-"
