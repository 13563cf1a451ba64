from django import forms
from django.utils.translation import gettext_lazy as _

from core.tabular import MAX_UPLOAD_BYTES


class SpreadsheetUploadForm(forms.Form):
    """The one upload form of every importer: a spreadsheet file of limited size."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel (.xlsx or .xls) or CSV (UTF-8, GBK or UTF-16 text). Titles above the header, "
            "extra columns and signature rows below the table are skipped."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload
