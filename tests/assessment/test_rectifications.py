from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Rectification
from assessment.services import AssessmentError
from assessment.services.rectifications import answer_rectification, raise_rectification
from tests.assessment.conftest import CONFIRMED_ON

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def raised(check, personas):
    """The rectification most tests start from: 补齐审查记录 within 5 working days."""
    return raise_rectification(
        check,
        raised_on=CONFIRMED_ON,
        requirement="补齐审查记录",
        working_days=5,
        actor=personas["inspector"],
    )


def test_deadline_is_counted_in_working_days_across_national_day(confirmed_check, personas):
    rectification = raised(confirmed_check, personas)
    # 09-30 (1), holiday 10-01…10-07, 10-08 (2), 10-09 (3),
    # Sat 10-10 is an adjusted working day (4), 10-12 (5)
    assert rectification.deadline == date(2026, 10, 12)


def test_only_confirmed_checks_raise_rectifications(spot_check, personas):
    with pytest.raises(AssessmentError):
        raise_rectification(
            spot_check, requirement="x", working_days=5, actor=personas["inspector"]
        )


def test_liaison_answers_inspector_returns_then_verifies(confirmed_check, personas, client_for):
    rectification = raised(confirmed_check, personas)
    url = rectification.get_absolute_url()
    liaison = client_for("liaison_a")
    upload = SimpleUploadedFile("整改报告.pdf", PDF_BYTES, content_type="application/pdf")
    assert liaison.post(url, {"response": "已补齐", "file": upload}).status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.ANSWERED
    stored = rectification.files.get()
    assert (stored.original_name, stored.content_type) == ("整改报告.pdf", "application/pdf")

    inspector = client_for("inspector")
    response = inspector.post(url, {"decision": "return", "note": ""})
    assert response.status_code == 200  # a return needs a reason
    inspector.post(url, {"decision": "return", "note": "缺少 9 月记录"})
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.RETURNED

    client_for("liaison_a").post(url, {"response": "已补齐 9 月记录"})
    client_for("inspector").post(url, {"decision": "accept", "note": ""})
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.VERIFIED
    assert rectification.history.count() == 5  # raised, answered, returned, answered, verified


def test_another_units_liaison_sees_nothing(confirmed_check, personas, client_for):
    rectification = raised(confirmed_check, personas)
    other = client_for("liaison_b")
    assert other.get(rectification.get_absolute_url()).status_code == 404
    assert other.post(rectification.get_absolute_url(), {"response": "x"}).status_code == 404
    listed = other.get(reverse("assessment:rectification_list")).context["table"]
    assert len(listed.rows) == 0


def test_a_file_that_is_not_what_it_claims_is_refused(confirmed_check, personas, client_for):
    rectification = raised(confirmed_check, personas)
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for("liaison_a").post(
        rectification.get_absolute_url(), {"response": "已补齐", "file": fake}
    )
    assert response.status_code == 200
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.OPEN
    assert not rectification.files.exists()


def test_overdue_rectifications_appear_on_the_leaders_home(confirmed_check, personas, client_for):
    raised(confirmed_check, personas)
    page = client_for("leader").get(reverse("home"))
    assert [r.requirement for r in page.context["overdue"]] == ["补齐审查记录"]
    assert "补齐审查记录" in page.content.decode()


def test_an_absurdly_distant_deadline_is_refused_clearly(confirmed_check, personas):
    with pytest.raises(AssessmentError) as refused:
        raise_rectification(
            confirmed_check,
            raised_on=CONFIRMED_ON,
            requirement="x",
            working_days=5000,
            actor=personas["inspector"],
        )
    assert refused.value.code == "too_many_days"
    assert "60" in refused.value.message


def test_an_answer_longer_than_2000_characters_is_refused_at_its_field(
    confirmed_check, personas, client_for
):
    rectification = raised(confirmed_check, personas)
    response = client_for("liaison_a").post(
        rectification.get_absolute_url(), {"response": "补" * 2001}
    )
    assert response.status_code == 200
    assert response.context["answer_form"].errors["response"] == [
        "最多 2000 个字（现有 2001 个）。"
    ]
    rectification.refresh_from_db()
    assert (rectification.status, rectification.response) == (Rectification.Status.OPEN, "")
    # the service keeps the same limit for every other caller
    with pytest.raises(AssessmentError) as refused:
        answer_rectification(rectification, response="补" * 2001, actor=personas["liaison_a"])
    assert refused.value.code == "too_long"
    answer_rectification(rectification, response="补" * 2000, actor=personas["liaison_a"])


def test_a_rectification_raised_weeks_after_its_check_counts_from_the_day_raised(
    confirmed_check, personas, client_for, monkeypatch
):
    """The check was confirmed on 2026-09-29; the inspector raises the rectification on Sat
    2026-11-28 with 10 working days: Mon 11-30 (1) … Fri 12-04 (5), Mon 12-07 (6) … Fri 12-11
    (10). Counted from the confirmation it was due 10-16, overdue from its first day."""
    from datetime import datetime

    from django.utils import timezone

    from tests.assessment.test_documents import pages_of

    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime(2026, 11, 28, 9, 30)))
    item = confirmed_check.checklist.sections.first().items.first()
    response = client_for("inspector").post(
        reverse("assessment:rectification_create", args=[confirmed_check.pk]),
        {"requirement": "补齐审查记录", "working_days": 10, "item": item.pk},
    )
    assert response.status_code == 302
    rectification = Rectification.objects.get()
    assert (rectification.raised_on, rectification.deadline) == (
        date(2026, 11, 28),
        date(2026, 12, 11),
    )
    assert not Rectification.objects.overdue().exists()
    notice = client_for("liaison_a").get(
        reverse("assessment:rectification_notice", args=[rectification.pk])
    )
    text = "".join(pages_of(notice.content)).replace("\n", "")
    assert "10个工作日内，即2026年12月11日前完成" in text
    assert "2026年11月28日" in text


def test_a_rectification_needs_at_least_one_working_day(confirmed_check, personas, client_for):
    """0 working days put the deadline on the day it is raised: refused at the field, and by
    the service for every other caller; 1 is the least allowed."""
    url = reverse("assessment:rectification_create", args=[confirmed_check.pk])
    for days in (0, -1):  # -1 said 确保该值大于或等于0
        response = client_for("inspector").post(
            url, {"requirement": "补齐审查记录", "working_days": days}
        )
        assert response.status_code == 200
        assert response.context["form"].errors == {"working_days": ["整改期限至少为 1 个工作日。"]}
    assert 'min="1"' in response.content.decode()
    assert not Rectification.objects.exists()
    with pytest.raises(AssessmentError) as refused:
        raise_rectification(
            confirmed_check, requirement="x", working_days=0, actor=personas["inspector"]
        )
    assert refused.value.code == "too_few_days"
    assert not Rectification.objects.exists()
    response = client_for("inspector").post(url, {"requirement": "补齐审查记录", "working_days": 1})
    assert response.status_code == 302
    assert Rectification.objects.get().working_days == 1


def test_a_rectification_is_due_within_60_working_days(confirmed_check, personas, client_for):
    """A tester's 1,000 working days put the deadline in 2030."""
    url = reverse("assessment:rectification_create", args=[confirmed_check.pk])
    response = client_for("inspector").post(
        url, {"requirement": "补齐审查记录", "working_days": 1000}
    )
    assert response.context["form"].errors == {
        "working_days": ["整改期限最多为 60 个工作日（约三个月）。"]
    }
    assert 'max="60"' in response.content.decode()
    with pytest.raises(AssessmentError) as refused:
        raise_rectification(
            confirmed_check, requirement="x", working_days=61, actor=personas["inspector"]
        )
    assert refused.value.code == "too_many_days"
    assert not Rectification.objects.exists()
    response = client_for("inspector").post(
        url, {"requirement": "补齐审查记录", "working_days": 60}
    )
    assert response.status_code == 302


def test_the_export_keeps_the_whole_requirement_the_deadline_as_a_date_and_overdue(
    confirmed_check, personas, client_for
):
    """Trial 8: the export cut a 1,382-character requirement at 40 characters, wrote the
    deadline as text (Excel sorted 10月 before 3月) and lost the 逾期 mark."""
    import io

    from openpyxl import load_workbook

    requirement = "补齐保密审查记录并报送备案，" * 10  # 140 characters
    rectification = raise_rectification(
        confirmed_check,
        raised_on=CONFIRMED_ON,
        requirement=requirement,
        working_days=5,
        actor=personas["inspector"],
    )
    response = client_for("leader").get(
        reverse("assessment:rectification_list"), {"_export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["整改要求"] == requirement
    assert row["截止日期"].date() == rectification.deadline
    assert row["逾期"] == "是"
    assert row["期限为暂定"] is None  # an empty cell


def test_a_page_opened_before_the_rectification_moved_on_says_so(
    confirmed_check, personas, client_for
):
    """Trial 9: an answer (or a return) sent from a page opened before the rectification was
    verified got the 403 '无权访问', which sends people to the administrator."""
    rectification = raised(confirmed_check, personas)
    Rectification.objects.filter(pk=rectification.pk).update(status=Rectification.Status.VERIFIED)
    url = rectification.get_absolute_url()
    for persona, data in (
        ("liaison_a", {"response": "关闭后再反馈"}),
        ("inspector", {"decision": "return", "note": "再补"}),
    ):
        response = client_for(persona).post(url, data, follow=True)
        assert response.status_code == 200
        said = [str(message) for message in response.context["messages"]]
        assert said == ["该整改当前状态为“已核验”，本次提交未保存。"]
    assert client_for("leader").post(url, {"response": "x"}).status_code == 403
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.VERIFIED


def test_a_rectification_of_a_check_reopened_since_links_no_page_the_unit_cannot_open(
    confirmed_check, personas, client_for
):
    """Trial 9: the unit's rectification linked to its check, which, re-opened for a
    correction, answered the unit 404."""
    from assessment.models import SpotCheck

    rectification = raised(confirmed_check, personas)
    check_url = confirmed_check.get_absolute_url()
    page = client_for("liaison_a").get(rectification.get_absolute_url()).content.decode()
    assert check_url in page
    SpotCheck.objects.filter(pk=confirmed_check.pk).update(status=SpotCheck.Status.SUBMITTED)
    page = client_for("liaison_a").get(rectification.get_absolute_url()).content.decode()
    assert check_url not in page and "检查已重新打开更正" in page
    page = client_for("inspector").get(rectification.get_absolute_url()).content.decode()
    assert check_url in page
