"""The preview → confirm step every importer shares.

An upload is read and checked, and what was read is kept in the user's session under the
importer's key with a random token; the preview page shows it and carries the token in its
confirm form. Confirm only accepts the token of the preview the user is looking at: a newer
upload (another tab), an import already done or an expired session makes the token stale, and
the user is told so instead of importing something they did not see. A token confirms once,
even when two confirms arrive together: a file with errors, or one refused at confirm, is
uploaded again for a new preview.
"""

import secrets
from dataclasses import asdict

from django.core.cache import cache
from django.utils.translation import gettext as _

from core.tabular import Table

_PREFIX = "import:"
CONFIRMED_FOR = 24 * 60 * 60  # seconds a used token is remembered (longer than a session)


def keep(request, key, data):
    """Keep `data` (JSON-serialisable) as the current preview of `key`; returns its token."""
    token = secrets.token_urlsafe(16)
    request.session[_PREFIX + key] = {"token": token, "data": data}
    return token


def kept(request, key):
    """(token, data) of the current preview of `key`, or (None, None)."""
    stored = request.session.get(_PREFIX + key)
    if not isinstance(stored, dict):
        return None, None
    return stored.get("token"), stored.get("data")


def confirmed(request, key):
    """The data of the preview whose token the confirm form posted, else None (stale token)."""
    token, data = kept(request, key)
    posted = request.POST.get("token", "")
    # as bytes: compare_digest refuses str that is not ASCII, and the post may be anything
    if token is None or not secrets.compare_digest(str(token).encode(), posted.encode()):
        return None
    # a token confirms once: a double click sends two requests that both still see it in the
    # session (it is saved at the end of a request); the cache lets only the first through
    if not cache.add(f"import-confirmed:{token}", True, timeout=CONFIRMED_FOR):
        return None
    return data


def drop(request, key):
    request.session.pop(_PREFIX + key, None)


def stale_message():
    return _(
        "This preview is out of date: it was already imported, a newer file was uploaded, or "
        "the session expired. Nothing was imported; upload the file again."
    )


GOOD_ROWS_LISTED = 200


def listed_rows(rows, has_problem):
    """The rows a preview lists, and how many it leaves out: every row with a problem (an
    error or a warning) and the first GOOD_ROWS_LISTED others. Listing all 49,000 rows of a
    big file made a 13.5 MB page that took 25 s."""
    listed, good = [], 0
    for row in rows:
        if has_problem(row):
            listed.append(row)
        elif good < GOOD_ROWS_LISTED:
            listed.append(row)
            good += 1
    return listed, len(rows) - len(listed)


def table_data(table):
    """A `core.tabular.Table` as session data."""
    return asdict(table)


def table_from(data):
    return Table(
        rows=[(int(number), dict(cells)) for number, cells in data["rows"]],
        header_row=data["header_row"],
        headers=data["headers"],
        columns=data["columns"],
        notes=data.get("notes", []),
        sheet_name=data.get("sheet_name", ""),
    )
