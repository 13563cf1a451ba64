"""Several files per rectification answer; a file not yet sent can be removed by the unit (and
is gone from storage), a sent one cannot; nobody outside the unit sees files not yet sent."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessment.models import Rectification, RectificationFile
from assessment.services import AssessmentError
from assessment.services.rectifications import (
    MAX_FILES_PER_ANSWER,
    add_answer_files,
    answer_rectification,
    raise_rectification,
    remove_answer_file,
)
from tests.assessment.test_rectifications import PDF_BYTES

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def rectification(confirmed_check, personas):
    return raise_rectification(
        confirmed_check, requirement="补齐审查记录", working_days=5, actor=personas["inspector"]
    )


def test_liaison_adds_several_files_removes_a_wrong_one_then_sends(
    rectification, personas, settings, django_capture_on_commit_callbacks
):
    liaison = personas["liaison_a"]
    report, photo, wrong = add_answer_files(
        rectification,
        [pdf(), SimpleUploadedFile("现场照片.png", PNG_BYTES), pdf("错传的文件.pdf")],
        actor=liaison,
    )
    assert all(stored.pending for stored in (report, photo, wrong))
    path = Path(settings.MEDIA_ROOT) / wrong.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        remove_answer_file(wrong, actor=liaison)
    assert not path.exists()  # a wrongly uploaded file does not stay on the server
    answer_rectification(
        rectification, response="已补齐", files=[pdf("补充说明.pdf")], actor=liaison
    )
    sent = rectification.files.order_by("pk")
    assert [(f.original_name, f.pending) for f in sent] == [
        ("整改报告.pdf", False),
        ("现场照片.png", False),
        ("补充说明.pdf", False),
    ]
    with pytest.raises(AssessmentError) as refused:
        remove_answer_file(sent[0], actor=liaison)
    assert refused.value.code == "bad_status"  # answered: nothing awaits the unit any more


def test_a_file_sent_with_an_earlier_answer_stays_after_a_return(rectification, personas):
    liaison = personas["liaison_a"]
    answer_rectification(rectification, response="已补齐", files=[pdf()], actor=liaison)
    Rectification.objects.filter(pk=rectification.pk).update(status=Rectification.Status.RETURNED)
    rectification.refresh_from_db()
    with pytest.raises(AssessmentError) as refused:
        remove_answer_file(rectification.files.get(), actor=liaison)
    assert refused.value.code == "sent"
    (added,) = add_answer_files(rectification, [pdf("9月记录.pdf")], actor=liaison)
    remove_answer_file(added, actor=liaison)
    assert [f.original_name for f in rectification.files.all()] == ["整改报告.pdf"]


def test_one_bad_file_refuses_the_whole_batch(rectification, personas):
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf")
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="只能上传"):
        add_answer_files(rectification, [pdf(), fake], actor=personas["liaison_a"])
    assert not RectificationFile.objects.exists()


def test_an_answer_carries_at_most_the_limit_of_files(rectification, personas):
    uploads = [pdf(f"{n}.pdf") for n in range(MAX_FILES_PER_ANSWER + 1)]
    with pytest.raises(AssessmentError) as refused:
        add_answer_files(rectification, uploads, actor=personas["liaison_a"])
    assert refused.value.code == "too_many_files"


@pytest.mark.parametrize("persona", ["inspector", "liaison_b", "admin"])
def test_only_the_units_liaison_adds_or_removes_files(rectification, personas, persona):
    (stored,) = add_answer_files(rectification, [pdf()], actor=personas["liaison_a"])
    with pytest.raises(AssessmentError):
        add_answer_files(rectification, [pdf("别的.pdf")], actor=personas[persona])
    with pytest.raises(AssessmentError):
        remove_answer_file(stored, actor=personas[persona])
    assert RectificationFile.objects.count() == 1


def test_the_pages_upload_several_files_and_remove_one(rectification, client_for, personas):
    liaison = client_for("liaison_a")
    url = rectification.get_absolute_url()
    add = reverse("assessment:rectification_files_add", args=[rectification.pk])
    response = liaison.post(add, {"files": [pdf(), pdf("错传的文件.pdf")]})
    assert response.status_code == 302
    page = liaison.get(url)
    assert [f.original_name for f in page.context["pending_files"]] == [
        "整改报告.pdf",
        "错传的文件.pdf",
    ]
    assert "multiple" in page.content.decode()
    wrong = RectificationFile.objects.get(original_name="错传的文件.pdf")
    remove = reverse("assessment:rectification_file_remove", args=[rectification.pk, wrong.pk])
    download = reverse("assessment:rectification_file", args=[rectification.pk, wrong.pk])

    # files not sent yet are the unit's: the inspector neither sees nor fetches them
    inspector = client_for("inspector")
    assert inspector.get(url).context["files"] == []
    assert inspector.get(download).status_code == 404
    assert inspector.post(remove).status_code == 403
    other = client_for("liaison_b")
    assert other.post(remove).status_code == 404
    assert other.post(add, {"files": [pdf()]}).status_code == 404

    liaison = client_for("liaison_a")
    assert liaison.post(remove).status_code == 302
    assert not RectificationFile.objects.filter(pk=wrong.pk).exists()
    assert liaison.post(url, {"response": "已补齐"}).status_code == 302
    files = client_for("inspector").get(url).context["files"]
    assert [f.original_name for f in files] == ["整改报告.pdf"]


def test_adding_no_file_says_so(rectification, client_for):
    add = reverse("assessment:rectification_files_add", args=[rectification.pk])
    response = client_for("liaison_a").post(add, {}, follow=True)
    assert "请选择要添加的文件" in response.content.decode()
    assert not RectificationFile.objects.exists()
