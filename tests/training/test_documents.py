"""PDFs: the Chinese text must come back out of the bytes."""

import io
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.training.conftest import make_training
from training.models import Attendee
from training.services import mark_attendance, register_attendee


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def attended(training, personas, unit_a, unit_b):
    organizer = personas["organizer"]
    people = [
        register_attendee(
            training,
            unit=unit_a,
            name="张三",
            phone="13800000001",
            position="信息员",
            actor=organizer,
        ),
        register_attendee(training, unit=unit_b, name="李四", phone="13800000002", actor=organizer),
    ]
    mark_attendance(
        training,
        training.days()[0],
        {people[0].pk: "present", people[1].pk: "absent"},
        actor=organizer,
    )
    return people


def test_sign_in_sheet_has_the_title_units_and_names(client_for, training, attended):
    response = client_for("organizer").get(reverse("training:sign_in_sheet", args=[training.pk]))
    assert response["Content-Type"] == "application/pdf"
    (page,) = pdf_text(response.content)
    for text in [
        "全市政府信息公开培训班",
        "签到表",
        "甲街道",
        "张三",
        "乙局",
        "李四",
        "第 1 页 共 1 页",
        # the lines a paper sheet ends with (a tester missed them)
        "应到 2 人，实到 ______ 人",
        "经办人：",
        "审核人：",
    ]:
        assert text in page


def test_sign_in_sheet_names_the_organizing_unit(client_for, training, attended, unit_b):
    training.organizing_unit = unit_b
    training.save()
    response = client_for("organizer").get(reverse("training:sign_in_sheet", args=[training.pk]))
    (page,) = pdf_text(response.content)
    assert "主办单位：乙局" in page


def test_sign_in_sheet_repeats_its_header_and_numbers_pages(client_for, training, personas, unit_a):
    training.capacity = None
    training.save()
    for number in range(60):
        Attendee.objects.create(
            training=training,
            unit=unit_a,
            name=f"学员{number}",
            phone=f"1390000{number:04d}",
            registered_by=personas["organizer"],
        )
    response = client_for("organizer").get(reverse("training:sign_in_sheet", args=[training.pk]))
    pages = pdf_text(response.content)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "签名" in page  # the header row is repeated
        assert f"第 {number} 页 共 {len(pages)} 页" in page


def test_certificates_only_for_those_who_attended(client_for, training, attended):
    response = client_for("organizer").get(reverse("training:certificates", args=[training.pk]))
    pages = pdf_text(response.content)
    assert len(pages) == 1
    assert "培训证书" in pages[0] and "张三" in pages[0] and "甲街道" in pages[0]
    assert "李四" not in pages[0]


def test_single_certificate_for_the_liaison_of_its_unit_only(client_for, training, attended):
    url = reverse("training:certificate", args=[training.pk, attended[0].pk])
    assert "张三" in pdf_text(client_for("liaison_a").get(url).content)[0]
    assert client_for("liaison_b").get(url).status_code == 404


def test_attendance_summary_counts_per_unit(client_for, training, attended):
    response = client_for("leader").get(reverse("training:attendance_summary", args=[training.pk]))
    (page,) = pdf_text(response.content)
    assert "考勤汇总" in page
    assert "甲街道" in page and "乙局" in page


def test_fallback_cid_font_also_renders_chinese(settings, training, attended):
    from core import pdf as core_pdf
    from training import pdf

    settings.PDF_FONT = "cid"
    assert core_pdf.font("title") == core_pdf.font("body") == "STSong-Light"
    _name, _type, content = pdf.sign_in_sheet(training)
    assert "张三" in pdf_text(content)[0]


def test_a_role_of_text_takes_its_own_font_setting(settings):
    from core import pdf as core_pdf

    settings.PDF_FONT_HEADING = "cid"
    settings.PDF_FONT_TITLE = "/usr/share/fonts/truetype/arphic/uming.ttc"
    settings.PDF_FONT_BODY = "/no/such/font.ttf"  # a missing font falls back, never fails
    assert core_pdf.font("heading") == "STSong-Light"
    assert core_pdf.font("body") == "STSong-Light"
    if Path(settings.PDF_FONT_TITLE).exists():
        assert core_pdf.font("title").startswith("CJK-")


def test_sign_in_sheet_has_one_sheet_per_day_with_number_unit_name_position_phone(
    client_for, personas, unit_a
):
    training = make_training(created_by=personas["organizer"], days=3, start=date(2026, 12, 14))
    register_attendee(
        training,
        unit=unit_a,
        name="张三",
        phone="13800000001",
        position="信息员",
        actor=personas["organizer"],
    )
    response = client_for("organizer").get(reverse("training:sign_in_sheet", args=[training.pk]))
    pages = pdf_text(response.content)
    assert len(pages) == 3
    for number, (page, day) in enumerate(zip(pages, (14, 15, 16), strict=True), start=1):
        assert f"日期：2026年12月{day}日（第{number}天，共3天）" in page
        assert "时间：09:00–17:00" in page
        assert "地点：市行政中心一楼报告厅" in page
        for text in ["序号", "单位", "姓名", "职务", "电话", "签名", "甲街道", "张三", "信息员"]:
            assert text in page
        assert "138****0001" in page and "13800000001" not in page
        assert "签名 12-" not in page and "2026-12" not in page


def test_sign_in_sheet_of_a_long_training_renders(client_for, personas, unit_a):
    """Regression (issue 11 item 8): 14 days or more made the signature columns too narrow
    for reportlab and answered 500."""
    training = make_training(created_by=personas["organizer"], days=20, start=date(2026, 11, 2))
    for number in range(3):
        register_attendee(
            training,
            unit=unit_a,
            name=f"学员{number}",
            phone=f"1380000000{number}",
            actor=personas["organizer"],
        )
    response = client_for("organizer").get(reverse("training:sign_in_sheet", args=[training.pk]))
    assert response.status_code == 200
    pages = pdf_text(response.content)
    assert len(pages) == 20
    assert "（第20天，共20天）" in pages[-1]


def test_certificate_has_its_number_chinese_dates_and_the_organizer(
    client_for, training, attended, unit_b
):
    training.organizing_unit = unit_b
    training.save()
    response = client_for("organizer").get(reverse("training:certificates", args=[training.pk]))
    (page,) = pdf_text(response.content)
    day = training.days()[0]
    chinese = f"{day.year}年{day.month}月{day.day}日"
    assert f"于{chinese}参加全市政府信息公开培训班" in page
    assert f"证书编号：{training.year}-{training.pk:03d}-{attended[0].pk:05d}" in page
    assert "乙局" in page and chinese in page
    assert f"{day:%Y-%m-%d}" not in page


def test_downloads_are_named_in_chinese(client_for, training, attended):
    names = {
        "sign_in_sheet": "全市政府信息公开培训班签到表.pdf",
        "attendance_summary": "全市政府信息公开培训班考勤汇总.pdf",
        "certificates": "全市政府信息公开培训班培训证书.pdf",
    }
    for url_name, filename in names.items():
        response = client_for("organizer").get(reverse(f"training:{url_name}", args=[training.pk]))
        assert response["Content-Disposition"] == (
            f"attachment; filename*=utf-8''{quote(filename)}"
        )


def test_no_certificate_before_the_training_has_ended(client_for, training, attended):
    from datetime import timedelta

    from django.utils import timezone

    training.ends_at = timezone.now() + timedelta(hours=2)  # the last day is still going on
    training.save()
    organizer = client_for("organizer")
    for url in (
        reverse("training:certificates", args=[training.pk]),
        reverse("training:certificate", args=[training.pk, attended[0].pk]),
    ):
        response = organizer.get(url, follow=True)
        assert response["Content-Type"].startswith("text/html")
        assert "培训结束后方可颁发证书" in response.content.decode()


def test_a_title_with_characters_windows_forbids_downloads_under_a_safe_name(client_for, personas):
    training = make_training(created_by=personas["organizer"], title='a/b\\c"d<>|:*?培训')
    response = client_for("organizer").get(reverse("training:sign_in_sheet", args=[training.pk]))
    # / \ " < > | : * ? each become _
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('a_b_c_d______培训签到表.pdf')}"
    )
