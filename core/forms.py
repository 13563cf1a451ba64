from django import forms
from django.utils.translation import gettext_lazy as _

from core.tabular import MAX_UPLOAD_BYTES
from core.widgets import ChineseDateInput, ChineseDateTimeInput


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


DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
DATETIME_FORMATS = [
    f"{day}{separator}{time}"
    for day in DATE_FORMATS
    for separator in (" ", "T", "")
    for time in ("%H:%M", "%H:%M:%S")
    if separator or day.endswith("日")
]


class ChineseDateField(forms.DateField):
    """A date field that reads every way of writing a date in DATE_FORMATS, in any language."""

    widget = ChineseDateInput
    input_formats = DATE_FORMATS


class ChineseDateTimeField(forms.DateTimeField):
    widget = ChineseDateTimeInput
    input_formats = DATETIME_FORMATS
