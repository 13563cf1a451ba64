"""Pages of the demo city on a phone, in English (longer words) and Chinese: only a table
scrolls inside its own box, never the page (trial 7), and the ranking shows unit names whole."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.models import SamplingRound, SpotCheck
from tests.e2e.helpers import PHONE
from tests.e2e.test_first_journey import log_in


@pytest.fixture
def demo_city(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def phone_pages():
    drawn = SamplingRound.objects.filter(status="drawn").order_by("pk").first()
    checked = SpotCheck.objects.filter(status=SpotCheck.Status.CONFIRMED).order_by("pk").first()
    return [
        reverse("assessment:scheme"),
        reverse("assessment:adjustments"),
        reverse("assessment:round_detail", args=[drawn.pk]),
        reverse("assessment:unit_history", args=[checked.unit_id]),
        reverse("assessment:ranking"),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_admin_pages_do_not_scroll_sideways_on_a_phone(page, demo_city, language):
    log_in(page, "admin", password="Demo@2026")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.set_viewport_size(PHONE)
    for url in phone_pages():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide in {language}"


def test_the_ranking_on_a_phone_leaves_unit_names_uncovered(page, demo_city):
    log_in(page, "leader", password="Demo@2026")
    page.set_viewport_size(PHONE)
    page.goto(reverse("assessment:ranking"))
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('.ranking-table tbody tr')].filter(row => {
            const unit = row.querySelector('td.sticky-start').getBoundingClientRect();
            const final = row.querySelector('td.sticky-end').getBoundingClientRect();
            return unit.right > final.left && final.right > unit.left;
        }).length"""
    )
    assert overlaps == 0
