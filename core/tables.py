"""Date and datetime columns for django-tables2 that format in Python instead of rendering a
``{{ value|date }}`` template per cell (the text is the same), registered in django-tables2's
column library so that model date fields get them. ``register_columns`` runs once, from
``CoreConfig.ready``, before any table class is defined.

Every table of the project derives from ``Table`` below.
"""

import datetime

import django_tables2 as tables
from django.utils import formats, timezone
from django_tables2.columns import library


def _format_date(value, date_format):
    """What ``{{ value|date:date_format }}`` prints: local time, and "" for what is no date."""
    try:
        return formats.date_format(timezone.template_localtime(value), date_format)
    except (AttributeError, TypeError, ValueError):
        return ""


MAX_PER_PAGE = 100


class Table(tables.Table):
    """A page size taken from the query string (``?per_page=``) is kept within 1…100: a
    negative one made the paginator raise, a huge one would render every row at once."""

    def paginate(self, *args, per_page=None, **kwargs):
        if per_page is not None:
            per_page = min(max(per_page, 1), MAX_PER_PAGE)
        return super().paginate(*args, per_page=per_page, **kwargs)


class _FormattedInPython:
    """Renders with formats.date_format in Python; the format is chosen as the stock column
    chooses it."""

    short_format = long_format = None

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or (self.short_format if short else self.long_format)

    def render(self, value, bound_column):
        return _format_date(value, self.date_format) or bound_column.default


class DateColumn(_FormattedInPython, tables.DateColumn):
    short_format, long_format = "SHORT_DATE_FORMAT", "DATE_FORMAT"


class DateTimeColumn(_FormattedInPython, tables.DateTimeColumn):
    short_format, long_format = "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"

    def value(self, value, **kwargs):
        """In exports: the local time to the minute, as the page shows it (the stock column
        writes the stored UTC time in ISO form, microseconds included)."""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%d %H:%M")
        return super().value(value=value, **kwargs)


def register_columns():
    # the library picks the column registered last that accepts a field, and a DateTimeField
    # is also a DateField: DateColumn first
    for column in (DateColumn, DateTimeColumn):
        if column not in library.columns:
            library.register(column)
