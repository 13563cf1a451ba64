from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from core.editions import EditionFormMixin
from core.forms import BoundedFieldsMixin
from core.tabular import clean_name, clean_phone, fold
from units.matching import clash_message, name_clashes, names_in_use, unit_texts
from units.models import Unit, canonical_code, split_aliases


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is incorrect. Please try again; both are case-sensitive."
        ),
        "inactive": _("This account is disabled. Please contact the system administrator."),
    }


class ChangePasswordForm(PasswordChangeForm):
    """Django's form says what is wrong with a new password under its confirmation; here it
    stands under the new password itself (trial 7), and a mismatch under the confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        if not self.has_error("new_password2"):
            self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class UnitForm(EditionFormMixin, BoundedFieldsMixin, forms.ModelForm):
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
        unit = self.instance
        if self.is_bound and unit.pk and unit.is_active and not self.data.get("is_active"):
            self._ask_before_leaving_the_ranking()

    def _ask_before_leaving_the_ranking(self):
        """Disabling a unit takes it out of every open year's ranking: when it has data there,
        the form asks to confirm, saying what (trial 6: 市审计局 left 2026 with a confirmed
        check, trained people and indicator values, without a word)."""
        from units.services import data_in_open_years

        kept = data_in_open_years(self.instance)
        if kept:
            self.fields["confirm_leaving"] = forms.BooleanField(
                label=_("Disable it anyway: it leaves the ranking of these years"),
                help_text=kept,
                error_messages={
                    "required": _(
                        "The unit has data in a year not yet published; confirm that it "
                        "leaves that year's ranking."
                    )
                },
            )

    def clean_name(self):
        name = self.cleaned_data["name"]
        self._refuse_names_of_other_units([name])
        return name

    def clean_contact_name(self):
        return clean_name(fold(self.cleaned_data["contact_name"]))

    def clean_contact_phone(self):
        return clean_phone(fold(self.cleaned_data["contact_phone"]))

    def clean_short_name(self):
        short_name = self.cleaned_data["short_name"]
        self._refuse_names_of_other_units([short_name])
        return short_name

    def clean_code(self):
        code = canonical_code(self.cleaned_data["code"])
        if code:
            self._refuse_names_of_other_units([code])
        return code

    def clean_aliases(self):
        aliases = self.cleaned_data["aliases"]
        self._refuse_names_of_other_units(split_aliases(aliases))
        return aliases

    def _refuse_names_of_other_units(self, texts):
        """The rule the unit import applies too (units.importers._check_names)."""
        taken = names_in_use((unit.pk, unit.name, unit_texts(unit)) for unit in Unit.objects.all())
        clashes = name_clashes(texts, taken, own=self.instance.pk)
        if clashes:
            raise forms.ValidationError([clash_message(text, unit) for text, unit in clashes])

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        ancestor = parent
        while ancestor is not None and self.instance.pk:
            if ancestor.pk == self.instance.pk:
                raise forms.ValidationError(_("A unit cannot be placed under its own sub-unit."))
            ancestor = ancestor.parent
        return parent
