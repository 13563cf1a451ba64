from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedFieldsMixin
from units.matching import alias_clashes, names_in_use
from units.models import Unit, split_aliases


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is incorrect. Please try again; both are case-sensitive."
        ),
        "inactive": _("This account is disabled. Please contact the system administrator."),
    }


class UnitForm(BoundedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "aliases",
            "code",
            "category",
            "parent",
            "sort_order",
            "is_active",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.select_related("category")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_aliases(self):
        aliases = self.cleaned_data["aliases"]
        clashes = alias_clashes(
            split_aliases(aliases), names_in_use(Unit.objects.all()), own_pk=self.instance.pk
        )
        if clashes:
            raise forms.ValidationError(
                [
                    _("“%(alias)s” already names the unit “%(unit)s”.")
                    % {"alias": alias, "unit": unit}
                    for alias, unit in clashes
                ]
            )
        return aliases

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        ancestor = parent
        while ancestor is not None and self.instance.pk:
            if ancestor.pk == self.instance.pk:
                raise forms.ValidationError(_("A unit cannot be placed under its own sub-unit."))
            ancestor = ancestor.parent
        return parent
