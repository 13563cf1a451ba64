"""core.tables: date columns that format in Python print what the stock ones print."""

from datetime import UTC, date, datetime
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.urls import reverse
from django.utils import translation

from assessment.tables import SpotCheckTable
from core import tables as core_tables
from training.tables import AttendeeTable

ROWS = [
    {
        "id": 1,
        "name": "<b>甲街道</b>",
        "score": Decimal("95.50"),
        "plain": 12345,
        "local": Decimal("12345.6"),
        "day": date(2026, 3, 1),
        "when": datetime(2026, 3, 1, 23, 30, tzinfo=UTC),  # 07:30 on 2 March in Shanghai
        "note": None,
        "flag": True,
        "blank": "",
    },
    {
        "id": 2,
        "name": "乙局 & 丙",
        "score": Decimal("59.99"),
        "plain": 7,
        "local": 1000,
        "day": None,
        "when": None,
        "note": "迟到",
        "flag": False,
        "blank": "<i>有</i>",
    },
]


class StockDates(tables.Table):
    day = tables.DateColumn()
    long_day = tables.DateColumn(short=False, accessor="day")
    custom = tables.DateColumn(format="Y年n月j日", accessor="day")
    when = tables.DateTimeColumn()
    long_when = tables.DateTimeColumn(short=False, accessor="when")


class OurDates(tables.Table):
    day = core_tables.DateColumn()
    long_day = core_tables.DateColumn(short=False, accessor="day")
    custom = core_tables.DateColumn(format="Y年n月j日", accessor="day")
    when = core_tables.DateTimeColumn()
    long_when = core_tables.DateTimeColumn(short=False, accessor="when")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_columns_print_what_the_template_columns_print(language):
    with translation.override(language):
        ours = [list(row) for row in OurDates(ROWS).rows]
        stock = [list(row) for row in StockDates(ROWS).rows]
        exported = list(OurDates(ROWS).as_values())
        stock_exported = list(StockDates(ROWS).as_values())
    assert ours == stock
    # exports: dates as the stock column writes them; times in Shanghai to the minute, where
    # the stock column writes the stored UTC time ("2026-03-01 23:30:00+00:00")
    assert [row[:3] for row in exported] == [row[:3] for row in stock_exported]
    assert [row[3:] for row in exported] == [
        stock_exported[0][3:],  # the headers
        ["2026-03-02 07:30", "2026-03-02 07:30"],
        ["—", "—"],
    ]
    assert stock_exported[1][3] == "2026-03-01 23:30:00+00:00"
    assert "2026年3月1日" in ours[0] and ours[1][0] == "—"


def test_date_fields_of_models_get_the_python_date_columns():
    assert type(SpotCheckTable.base_columns["date"]) is core_tables.DateColumn
    assert type(AttendeeTable.base_columns["checked_in_at"]) is core_tables.DateTimeColumn


@pytest.mark.parametrize("per_page", ["-1", "0", "99999999999999999999"])
def test_a_page_size_from_the_query_string_is_kept_within_bounds(client_for, personas, per_page):
    from tests.training.conftest import make_training
    from training.services import register_attendee

    organizer = personas["organizer"]
    training = make_training(created_by=organizer)
    for number in range(3):
        register_attendee(
            training,
            unit=personas["liaison_a"].profile.unit,
            name=f"人员{number}",
            phone=f"1380000000{number}",
            actor=organizer,
        )
    url = reverse("training:detail", args=[training.pk])
    response = client_for("organizer").get(url, {"per_page": per_page, "page": "2"})
    assert response.status_code == 200
    assert 1 <= response.context["table"].paginator.per_page <= 100
