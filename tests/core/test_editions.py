"""A form opened before someone else saved the record does not silently undo that save
(trial 9: a liaison's corrected phone, a unit's contact and the scheme's weights were each
put back by an older tab). The training's form has its own test in tests/training."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Indicator, Scheme
from core.models import Year
from tests.training.conftest import make_training
from training.services import register_attendee


def posted(page, **changes):
    """What the browser posts back for the page's form (and its formsets), changed."""
    data = {}
    forms = [page.context["form"]]
    if "indicators" in page.context:
        forms.append(page.context["indicators"])
    for form in forms:
        for each in [form.management_form, *form.forms] if hasattr(form, "forms") else [form]:
            for field in each:
                value = field.value()
                if value is not None:
                    data[field.html_name] = "on" if value is True else value
                if value is False:
                    del data[field.html_name]
    return data | changes


def two_tabs(user, url):
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(user)
    return first, first.get(url), second, second.get(url)


def refused(response):
    assert response.status_code == 200
    message = response.context["form"].non_field_errors()[0]
    assert "在您打开本表单之后" in message and "您的修改没有保存" in message
    return message


def test_a_units_older_form_does_not_put_back_its_contact(personas, unit_b):
    url = reverse("units:update", args=[unit_b.pk])
    order = unit_b.sort_order
    first, first_page, second, second_page = two_tabs(personas["admin"], url)
    assert first.post(url, posted(first_page, contact_name="王五")).status_code == 302
    message = refused(second.post(url, posted(second_page, sort_order=order + 7)))
    assert "联络人为“王五”" in message
    unit_b.refresh_from_db()
    assert (unit_b.contact_name, unit_b.sort_order) == ("王五", order)


def test_an_attendees_older_form_does_not_put_back_the_phone(personas, unit_a):
    training = make_training(
        created_by=personas["organizer"], start=timezone.localdate() + timezone.timedelta(days=5)
    )
    zhang = register_attendee(
        training, unit=unit_a, name="张三", phone="13800001111", actor=personas["liaison_a"]
    )
    url = reverse("training:attendee_edit", args=[training.pk, zhang.pk])
    first, first_page, second, second_page = two_tabs(personas["liaison_a"], url)
    assert first.post(url, posted(first_page, phone="13800002222")).status_code == 302
    refused(second.post(url, posted(second_page, position="科员")))
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.position) == ("13800002222", "")


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=30)
    return scheme


def test_the_schemes_older_form_does_not_put_back_its_weights(personas, scheme):
    url = reverse("assessment:scheme")
    first, first_page, second, second_page = two_tabs(personas["leader"], url)
    assert first.post(url, posted(first_page, weight_spot_checks="60")).status_code == 302
    message = refused(second.post(url, posted(second_page, band_excellent="85")))
    assert "抽查权重为“60.00”" in message
    scheme.refresh_from_db()
    assert (scheme.weight_spot_checks, scheme.band_excellent) == (60, 90)
