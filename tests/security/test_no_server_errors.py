"""No URL answers 500 to what a user or an attacker can send.

Every URL of the project (read from the resolver, so a new page cannot escape) for every persona:
GET with garbage query values, POST with a garbage body in every field the page's forms name
(plus the parameters views read by hand), and both again with ids that do not exist or do not
fit a database integer. Garbage is negative, huge, non-numeric, impossible dates, unicode,
NUL, very long; each persona sends it in a different order, so each field meets several
values. Run it on PostgreSQL too: it enforces column lengths that SQLite ignores.
"""

import contextlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from tests.security.test_permission_matrix import MATRIX, url_names, world  # noqa: F401

PERSONAS = ["anonymous", "outsider", "liaison_a", "liaison_b", "organizer", "inspector"]
PERSONAS += ["leader", "admin"]
GARBAGE = [
    "-1",
    "99999999999999999999",
    "abc",
    "2026-02-30",
    "0001-01-01T00:00",
    "９９",
    "1e309",
    "NaN",
    "\u202e💥<script>alert(1)</script>",
    "x" * 5000,
    "",
    "a\x00b",
    "9999-12-31T23:59",
    "-0.005",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
]
# Parameters views read from the request by hand, whatever their forms say.
PARAMETERS = [
    "page", "sort", "q", "tab", "day", "year", "next", "_export", "status", "unit", "category",
    "training", "kind", "round", "checklist", "inspector", "reason", "points", "version",
    "language", "date", "decision", "action", "per_page", "month", "file",
]  # fmt: skip
BAD_IDS = [2**31, 10**20]  # past PostgreSQL's integer, past SQLite's
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*?\bname=\"([^\"]+)\"[^>]*>", re.S)
FILE_FIELD = re.compile(r"<input\b[^>]*\btype=\"file\"[^>]*\bname=\"([^\"]+)\"", re.S)


def garbage(names, offset):
    return {name: GARBAGE[(offset + i) % len(GARBAGE)] for i, name in enumerate(names)}


def form_fields(response):
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return [], []
    html = response.content.decode()
    names = sorted(set(FIELD.findall(html)) - {"csrfmiddlewaretoken"})
    return names, sorted(set(FILE_FIELD.findall(html)))


def urls_of(name, kwargs, bad_id):
    """The URL with the world's ids, then with an id that exists nowhere."""
    yield reverse(name, kwargs=kwargs)
    with contextlib.suppress(NoReverseMatch):
        yield reverse(
            name, kwargs={k: bad_id if k.endswith("pk") else v for k, v in kwargs.items()}
        )


@pytest.mark.parametrize("index, persona", enumerate(PERSONAS))
def test_no_url_answers_500_to_garbage(client_for, world, index, persona):  # noqa: F811
    client = client_for(persona)
    failures = []

    def send(method, url, data):
        try:
            response = getattr(client, method)(url, data)
        except Exception as error:  # the test client re-raises what the view raised
            failures.append(f"{method.upper()} {url}: {error!r}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url}: {response.status_code}")
        return response

    for offset, name in enumerate(url_names()):
        client = client_for(persona)  # again: the walk posts to logout
        key = MATRIX[name][0]
        bad_id = BAD_IDS[(index + offset) % len(BAD_IDS)]
        urls = list(urls_of(name, world[key], bad_id)) if key else [reverse(name)]
        fields, files = [], []
        for attempt, url in enumerate(urls):
            page = send("get", url, garbage(PARAMETERS, index + offset + attempt))
            if attempt == 0 and page is not None:
                fields, files = form_fields(page)
            body = garbage(sorted(set(fields) | set(PARAMETERS)), index * 3 + offset + attempt)
            for field in files:
                body[field] = SimpleUploadedFile("坏.xlsx", b"PK\x03\x04" + b"\x00" * 64)
            send("post", url, body)
    assert not failures, "\n".join(failures)
