from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedFieldsMixin


class PreferenceForm(BoundedFieldsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Notifications are e-mailed to this address."),
    )
    email_enabled = forms.BooleanField(
        label=_("Also send my notifications by e-mail"),
        required=False,
        help_text=_("They always appear under the bell in the navigation bar."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email_enabled") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the address the e-mails should go to."))
        return cleaned
