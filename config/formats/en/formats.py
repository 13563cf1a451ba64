"""Dates in English pages: ISO 8601, unambiguous for every reader."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "m-d H:i"
MONTH_DAY_FORMAT = "m-d"
TIME_FORMAT = "H:i"
