"""Findings of the tester's attack on 自查自评 (and the spot-check scoring it shares): each
test failed before its fix."""

import io
import time
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessment.forms import CampaignForm, ScoreForm
from assessment.models import SelfAssessment
from assessment.services import AssessmentError
from assessment.services.self_assessment import (
    create_campaign,
    return_self_assessment,
    save_self_assessment,
    submit_self_assessment,
)
from assessment.services.spot_checks import checklist_items
from notifications.models import Kind, Notification
from tests.assessment.conftest import entries_for, items_by_text, no_faults
from tests.conftest import make_user
from units.roles import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


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


def full(checklist, finding=""):
    return {
        "保密审查制度": {"points": D("10"), "finding": finding},
        "信息发布及时": {**no_faults(checklist), "finding": finding},
        "按期答复": {"points": D("20"), "finding": finding},
        "发生泄密事件": {"finding": finding},
    }


def submitted(campaign, unit, liaison, values, summary=""):
    sa = campaign.assessments.get(unit=unit)
    save_self_assessment(
        sa,
        version=sa.version,
        entries=entries_for(sa.checklist, values),
        summary=summary,
        actor=liaison,
    )
    return submit_self_assessment(sa, actor=liaison)


def fill_url(sa):
    return reverse("assessment:self_assessment_fill", args=[sa.pk])


def post_fill(client, sa, checklist, values, **extra):
    items = items_by_text(checklist)
    data = {"version": sa.version, "summary": ""}
    for text, fields in values.items():
        for name, value in fields.items():
            data[f"{name}_{items[text].pk}"] = value
    data.update(extra)
    return client.post(fill_url(sa), data)


# 1 ------------------------------------------------------------------------------------------


def test_overlong_notes_are_refused_at_their_fields(client_for, campaign, unit_a, checklist):
    sa = campaign.assessments.get(unit=unit_a)
    item = items_by_text(checklist)["保密审查制度"]
    response = post_fill(
        client_for("liaison_a"),
        sa,
        checklist,
        {"保密审查制度": {"points": "9", "finding": "查" * 1001}},
        summary="总" * 5001,
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"finding_{item.pk}"] == ["最多 1000 个字（现有 1001 个）。"]
    assert errors["summary"] == ["最多 5000 个字（现有 5001 个）。"]
    assert not sa.results.exists()


def test_the_service_refuses_overlong_notes_too(campaign, personas, unit_a, checklist):
    sa = campaign.assessments.get(unit=unit_a)
    with pytest.raises(AssessmentError):
        save_self_assessment(
            sa,
            version=sa.version,
            entries=entries_for(checklist, {"保密审查制度": {"finding": "查" * 1001}}),
            summary="",
            actor=personas["liaison_a"],
        )
    with pytest.raises(AssessmentError):
        save_self_assessment(
            sa, version=sa.version, entries={}, summary="总" * 5001, actor=personas["liaison_a"]
        )
    assert not sa.results.exists()


def test_feedback_pdf_with_the_longest_notes_renders(
    client_for, campaign, personas, unit_a, checklist, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sa = submitted(
        campaign, unit_a, personas["liaison_a"], full(checklist, "查" * 1000), summary="总" * 5000
    )
    for number in range(3):
        upload = SimpleUploadedFile(f"{'证' * 190}{number}.pdf", b"%PDF-1.4\n%%EOF\n")
        sa.evidence.create(
            file=upload,
            original_name=upload.name,
            content_type="application/pdf",
            size=upload.size,
            uploaded_by=personas["liaison_a"],
            item=items_by_text(checklist)["保密审查制度"],
        )
    started = time.monotonic()
    response = client_for("liaison_a").get(reverse("assessment:self_assessment_pdf", args=[sa.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.monotonic() - started
    print(f"self-assessment feedback PDF with the longest notes: {elapsed:.2f} s")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert text.count("查") >= 4000 and text.count("总") >= 5000


# 2 ------------------------------------------------------------------------------------------


def test_returning_notifies_the_units_liaisons(campaign, personas, unit_a, unit_b, checklist):
    other = make_user("liaison_a2", role=Role.LIAISON, unit=unit_a)
    sa = submitted(campaign, unit_a, personas["liaison_a"], full(checklist))
    return_self_assessment(sa, reason="证据不全", actor=personas["inspector"])
    sent = Notification.objects.filter(kind=Kind.SELF_ASSESSMENT_RETURNED)
    assert {n.recipient for n in sent} == {personas["liaison_a"], other}
    note = sent.first()
    assert note.link == sa.get_absolute_url()
    assert note.params["reason"] == "证据不全"


def test_a_refused_return_notifies_nobody(campaign, personas, unit_a):
    sa = campaign.assessments.get(unit=unit_a)  # a draft cannot be returned
    with pytest.raises(AssessmentError):
        return_self_assessment(sa, reason="证据不全", actor=personas["inspector"])
    assert not Notification.objects.filter(kind=Kind.SELF_ASSESSMENT_RETURNED).exists()


# 4 ------------------------------------------------------------------------------------------


def test_history_names_every_field_in_chinese_and_users_by_name(
    client_for, campaign, personas, unit_a, checklist
):
    personas["liaison_a"].first_name = "联络员甲"
    personas["liaison_a"].save()
    sa = submitted(campaign, unit_a, personas["liaison_a"], full(checklist, "说明"))
    html = client_for("leader").get(reverse("history", args=["self-assessment", sa.pk]))
    html = html.content.decode()
    for english in ("self item result", "self occurrence count", "submitted by", "finding"):
        assert english not in html.lower()
    assert f"— → {personas['liaison_a'].pk}<" not in html
    assert "联络员甲" in html


# 5, 8, 9 --------------------------------------------------------------------------------------


@pytest.fixture
def upload(client_for, campaign, unit_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sa = campaign.assessments.get(unit=unit_a)
    client = client_for("liaison_a")

    def send(name, content, item=""):
        response = client.post(
            reverse("assessment:self_evidence_upload", args=[sa.pk]),
            {"file": SimpleUploadedFile(name, content), "item": item},
            follow=True,
        )
        return sa, [str(m) for m in response.context["messages"]]

    return send


@pytest.mark.parametrize(
    "name, content",
    [("x.pdf.exe", b"%PDF-1.4\n%%EOF\n"), ("img.pdf", PNG), ("noextension", PNG)],
)
def test_an_evidence_name_must_match_its_content(upload, name, content):
    sa, shown = upload(name, content)
    assert not sa.evidence.exists()
    assert shown and "扩展名" in shown[0]


def test_a_matching_name_is_accepted(upload):
    sa, _shown = upload("截图.PNG", PNG)
    assert sa.evidence.get().original_name == "截图.PNG"


@pytest.mark.parametrize("item", ["999", "abc"])
def test_an_unknown_item_is_named_as_the_problem(upload, item):
    sa, shown = upload("a.pdf", b"%PDF-1.4\n%%EOF\n", item=item)
    assert not sa.evidence.exists()
    assert shown and "检查项" in shown[0]


def test_a_long_name_keeps_its_extension(upload, client_for):
    sa, _shown = upload("长" * 300 + ".pdf", b"%PDF-1.4\n%%EOF\n")
    evidence = sa.evidence.get()
    assert evidence.original_name.endswith(".pdf") and len(evidence.original_name) <= 200
    response = client_for("liaison_a").get(
        reverse("assessment:self_evidence_download", args=[sa.pk, evidence.pk])
    )
    assert ".pdf" in response["Content-Disposition"]


# 6, 7, 16 -------------------------------------------------------------------------------------


def score_form(checklist, **data):
    items = checklist_items(checklist)
    by_text = items_by_text(checklist)
    bound = {"version": "0", "summary": ""}
    for key, value in data.items():
        field, text = key.split("__")
        bound[f"{field}_{by_text[text].pk}"] = value
    form = ScoreForm(bound, items=items)
    form.is_valid()
    return form, by_text


@pytest.mark.parametrize("value", ["12", "-1"])
def test_a_point_out_of_range_gets_one_message(checklist, value):
    form, items = score_form(checklist, points__保密审查制度=value)
    assert form.errors[f"points_{items['保密审查制度'].pk}"] == ["请填写 0 至 10 分。"]


@pytest.mark.parametrize(
    "value, ok", [("7.3", False), ("7.5", True), ("10", True), ("0.25", False)]
)
def test_points_must_be_on_the_half_point_step(checklist, value, ok):
    form, items = score_form(checklist, points__保密审查制度=value)
    assert (f"points_{items['保密审查制度'].pk}" not in form.errors) is ok


def test_too_many_decimals_end_with_a_chinese_full_stop(checklist):
    form, items = score_form(checklist, points__保密审查制度="1e-9")
    [message] = form.errors[f"points_{items['保密审查制度'].pk}"]
    assert message.endswith("。") and "." not in message.replace("0.5", "")


@pytest.mark.parametrize("char", ["\x07", "\x1b"])
def test_control_characters_in_notes_are_refused(checklist, char):
    form, items = score_form(checklist, finding__保密审查制度=f"a{char}b")
    assert f"finding_{items['保密审查制度'].pk}" in form.errors
    form, _items = score_form(checklist)
    form = ScoreForm({"version": "0", "summary": f"a{char}b"}, items=checklist_items(checklist))
    assert "summary" in form.errors


# 10 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["abc", "", "99999999999999999999"])
def test_a_broken_version_says_so(client_for, campaign, unit_a, checklist, version):
    sa = campaign.assessments.get(unit=unit_a)
    response = post_fill(
        client_for("liaison_a"), sa, checklist, {"保密审查制度": {"points": "9"}}, version=version
    )
    assert response.status_code == 200
    assert "重新加载" in response.content.decode()
    assert not sa.results.exists()


# 11 -------------------------------------------------------------------------------------------


def pdf_text(client, sa):
    response = client.get(reverse("assessment:self_assessment_pdf", args=[sa.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_header_says_the_status(client_for, campaign, personas, unit_a, checklist):
    sa = campaign.assessments.get(unit=unit_a)
    client = client_for("liaison_a")
    text = pdf_text(client, sa)
    assert "提交时间" in text and "草稿" in text and "已提交    未提交" not in text
    sa = submitted(campaign, unit_a, personas["liaison_a"], full(checklist))
    return_self_assessment(sa, reason="证据不全", actor=personas["inspector"])
    text = pdf_text(client, sa)
    assert "已退回" in text


# 12 -------------------------------------------------------------------------------------------


def test_the_liaison_home_says_the_self_assessment_was_submitted(
    client_for, campaign, personas, unit_a, checklist
):
    submitted(campaign, unit_a, personas["liaison_a"], full(checklist))
    home = client_for("liaison_a").get(reverse("home")).content.decode()
    assert "暂无进行中的自查自评" not in home
    assert "已于" in home and "提交" in home


# 13 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "organizer", "liaison_a"])
def test_a_role_that_never_returns_gets_403(client_for, campaign, personas, unit_a, persona):
    sa = submitted(campaign, unit_a, personas["liaison_a"], full(campaign.checklist))
    url = reverse("assessment:self_assessment_return", args=[sa.pk])
    assert client_for(persona).post(url, {"reason": "x"}).status_code == 403
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.SUBMITTED


def test_an_inspector_of_the_unit_is_told(client_for, campaign, personas, unit_a, checklist):
    from units.models import UserProfile

    sa = submitted(campaign, unit_a, personas["liaison_a"], full(checklist))
    UserProfile.objects.update_or_create(user=personas["inspector"], defaults={"unit": unit_a})
    url = reverse("assessment:self_assessment_return", args=[sa.pk])
    response = client_for("inspector").post(url, {"reason": "x"}, follow=True)
    assert "只有不在该单位工作的检查员可以退回" in response.content.decode()


# 14 -------------------------------------------------------------------------------------------


def test_a_huge_year_gets_one_message(db):
    form = CampaignForm({"year": "99999999999999999999"})
    assert len(form.errors["year"]) == 1


def test_every_form_bounds_its_fields():
    """Every form of assessment and notifications refuses control characters and huge ids
    (BoundedFieldsMixin; the score form bounds each field it builds)."""
    import inspect

    from django import forms as django_forms

    import assessment.forms
    import notifications.forms
    from core.forms import BoundedFieldsMixin

    for module in (assessment.forms, notifications.forms):
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, django_forms.BaseForm)
                and value.__module__ == module.__name__
                and not issubclass(value, ScoreForm)
            ):
                assert issubclass(value, BoundedFieldsMixin), name


def test_spot_check_documents_with_the_longest_texts_render(
    client_for, spot_check, personas, working_day_calendar
):
    """The 检查反馈单 with the longest finding in every item and the longest overall findings,
    and a 整改通知书 whose requirement is 20,000 unbroken characters (requirements have no
    limit: the typesetting must not grow with the square of the length)."""
    from assessment.services.rectifications import raise_rectification
    from assessment.services.spot_checks import (
        confirm_spot_check,
        save_scores,
        submit_spot_check,
    )

    checklist = spot_check.checklist
    entries = entries_for(checklist, full(checklist, "查" * 1000))
    inspector = personas["inspector"]
    save_scores(
        spot_check,
        version=spot_check.version,
        entries=entries,
        summary="总" * 5000,
        actor=inspector,
    )
    submit_spot_check(spot_check, actor=inspector)
    confirm_spot_check(spot_check, actor=personas["admin"])
    rectification = raise_rectification(
        spot_check, requirement="改" * 20000, working_days=10, actor=inspector
    )
    client = client_for("leader")
    for name, url in [
        ("feedback", reverse("assessment:feedback", args=[spot_check.pk])),
        ("notice", reverse("assessment:rectification_notice", args=[rectification.pk])),
    ]:
        started = time.monotonic()
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        print(f"{name} with the longest texts: {time.monotonic() - started:.2f} s")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert text.count("查" if name == "feedback" else "改") >= 4000
