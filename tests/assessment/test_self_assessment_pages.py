"""自查自评 through its pages: the liaison fills and submits, the inspector sees both side by
side, the campaign compares, the year-end pages show the rule's arithmetic, the PDF."""

import io
from datetime import timedelta
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import Scheme, SelfAssessment, SpotCheck
from assessment.services.self_assessment import (
    create_campaign,
    save_self_assessment,
    submit_self_assessment,
)
from assessment.year_end import SELF_ASSESSMENT, year_results
from core.models import Year
from tests.assessment.conftest import entries_for, items_by_text, no_faults


@pytest.fixture
def campaign(personas, checklist, unit_a, unit_b):
    today = timezone.localdate()
    return create_campaign(
        name="2026年自查",
        year=2026,
        checklist=checklist,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
        categories=[unit_a.category],
        units=[unit_b],
        actor=personas["inspector"],
    )


def form_data(checklist, values, version, **extra):
    items = items_by_text(checklist)
    data = {"version": version, "summary": ""}
    for text, fields in values.items():
        for name, value in fields.items():
            data[f"{name}_{items[text].pk}"] = value
    data.update(extra)
    return data


def submitted(campaign, unit, liaison, values):
    sa = campaign.assessments.get(unit=unit)
    save_self_assessment(
        sa,
        version=sa.version,
        entries=entries_for(sa.checklist, values),
        summary="",
        actor=liaison,
    )
    return submit_self_assessment(sa, actor=liaison)


def test_the_liaison_fills_saves_and_submits_through_the_page(
    client_for, campaign, unit_a, checklist
):
    sa = campaign.assessments.get(unit=unit_a)
    client = client_for("liaison_a")
    home = client.get(reverse("home")).content.decode()
    assert "2026年自查" in home  # the liaison's desk lists the open campaign
    url = reverse("assessment:self_assessment_fill", args=[sa.pk])
    page = client.get(url).content.decode()
    assert "data-score-form" in page and "data-live-score" in page
    rule = items_by_text(checklist)["信息发布及时"].rules.get()
    data = form_data(
        checklist,
        {
            "保密审查制度": {"points": "9", "finding": "制度已印发"},
            "按期答复": {"na": "on"},
        },
        sa.version,
    )
    data[f"count_{items_by_text(checklist)['信息发布及时'].pk}_{rule.pk}"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.DRAFT
    # 9 + (10 − 2) = 17 of 20 → 85.00 %
    response = client.post(url, {**data, "version": sa.version, "submit": "1"})
    assert response.status_code == 302
    sa.refresh_from_db()
    assert (sa.status, sa.percentage) == (SelfAssessment.Status.SUBMITTED, D("85.00"))
    # read-only now: the fill page sends back to the self-assessment
    assert client.get(url).status_code == 302
    detail = client.get(sa.get_absolute_url()).content.decode()
    assert "制度已印发" in detail and "85.00%" in detail


def test_a_wrong_entry_is_shown_at_its_field_and_changes_nothing(
    client_for, campaign, unit_a, checklist
):
    sa = campaign.assessments.get(unit=unit_a)
    url = reverse("assessment:self_assessment_fill", args=[sa.pk])
    data = form_data(checklist, {"保密审查制度": {"points": "12", "finding": "a\x00b"}}, sa.version)
    response = client_for("liaison_a").post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    item = items_by_text(checklist)["保密审查制度"]
    assert form.errors[f"points_{item.pk}"] and form.errors[f"finding_{item.pk}"]
    assert not sa.results.exists()


def test_another_units_liaison_gets_404(client_for, campaign, unit_a):
    sa = campaign.assessments.get(unit=unit_a)
    client = client_for("liaison_b")
    assert client.get(sa.get_absolute_url()).status_code == 404
    assert client.get(reverse("assessment:self_assessment_fill", args=[sa.pk])).status_code == 404
    assert client.get(campaign.get_absolute_url()).status_code == 200  # its own row only
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "甲街道" not in page and "乙局" in page


def test_the_inspector_sees_both_side_by_side(
    client_for, campaign, spot_check, personas, unit_a, checklist, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    values = {
        "保密审查制度": {"points": D("10"), "finding": "自评：制度齐全"},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], values)
    items = items_by_text(checklist)
    from assessment.services.spot_checks import save_scores

    save_scores(
        spot_check,
        version=0,
        entries=entries_for(checklist, {"保密审查制度": {"points": D("5")}}),
        summary="",
        actor=personas["inspector"],
    )
    client = client_for("inspector")
    score_page = client.get(reverse("assessment:spot_check_score", args=[spot_check.pk]))
    html = score_page.content.decode()
    assert "自评：制度齐全" in html
    cell = html.split(f'data-testid="self-{items["保密审查制度"].pk}"')[0].rsplit("<td", 1)[1]
    assert "table-warning" in cell  # 10 self-assessed against 5 inspected
    detail = client.get(spot_check.get_absolute_url()).content.decode()
    assert 'data-testid="self-summary"' in detail and "100.00%" in detail
    # the same item scored alike is not highlighted; an item the inspector left blank is not
    detail_cells = {
        text: detail.split(f'data-testid="self-{item.pk}"')[0].rsplit("<td", 1)[1]
        for text, item in items.items()
    }
    assert "table-warning" in detail_cells["保密审查制度"]
    assert "table-warning" not in detail_cells["按期答复"]


def test_the_liaison_does_not_see_the_comparison_on_a_check(
    client_for, campaign, confirmed_check, personas, unit_a, checklist
):
    values = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], values)
    page = client_for("liaison_a").get(confirmed_check.get_absolute_url()).content.decode()
    assert 'data-testid="self-summary"' not in page


def test_campaign_lists_gap_and_exports_it(
    client_for, campaign, confirmed_check, personas, unit_a, unit_b, checklist
):
    full = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], full)
    client = client_for("leader")
    page = client.get(campaign.get_absolute_url(), {"order": "gap"}).content.decode()
    # A: 100.00 − 87.50 = +12.50; B: not submitted, not inspected
    assert "+12.50" in page
    response = client.get(campaign.get_absolute_url(), {"_export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][0] == unit_a.name and [D(str(v)) for v in rows[1][2:]] == [
        D("100"),
        D("87.5"),
        D("12.5"),
    ]
    assert rows[2][0] == unit_b.name and rows[2][2:] == [None, None, None]


def test_year_end_pages_show_the_rule_and_its_arithmetic(
    client_for, campaign, confirmed_check, personas, unit_a, checklist
):
    full = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], full)
    year, _created = Year.objects.get_or_create(year=2026)
    Scheme.objects.create(year=year, overstatement_margin=D("10"), overstatement_points=D("2"))
    client = client_for("inspector")
    breakdown = client.get(reverse("assessment:breakdown", args=[unit_a.pk])).content.decode()
    assert "100.00 − 87.50 = <strong>12.50</strong>" in breakdown
    adjustments = client.get(reverse("assessment:adjustments")).content.decode()
    assert 'data-testid="overstatements"' in adjustments and "12.50" in adjustments
    accept = reverse("assessment:overstatement_decide", args=[unit_a.pk, "accept"])
    assert client.post(accept, {"points": "2"}).status_code == 302
    breakdown = client.get(reverse("assessment:breakdown", args=[unit_a.pk])).content.decode()
    # 87.50 − 2 = 85.50
    assert "85.50" in breakdown
    assert client.post(accept, {"points": "2"}).status_code == 302  # decided: a message only
    assert unit_a.adjustments.count() == 1


def test_the_feedback_pdf(client_for, campaign, personas, unit_a, checklist):
    full = {
        "保密审查制度": {"points": D("10"), "finding": "制度齐全"},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"not_applicable": True},
    }
    sa = submitted(campaign, unit_a, personas["liaison_a"], full)
    response = client_for("liaison_a").get(reverse("assessment:self_assessment_pdf", args=[sa.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "自查自评反馈单" in text and "甲街道" in text and "制度齐全" in text
    assert "20.00" in text and "100.00%" in text  # 20 of 20 points, 按期答复 N/A


@pytest.mark.django_db(transaction=True)
def test_a_submission_changes_the_cached_year_results(personas, unit_a, unit_b, checklist):
    """The self-assessment component is part of the cached year results: a submission (a
    write to SelfAssessment) replaces the assessment topic's generation."""
    today = timezone.localdate()
    campaign = create_campaign(
        name="自查",
        year=today.year,
        checklist=checklist,
        opens_on=today,
        closes_on=today,
        units=[unit_a],
        actor=personas["inspector"],
    )
    year, _created = Year.objects.get_or_create(year=today.year)
    scheme = Scheme.objects.create(year=year)
    assert year_results(scheme).results[unit_a.pk].components[SELF_ASSESSMENT] is None
    full = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], full)
    assert year_results(scheme).results[unit_a.pk].components[SELF_ASSESSMENT] == D("100.00")


def test_scheme_form_keeps_the_defaults(client_for, personas):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    assert (scheme.weight_self_assessment, scheme.overstatement_margin) == (D("0"), None)
    page = client_for("leader").get(reverse("assessment:scheme")).content.decode()
    assert 'name="overstatement_margin"' in page and 'name="weight_self_assessment"' in page
    assert SpotCheck.objects.count() == 0


def test_a_published_year_offers_no_filling_in(client_for, campaign, personas, unit_a):
    from assessment.services.year_end import publish_year, unfinished_work

    year, _created = Year.objects.get_or_create(year=2026)
    scheme = Scheme.objects.create(year=year)
    publish_year(scheme, actor=personas["leader"], acknowledged=unfinished_work(scheme).signature)
    sa = campaign.assessments.get(unit=unit_a)
    client = client_for("liaison_a")
    assert client.get(reverse("assessment:self_assessment_fill", args=[sa.pk])).status_code == 302
    assert "fill/" not in client.get(sa.get_absolute_url()).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert reverse("assessment:self_assessment_fill", args=[sa.pk]) not in home


def test_the_change_history_shows_drafts_and_submission(
    client_for, campaign, personas, unit_a, checklist
):
    full = {
        "保密审查制度": {"points": D("7"), "finding": "初稿"},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    sa = submitted(campaign, unit_a, personas["liaison_a"], full)
    page = client_for("leader").get(reverse("history", args=["self-assessment", sa.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # 7 + 10 + 20 = 37 of 40 → 92.50 %
    assert "草稿 → 已提交" in html and "— → 92.50" in html
    assert (
        client_for("inspector").get(reverse("history", args=["self-assessment", sa.pk])).status_code
        == 403
    )


def test_evidence_is_the_units_until_submitted(
    client_for, campaign, personas, unit_a, checklist, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    sa = campaign.assessments.get(unit=unit_a)
    item = items_by_text(checklist)["保密审查制度"]
    client = client_for("liaison_a")
    upload = reverse("assessment:self_evidence_upload", args=[sa.pk])
    fake = SimpleUploadedFile("制度.exe", b"MZ\x90\x00", content_type="application/pdf")
    client.post(upload, {"file": fake, "item": item.pk})
    assert not sa.evidence.exists()  # not a document: refused with a message
    pdf = SimpleUploadedFile(
        "保密审查制度.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )
    assert client.post(upload, {"file": pdf, "item": item.pk}).status_code == 302
    evidence = sa.evidence.get()
    assert (evidence.item, evidence.original_name) == (item, "保密审查制度.pdf")
    full = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], full)
    remove = reverse("assessment:self_evidence_remove", args=[sa.pk, evidence.pk])
    assert client.post(remove).status_code == 302
    assert sa.evidence.exists()  # submitted: read-only
    download = reverse("assessment:self_evidence_download", args=[sa.pk, evidence.pk])
    assert client_for("inspector").get(download).status_code == 200
    assert client_for("liaison_b").get(download).status_code == 404


def test_the_ranking_shows_a_weighted_self_assessment(
    client_for, campaign, confirmed_check, personas, unit_a, checklist
):
    full = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": no_faults(checklist),
        "按期答复": {"points": D("20")},
    }
    submitted(campaign, unit_a, personas["liaison_a"], full)
    year, _created = Year.objects.get_or_create(year=2026)
    scheme = Scheme.objects.create(year=year)
    client = client_for("leader")
    assert "self_assessment" not in client.get(reverse("assessment:ranking")).content.decode()
    scheme.weight_self_assessment = D("50")
    scheme.save()
    page = client.get(reverse("assessment:ranking")).content.decode()
    # (50 × 87.50 + 50 × 100.00) / 100 = 93.75
    assert "sort=self_assessment" in page and "100.00" in page and "93.75" in page


@pytest.mark.parametrize("huge", ["1e30", "1e999", "100000000000000000000000000000"])
def test_a_number_too_large_to_divide_is_out_of_range_not_a_crash(
    client_for, campaign, unit_a, checklist, huge
):
    sa = campaign.assessments.get(unit=unit_a)
    url = reverse("assessment:self_assessment_fill", args=[sa.pk])
    data = form_data(checklist, {"保密审查制度": {"points": huge}}, sa.version)
    response = client_for("liaison_a").post(url, data)
    assert response.status_code == 200
    item = items_by_text(checklist)["保密审查制度"]
    assert response.context["form"].errors[f"points_{item.pk}"] == ["请填写 0 至 10 分。"]
    assert not sa.results.exists()


def test_a_campaign_closed_before_it_is_created_is_refused_at_its_dates(
    client_for, checklist, unit_a
):
    """A tester's 2026 campaign for 2025-12-01…10 was accepted, closed from its creation; its
    units saw it as 草稿 forever."""
    from datetime import timedelta

    from django.utils import timezone

    from assessment.models import Campaign

    today = timezone.localdate()
    response = client_for("inspector").post(
        reverse("assessment:campaign_create"),
        {
            "name": "补查",
            "year": today.year,
            "checklist": checklist.pk,
            "units": [unit_a.pk],
            "opens_on": f"{today.year - 1}-12-01",
            "closes_on": f"{today - timedelta(days=1):%Y-%m-%d}",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["opens_on"] == [f"{today.year}年度的自评最早于{today.year}年开始。"]
    assert errors["closes_on"] == ["截止日期已过。"]
    assert not Campaign.objects.filter(name="补查").exists()


def test_the_campaign_page_counts_submissions_and_lists_those_still_to_come(
    client_for, campaign, personas, unit_a, checklist
):
    submitted(
        campaign,
        unit_a,
        personas["liaison_a"],
        {
            "保密审查制度": {"points": D("10")},
            "信息发布及时": no_faults(checklist),
            "按期答复": {"points": D("20")},
        },
    )
    client = client_for("inspector")
    page = client.get(campaign.get_absolute_url())
    assert "已提交：1 / 2 个单位。" in page.content.decode()
    assert [row["sa"].unit.name for row in page.context["rows"]] == ["甲街道", "乙局"]
    pending = client.get(campaign.get_absolute_url(), {"pending": "1"})
    assert [row["sa"].unit.name for row in pending.context["rows"]] == ["乙局"]
    assert "显示全部单位" in pending.content.decode()


def test_the_self_assessment_sheet_lists_the_faults_the_unit_counted(
    client_for, campaign, personas, unit_a, checklist
):
    """The spot-check feedback sheet lists counted faults beside the finding; the unit's own
    sheet left them out."""
    from tests.assessment.conftest import rule_of

    rule = rule_of(checklist, "信息发布及时")
    values = {
        "保密审查制度": {"points": D("10")},
        "信息发布及时": {"counts": {rule.pk: 2}},
        "按期答复": {"points": D("20")},
    }
    sa = submitted(campaign, unit_a, personas["liaison_a"], values)
    response = client_for("liaison_a").get(reverse("assessment:self_assessment_pdf", args=[sa.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert f"{rule.fault} ×2" in text.replace("\n", "")


def test_a_draft_in_a_published_year_says_why_it_can_no_longer_be_filled(
    client_for, campaign, unit_a
):
    """Publishing closes the self-assessments not yet submitted; the unit is told so (it was
    told only "read-only", before the campaign's own closing date)."""
    Year.objects.filter(year=campaign.year).update(locked_at=timezone.now())
    sa = campaign.assessments.get(unit=unit_a)
    client = client_for("liaison_a")
    response = client.get(reverse("assessment:self_assessment_fill", args=[sa.pk]), follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith(f"{campaign.year} 年度考核结果已发布，数据为只读。")
