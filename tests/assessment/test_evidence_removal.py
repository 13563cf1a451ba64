"""A wrongly uploaded evidence file can be removed while the check is being scored, by one of
its inspectors, and is then gone from storage too; once submitted, evidence stays."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Evidence, SpotCheck
from assessment.services import AssessmentError
from assessment.services.spot_checks import remove_evidence, save_scores, submit_spot_check
from tests.assessment.conftest import entries_for, no_faults
from tests.assessment.test_rectifications import PDF_BYTES
from tests.conftest import make_user
from units.roles import Role


@pytest.fixture
def uploaded(spot_check, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("inspector")
    upload = SimpleUploadedFile("错传的台账.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(reverse("assessment:evidence_upload", args=[spot_check.pk]), {"file": upload})
    return Evidence.objects.get()


def test_an_inspector_of_the_check_removes_it_and_the_file_goes(
    uploaded, spot_check, client_for, settings, django_capture_on_commit_callbacks
):
    path = Path(settings.MEDIA_ROOT) / uploaded.file.name
    assert path.exists()
    url = reverse("assessment:evidence_remove", args=[spot_check.pk, uploaded.pk])
    assert url in client_for("inspector").get(spot_check.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("inspector").post(url).status_code == 302
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_another_inspector_cannot_remove_it(uploaded):
    outsider = make_user("inspector_c", role=Role.INSPECTOR)
    with pytest.raises(AssessmentError) as refused:
        remove_evidence(uploaded, actor=outsider)
    assert refused.value.code == "forbidden"
    assert Evidence.objects.count() == 1


def test_a_submitted_check_keeps_its_evidence(uploaded, spot_check, personas, client_for):
    inspector = personas["inspector"]
    entries = entries_for(
        spot_check.checklist,
        {
            "保密审查制度": {"points": D("8")},
            "信息发布及时": no_faults(spot_check.checklist),
            "按期答复": {"points": D("20")},
        },
    )
    save_scores(spot_check, version=0, entries=entries, summary="", actor=inspector)
    submit_spot_check(SpotCheck.objects.get(pk=spot_check.pk), actor=inspector)
    url = reverse("assessment:evidence_remove", args=[spot_check.pk, uploaded.pk])
    response = client_for("inspector").post(url, follow=True)
    assert "已提交，佐证材料不能再删除" in response.content.decode()
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("persona", ["liaison_a", "liaison_b", "leader"])
def test_other_roles_are_refused(uploaded, spot_check, client_for, persona):
    url = reverse("assessment:evidence_remove", args=[spot_check.pk, uploaded.pk])
    assert client_for(persona).post(url).status_code == 403
    assert Evidence.objects.count() == 1
