from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.admin import WrittenInTheApp
from units.models import Unit, UnitCategory, UserProfile
from units.roles import Role
from units.services import assign_role


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


class NewUserForm(AdminUserCreationForm):
    """A new account with its role, and its unit for a liaison (trial 6: the add form had no
    role, and a liaison could be saved without a unit, seeing nothing)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.active(),
        required=False,
        help_text=_("A unit liaison's own unit; for other roles, the unit they work in, if any."),
    )

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.LIAISON and not data.get("unit"):
            self.add_error("unit", _("A unit liaison needs the unit it answers for."))
        return data


admin.site.unregister(User)


@admin.register(User)
class UnitUserAdmin(UserAdmin):
    inlines = [UserProfileInline]
    add_form = NewUserForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "role", "unit"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new user's unit is on the form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:  # the admin's hook after the new user is saved
            assign_role(form.instance, form.cleaned_data["role"], unit=form.cleaned_data["unit"])

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
