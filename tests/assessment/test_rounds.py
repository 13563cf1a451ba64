import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessment.models import RoundChecklist, SamplingRound, SpotCheck
from assessment.services import AssessmentError
from assessment.services.rounds import draw_round
from tests.assessment.conftest import make_checklist
from tests.conftest import make_category, make_unit, make_user
from units.roles import Role


@pytest.fixture
def town_and_departments(db):
    towns = make_category("镇（街道）", sort_order=1)
    departments = make_category("市级部门", sort_order=2)
    units = [make_unit(f"镇{i}", category=towns) for i in range(4)]
    units += [make_unit(f"局{i}", category=departments) for i in range(6)]
    return towns, departments, units


def make_round(actor, checklist, categories, pool, **overrides):
    fields = {
        "name": "第一轮抽查",
        "year": 2026,
        "planned_start": date(2026, 9, 14),
        "planned_end": date(2026, 9, 25),
        "checklist": checklist,
        "sample_size": 5,
        "inspectors_per_check": 2,
        "created_by": actor,
    }
    fields.update(overrides)
    sampling_round = SamplingRound.objects.create(**fields)
    sampling_round.categories.set(categories)
    sampling_round.inspector_pool.set(pool)
    return sampling_round


def test_a_round_sized_by_a_share_draws_that_share(town_and_departments, personas):
    towns, departments, _units = town_and_departments
    inspector = personas["inspector"]
    pool = [inspector, make_user("i2", role=Role.INSPECTOR)]
    sampling_round = make_round(
        inspector,
        make_checklist(inspector),
        [towns, departments],
        pool,
        sample_size=None,
        sample_ratio=Decimal("25.00"),
    )
    draw_round(sampling_round, actor=inspector, seed="share")
    # 12 active units (the 10 above, 甲街道 and 乙局) × 25 % = 3
    assert SpotCheck.objects.filter(round=sampling_round).count() == 3


def test_draw_creates_planned_checks_with_the_category_checklist(town_and_departments, personas):
    towns, departments, units = town_and_departments
    inspector = personas["inspector"]
    bound = make_user("bound", role=Role.INSPECTOR, unit=units[0])
    pool = [inspector, bound, make_user("i3", role=Role.INSPECTOR)]
    general, for_towns = make_checklist(inspector), make_checklist(inspector, name="乡镇检查表")
    sampling_round = make_round(inspector, general, [towns, departments], pool, sample_size=12)
    RoundChecklist.objects.create(round=sampling_round, category=towns, checklist=for_towns)
    draw_round(sampling_round, actor=inspector, seed="fixed")

    checks = SpotCheck.objects.filter(round=sampling_round).select_related("unit")
    # the whole population: the 10 units above and the personas' 甲街道 and 乙局
    assert checks.count() == 12
    for check in checks:
        assert check.status == SpotCheck.Status.PLANNED
        assert check.checklist == (for_towns if check.unit.category == towns else general)
        assert check.inspectors.count() == 2
        if check.unit == units[0]:
            assert bound not in check.inspectors.all()
    sampling_round.refresh_from_db()
    assert (sampling_round.seed, sampling_round.algorithm_version) == ("fixed", 1)
    assert len(sampling_round.population) == 12


def test_round_can_leave_out_units_of_recent_rounds(town_and_departments, personas):
    towns, departments, _units = town_and_departments
    inspector = personas["inspector"]
    pool = [inspector, make_user("i2", role=Role.INSPECTOR)]
    checklist = make_checklist(inspector)
    first = make_round(inspector, checklist, [towns, departments], pool, sample_size=4)
    draw_round(first, actor=inspector, seed="a")
    second = make_round(
        inspector,
        checklist,
        [towns, departments],
        pool,
        name="第二轮",
        exclude_recent_rounds=1,
        sample_size=6,
    )
    draw_round(second, actor=inspector, seed="b")
    first_units = set(first.spot_checks.values_list("unit", flat=True))
    second_units = set(second.spot_checks.values_list("unit", flat=True))
    assert not first_units & second_units
    assert len(first_units | second_units) == 10  # 4 + 6 of the 12


def test_draw_is_refused_when_the_pool_cannot_staff_it(personas):
    inspector = personas["inspector"]
    zone = make_category("开发区")
    only_unit = make_unit("经济开发区管委会", category=zone)
    # two inspectors, one of them bound to the only unit of the population
    bound = make_user("bound", role=Role.INSPECTOR, unit=only_unit)
    sampling_round = make_round(
        inspector, make_checklist(inspector), [zone], [inspector, bound], sample_size=1
    )
    with pytest.raises(AssessmentError) as refused:
        draw_round(sampling_round, actor=inspector)
    assert refused.value.code == "unit_unstaffed"
    assert "经济开发区管委会" in refused.value.message
    sampling_round.refresh_from_db()
    assert sampling_round.status == SamplingRound.Status.DRAFT
    assert not SpotCheck.objects.exists()


def test_verify_round_redraws_identically_and_detects_tampering(town_and_departments, personas):
    towns, departments, _units = town_and_departments
    inspector = personas["inspector"]
    pool = [inspector, make_user("i2", role=Role.INSPECTOR), make_user("i3", role=Role.INSPECTOR)]
    sampling_round = make_round(inspector, make_checklist(inspector), [towns, departments], pool)
    draw_round(sampling_round, actor=inspector)
    output = io.StringIO()
    call_command("verify_round", sampling_round.pk, stdout=output)
    assert "verified" in output.getvalue()

    sampling_round.refresh_from_db()
    tampered = sampling_round.result
    tampered[0][0] = next(u for u in sampling_round.population if u != tampered[0][0])
    SamplingRound.objects.filter(pk=sampling_round.pk).update(result=tampered)
    with pytest.raises(CommandError):
        call_command("verify_round", sampling_round.pk, stdout=io.StringIO())


def test_round_pages_and_the_draw_through_the_client(town_and_departments, personas, client_for):
    towns, _departments, _units = town_and_departments
    inspector = personas["inspector"]
    pool = [inspector, make_user("i2", role=Role.INSPECTOR)]
    sampling_round = make_round(inspector, make_checklist(inspector), [towns], pool, sample_size=2)
    client = client_for("inspector")
    assert (
        client.post(reverse("assessment:round_draw", args=[sampling_round.pk])).status_code == 302
    )
    page = client.get(sampling_round.get_absolute_url())
    assert len(page.context["rows"]) == 2
    export = client.get(sampling_round.get_absolute_url(), {"_export": "csv"})
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 1 + 2
    assert (
        client_for("leader")
        .post(reverse("assessment:round_draw", args=[sampling_round.pk]))
        .status_code
        == 403
    )


def test_public_notice_pdf_names_the_units_and_inspectors_but_not_the_seed(
    town_and_departments, personas, client_for
):
    from pypdf import PdfReader

    towns, _departments, _units = town_and_departments
    inspector = personas["inspector"]
    second = make_user("i2", role=Role.INSPECTOR, first_name="检查员乙")
    sampling_round = make_round(
        inspector, make_checklist(inspector), [towns], [inspector, second], sample_size=2
    )
    draw_round(sampling_round, actor=inspector, seed="notice-seed")
    response = client_for("leader").get(
        reverse("assessment:round_notice", args=[sampling_round.pk])
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    drawn = SpotCheck.objects.filter(round=sampling_round).select_related("unit")
    for expected in [
        "第一轮抽查",
        "双随机",
        "检查员乙",
        *[c.unit.name for c in drawn],
    ]:
        assert expected in text, expected
    # the redraw is for inspectors, on the round page, not for the public
    assert "notice-seed" not in text


def test_asking_for_more_units_than_the_population_has_says_so(
    town_and_departments, personas, client_for
):
    towns, _departments, _units = town_and_departments
    inspector = personas["inspector"]
    pool = [inspector, make_user("i2", role=Role.INSPECTOR)]
    sampling_round = make_round(inspector, make_checklist(inspector), [towns], pool, sample_size=20)
    response = client_for("inspector").post(
        reverse("assessment:round_draw", args=[sampling_round.pk]), follow=True
    )
    drawn = len(SamplingRound.objects.get(pk=sampling_round.pk).result)
    assert drawn < 20
    assert f"本轮要求抽取 20 个单位，但抽取范围内只有 {drawn} 个：已全部抽取。" in [
        str(m) for m in response.context["messages"]
    ]
