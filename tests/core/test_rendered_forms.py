"""Every page's forms render as the one field template means them to: checkbox and radio groups
are a fieldset of labelled options (never a wrapper div carrying form-check-input), and every
label points at an element that exists."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.security.test_permission_matrix import MATRIX, world  # noqa: F401 (fixture)


class FormAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.label_targets = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "form-check-input" in classes:
            self.problems.append(f"div.form-check-input id={attrs.get('id')}")
        if tag == "label" and "for" in attrs:
            self.label_targets.append(attrs["for"])

    def audit(self, html):
        self.feed(html)
        for target in self.label_targets:
            if not target or target not in self.ids:
                self.problems.append(f'label for="{target}" names no element')
        return self.problems


def audit(html):
    return FormAudit().audit(html)


def test_the_audit_finds_the_old_broken_rendering():
    broken = (
        '<div id="id_scope" class="form-check-input"><div><label for="id_scope_0">'
        '<input id="id_scope_0" type="radio"></label></div></div><label for="">范围</label>'
    )
    assert audit(broken) == ["div.form-check-input id=id_scope", 'label for="" names no element']


@pytest.mark.parametrize("persona", ["admin", "liaison_a"])
def test_no_page_renders_a_broken_checkbox_group_or_label(client_for, world, persona):  # noqa: F811
    client = client_for(persona)
    problems = {}
    for name, (key, expected_get, _post) in MATRIX.items():
        if expected_get[persona] != 200 or name.startswith("admin:"):
            continue
        response = client.get(reverse(name, kwargs=world[key] if key else None))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        found = audit(response.content.decode())
        if found:
            problems[name] = found
    assert problems == {}
