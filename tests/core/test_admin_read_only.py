"""The Django admin shows the records the application writes through its services, and changes
none of them: even a superuser's change there would go around the rules (a tester raised a
published year's checklist item from 8 to 20 points in the admin, and the confirmed checks'
scores followed). Users, categories and training kinds stay editable there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assessment.models import ChecklistItem, Rectification, SpotCheck
from core.admin import WrittenInTheApp
from core.models import Year
from tests.assessment.conftest import checklist, inspector_b, spot_check  # noqa: F401
from training.models import Attendee, Training
from units.models import Unit, UnitCategory

READ_ONLY = [ChecklistItem, SpotCheck, Rectification, Training, Attendee, Unit, Year]
EDITABLE = [UnitCategory]


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.gov.cn", "x")
    client.force_login(user)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_a_record_the_app_writes_cannot_be_added_in_the_admin(superuser, model):
    assert isinstance(admin.site.get_model_admin(model), WrittenInTheApp)
    assert superuser.get(url(model, "add")).status_code == 403
    assert superuser.post(url(model, "add"), {}).status_code == 403


def test_a_checklist_item_in_use_is_shown_but_not_changed_or_deleted(superuser, spot_check):  # noqa: F811
    item = spot_check.checklist.sections.first().items.first()
    page = superuser.get(url(ChecklistItem, "change", item.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    posted = {"text": item.text, "max_points": "20", "section": item.section_id}
    assert superuser.post(url(ChecklistItem, "change", item.pk), posted).status_code == 403
    assert superuser.post(url(ChecklistItem, "delete", item.pk), {"post": "yes"}).status_code == 403
    item.refresh_from_db()
    assert item.max_points != 20
    # its history is still there to read
    assert superuser.get(url(SpotCheck, "history", spot_check.pk)).status_code == 200


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_what_only_the_admin_manages_stays_editable(superuser, model):
    assert not isinstance(admin.site.get_model_admin(model), WrittenInTheApp)
    assert superuser.get(url(model, "add")).status_code == 200


def test_a_past_version_cannot_be_saved_back_from_the_admins_history(superuser, spot_check):  # noqa: F811
    """django-simple-history's version page saved a posted form after checking only the right
    to view: a tester set a published year's confirmed check back to 计划中, 0.00."""
    spot_check.summary = "原始"
    spot_check.save()
    version = spot_check.history.first()
    page = url(SpotCheck, "simple_history", spot_check.pk, version.history_id)
    assert superuser.get(page).status_code == 200
    posted = {"summary": "HACKED", "status": "planned", "unit": spot_check.unit_id, "_save": "1"}
    assert superuser.post(page, posted).status_code == 403
    spot_check.refresh_from_db()
    assert spot_check.summary == "原始"


def test_a_refused_post_is_logged_as_one_line_without_a_traceback(superuser):
    """A 403 is the app refusing, not failing: its log line must not look like a 500's."""
    import io
    import logging

    (console,) = [handler for handler in logging.getLogger().handlers if handler.filters]
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        assert superuser.post(url(Year, "add"), {"year": "2026"}).status_code == 403
    finally:
        console.setStream(previous)
    assert written.getvalue() == "Forbidden (Permission denied): /admin/core/year/add/\n"
