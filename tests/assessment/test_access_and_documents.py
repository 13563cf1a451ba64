import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import Checklist, Evidence
from assessment.services.spot_checks import confirm_spot_check, save_scores, submit_spot_check
from tests.assessment.conftest import entries_for, items_by_text, no_faults
from tests.conftest import make_user, upload_and_confirm
from units.roles import Role

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def confirm(spot_check, actor):
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": D("6"), "finding": "制度未及时修订"},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(spot_check, version=spot_check.version, entries=entries, summary="", actor=actor)
    submit_spot_check(spot_check, actor=actor)
    # 复核 by someone who did not score it
    confirm_spot_check(spot_check, actor=make_user(role=Role.LEADER))


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("organizer", 403),
        ("liaison_a", 404),  # planned checks are unannounced: not even their existence leaks
        ("liaison_b", 404),
        ("leader", 200),
        ("inspector", 200),
    ],
)
def test_planned_check_access(client_for, spot_check, persona, expected):
    assert client_for(persona).get(spot_check.get_absolute_url()).status_code == expected


@pytest.mark.parametrize("persona, expected", [("liaison_a", 200), ("liaison_b", 404)])
def test_confirmed_check_is_visible_to_its_units_liaison_only(
    client_for, spot_check, personas, persona, expected
):
    confirm(spot_check, personas["inspector"])
    assert client_for(persona).get(spot_check.get_absolute_url()).status_code == expected
    feedback = reverse("assessment:feedback", args=[spot_check.pk])
    assert client_for(persona).get(feedback).status_code == expected


@pytest.mark.parametrize(
    "url_name, expected",
    [
        ("assessment:checklist_list", {"liaison_a": 403, "organizer": 403, "leader": 200}),
        ("assessment:checklist_create", {"leader": 403, "inspector": 200}),
        ("assessment:round_list", {"liaison_a": 403, "leader": 200}),
        ("assessment:round_create", {"leader": 403, "inspector": 200}),
        ("assessment:spot_check_list", {"organizer": 403, "liaison_a": 200, "leader": 200}),
        ("assessment:spot_check_create", {"leader": 403, "inspector": 200}),
        ("assessment:rectification_list", {"organizer": 403, "liaison_a": 200}),
    ],
)
def test_page_access(client_for, url_name, expected):
    for persona, status in expected.items():
        assert client_for(persona).get(reverse(url_name)).status_code == status, persona


def test_evidence_is_checked_by_content_and_served_only_to_those_who_see_the_check(
    client_for, spot_check, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("assessment:evidence_upload", args=[spot_check.pk])
    inspector = client_for("inspector")
    disguised = SimpleUploadedFile("截图.png", b"MZ\x90\x00exe", content_type="image/png")
    inspector.post(url, {"file": disguised})
    assert not Evidence.objects.exists()
    inspector.post(url, {"file": SimpleUploadedFile("台账.pdf", PDF_BYTES)})
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    assert "台账" not in evidence.file.name  # the stored name is chosen by the server
    download = reverse("assessment:evidence_download", args=[spot_check.pk, evidence.pk])
    assert b"".join(inspector.get(download).streaming_content) == PDF_BYTES
    confirm(spot_check, personas["inspector"])
    assert client_for("liaison_b").get(download).status_code == 404
    assert client_for("liaison_a").get(download).status_code == 200


def pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_feedback_report_lists_items_points_findings_and_rectifications(
    client_for, spot_check, personas
):
    from assessment.services.rectifications import raise_rectification

    confirm(spot_check, personas["inspector"])
    raise_rectification(
        spot_check, requirement="修订保密审查制度", working_days=10, actor=personas["inspector"]
    )
    response = client_for("leader").get(reverse("assessment:feedback", args=[spot_check.pk]))
    text = pdf_text(response.content)
    for expected in ["抽查反馈单", "甲街道", "保密审查制度", "制度未及时修订", "修订保密审查制度"]:
        assert expected in text, expected
    # 6 + 10 + 20 = 36 of 40 → 90.00
    assert "90.00" in text


def test_checklist_xlsx_export_imports_back_identically(client_for, checklist):
    client = client_for("inspector")
    exported = client.get(reverse("assessment:checklist_export", args=[checklist.pk])).content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [cell.value for cell in sheet[1]][:4] == ["部分", "检查项", "评分标准", "分值"]
    _preview, response = upload_and_confirm(
        client,
        reverse("assessment:checklist_import"),
        reverse("assessment:checklist_import_confirm"),
        {"name": "导入的检查表", "year": 2027, "file": SimpleUploadedFile("c.xlsx", exported)},
    )
    imported = Checklist.objects.get(name="导入的检查表")
    assert response["Location"] == imported.get_absolute_url()

    def shape(c):
        return [
            (
                i.section.title,
                i.text,
                i.guidance,
                i.max_points,
                i.allows_na,
                i.is_veto,
                [(r.fault, r.points_per_occurrence) for r in i.rules.all()],
            )
            for i in items_by_text(c).values()
        ]

    assert shape(imported) == shape(checklist)
    assert imported.total_points() == D("40")


def test_checklist_import_lists_bad_rows_and_writes_nothing(client_for, checklist):
    text = "部分,检查项,分值,扣分规则\n一,甲,10,\n一,,abc,迟报\n二,乙,-1,迟报:2\n"
    preview, confirm = upload_and_confirm(
        client_for("inspector"),
        reverse("assessment:checklist_import"),
        reverse("assessment:checklist_import_confirm"),
        {"name": "坏表", "year": 2026, "file": SimpleUploadedFile("c.csv", text.encode())},
    )
    rows = [row.row_number for row in preview.context["preview"].rows if row.errors]
    assert rows == [3, 4]
    assert confirm["Location"] == reverse("assessment:checklist_import_preview")
    assert not Checklist.objects.filter(name="坏表").exists()
