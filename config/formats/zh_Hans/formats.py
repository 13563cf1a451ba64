"""Dates as Chinese documents write them: 2026年11月27日, 11月27日 20:33."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
TIME_FORMAT = "H:i"
