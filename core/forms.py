from django import forms
from django.utils.translation import gettext_lazy as _

from core.tabular import MAX_UPLOAD_BYTES


class SpreadsheetUploadForm(forms.Form):
    """The one upload form of every importer: a CSV or XLSX file of limited size."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, UTF-8 with BOM or GBK) or Excel .xlsx, with a header row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


# Django 6.1 labels the empty choice of a select "- Select an option -" and its own catalogue
# has no Chinese for it yet: the project's catalogue, which takes precedence, carries it.
BLANK_CHOICE_LABEL = _("- Select an option -")
