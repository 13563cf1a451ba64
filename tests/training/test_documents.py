"""PDFs: the Chinese text must come back out of the bytes."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

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
    ]:
        assert text in page


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


def test_fallback_cid_font_also_renders_chinese(monkeypatch, training, attended):
    from core import pdf as core_pdf
    from training import pdf

    monkeypatch.setenv("PDF_FONT", "cid")
    core_pdf.cjk_font.cache_clear()
    try:
        assert core_pdf.cjk_font() == "STSong-Light"
        _name, _type, content = pdf.sign_in_sheet(training)
        assert "张三" in pdf_text(content)[0]
    finally:
        monkeypatch.delenv("PDF_FONT")
        core_pdf.cjk_font.cache_clear()
