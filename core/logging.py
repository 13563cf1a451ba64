"""Logging filters (config/settings.py LOGGING)."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403) is logged as the one line Django writes for it, without the
    PermissionDenied traceback: a refusal is the app working, and full tracebacks for them
    buried the 500s someone reading the log is looking for."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
