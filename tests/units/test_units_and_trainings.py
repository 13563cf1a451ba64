"""A training still to come follows the units its scope names now; one already held keeps the
units it required (what its training component counted)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import import_token
from tests.training.conftest import make_training
from units.models import Unit


def required(training):
    return sorted(training.requirements.values_list("unit__name", flat=True))


@pytest.fixture
def trainings(personas, unit_a, unit_b):
    organizer = personas["organizer"]
    today = timezone.localdate()
    held = make_training(created_by=organizer, title="已举办", start=today - timedelta(days=10))
    coming = make_training(created_by=organizer, title="将举办", start=today + timedelta(days=10))
    assert required(held) == required(coming) == ["乙局", "甲街道"]
    return held, coming


def test_a_unit_created_disabled_or_moved_through_the_form(client_for, trainings, unit_a, unit_b):
    held, coming = trainings
    admin = client_for("admin")
    response = admin.post(
        reverse("units:create"),
        {"name": "丙镇", "category": unit_a.category_id, "sort_order": 3, "is_active": "on"},
    )
    assert response.status_code == 302
    assert required(coming) == ["丙镇", "乙局", "甲街道"]
    assert required(held) == ["乙局", "甲街道"]  # held: as it was

    edited = {"name": "乙局", "category": unit_b.category_id, "sort_order": 2}  # 启用 unticked
    assert admin.post(reverse("units:update", args=[unit_b.pk]), edited).status_code == 302
    assert required(coming) == ["丙镇", "甲街道"]
    assert required(held) == ["乙局", "甲街道"]


def test_units_imported_join_the_trainings_to_come(client_for, trainings, unit_a):
    held, coming = trainings
    admin = client_for("admin")
    csv = f"名称,类别\n丁街道,{unit_a.category.name}\n".encode("gbk")
    admin.post(reverse("units:import"), {"file": SimpleUploadedFile("units.csv", csv)})
    admin.post(reverse("units:import_confirm"), {"token": import_token(admin)})
    assert Unit.objects.filter(name="丁街道").exists()
    assert required(coming) == ["丁街道", "乙局", "甲街道"]
    assert required(held) == ["乙局", "甲街道"]


def test_editing_a_contact_changes_no_training(client_for, trainings, unit_b, monkeypatch):
    from units import services

    calls = []
    monkeypatch.setattr(services, "follow_unit_changes", lambda: calls.append(1))
    edited = {
        "name": "乙局",
        "category": unit_b.category_id,
        "sort_order": 2,
        "is_active": "on",
        "contact_name": "王五",
    }
    response = client_for("admin").post(reverse("units:update", args=[unit_b.pk]), edited)
    assert response.status_code == 302
    assert calls == []


def test_disabling_a_unit_with_data_in_an_open_year_asks_first(
    client_for, trainings, personas, unit_b
):
    """Trial 6: 市审计局, with a confirmed check, trained people and indicator values in 2026,
    was disabled with one untick and silently left the 2026 ranking."""
    from core.models import Year
    from training.services import register_attendee

    held, _coming = trainings
    Year.objects.get_or_create(year=held.year)
    for number in range(2):
        register_attendee(
            held,
            unit=unit_b,
            name=f"乙{number}",
            phone=f"1380000000{number}",
            actor=personas["organizer"],
        )
    admin = client_for("admin")
    url = reverse("units:update", args=[unit_b.pk])
    edited = {"name": "乙局", "category": unit_b.category_id, "sort_order": 2}  # 启用 unticked
    asked = admin.post(url, edited)
    assert asked.status_code == 200
    form = asked.context["form"]
    assert form.fields["confirm_leaving"].help_text == f"{held.year} 年度：2 名参训人员"
    assert form.errors["confirm_leaving"] == [
        "该单位在尚未发布的年度中有数据，请确认让它退出该年度的考核排名。"
    ]
    unit_b.refresh_from_db()
    assert unit_b.is_active
    assert admin.post(url, edited | {"confirm_leaving": "on"}).status_code == 302
    unit_b.refresh_from_db()
    assert not unit_b.is_active


def test_a_units_rename_and_move_are_in_its_change_history(client_for, unit_b, unit_a):
    """Trial 6: renaming a unit and moving it to another category (another ranking) left no
    trace of the old name, the old category, who or when."""
    admin = client_for("admin")
    edited = {
        "name": "乙局（新）",
        "category": unit_a.category_id,
        "sort_order": 2,
        "is_active": "on",
    }
    assert admin.post(reverse("units:update", args=[unit_b.pk]), edited).status_code == 302
    detail = client_for("leader").get(reverse("units:detail", args=[unit_b.pk])).content.decode()
    history_url = reverse("history", args=["unit", unit_b.pk])
    assert history_url in detail
    page = client_for("leader").get(history_url).content.decode()
    assert "名称：乙局 → 乙局（新）" in page
    assert f"类别：{unit_b.category.name} → {unit_a.category.name}" in page
    assert "admin" in page


def test_a_reopened_year_keeping_its_units_is_not_named_when_disabling(personas, unit_b):
    """Trial 10: disabling a unit asked to confirm it left 2025's ranking, but a re-opened
    year keeps the units it published (Scheme.roster)."""
    from assessment.models import Adjustment, Scheme
    from core.models import Year
    from units.services import data_in_open_years

    scheme = Scheme.objects.create(year=Year.objects.create(year=2025))
    Adjustment.objects.create(
        scheme=scheme,
        unit=unit_b,
        kind=Adjustment.Kind.BONUS,
        points=1,
        reason="x",
        entered_by=personas["leader"],
    )
    assert data_in_open_years(unit_b) == "2025 年度：1 项加减分"
    scheme.roster = [{"pk": unit_b.pk}]
    scheme.save()
    assert data_in_open_years(unit_b) == ""
