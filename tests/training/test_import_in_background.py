"""A big attendee import is registered by a background job (core/jobs.py): the confirm sends
the user to the job's page, which says what was imported or why nothing was."""

import pytest
from django.urls import reverse

from core.models import Job
from tests.training.test_import import confirm, gbk_csv, upload
from training import tasks
from training.models import Attendee
from training.services import register_attendee

THREE_PEOPLE = (
    "单位,姓名,手机\n甲街道,甲一,13800000001\n甲街道,甲二,13800000002\n乙局,乙一,13900000001\n"
)


@pytest.fixture
def organizer(client_for):
    return client_for("organizer")


@pytest.fixture
def above_threshold(monkeypatch):
    monkeypatch.setattr(tasks, "IMPORT_ABOVE", 2)  # three rows are "many"


def confirm_and_run(client, training, django_capture_on_commit_callbacks):
    """Confirm; the job is enqueued on commit and runs at once (the immediate backend)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, training)
    assert response.status_code == 302
    return response, Job.objects.get()


def test_a_big_file_is_imported_by_a_job_whose_page_says_how_many(
    organizer, training, unit_a, unit_b, above_threshold, django_capture_on_commit_callbacks
):
    upload(organizer, training, gbk_csv(THREE_PEOPLE))
    response, job = confirm_and_run(organizer, training, django_capture_on_commit_callbacks)

    assert response.url == reverse("job", args=[job.pk])
    assert (job.status, job.message, job.payload) == ("done", "已导入 3 名参训人员。", None)
    assert job.next_url == training.get_absolute_url()
    assert sorted(Attendee.objects.values_list("name", flat=True)) == ["乙一", "甲一", "甲二"]
    assert Attendee.history.filter(history_type="+").count() == 3
    assert set(Attendee.objects.values_list("registered_by__username", flat=True)) == {"organizer"}
    page = organizer.get(response.url).content.decode()
    assert "已导入 3 名参训人员。" in page
    assert "data-job-failed hidden" in page
    status = organizer.get(reverse("job_status", args=[job.pk])).json()
    assert (status["status"], status["message"]) == ("done", "已导入 3 名参训人员。")
    # the preview was used up: confirming it again imports nothing more
    assert confirm(organizer, training).status_code == 302
    assert Attendee.objects.count() == 3


def test_a_registration_made_meanwhile_fails_the_job_with_the_reason_and_imports_nothing(
    organizer,
    training,
    unit_a,
    unit_b,
    personas,
    above_threshold,
    django_capture_on_commit_callbacks,
):
    upload(organizer, training, gbk_csv(THREE_PEOPLE))
    register_attendee(
        training, unit=unit_a, name="甲二", phone="13800000002", actor=personas["organizer"]
    )
    response, job = confirm_and_run(organizer, training, django_capture_on_commit_callbacks)

    assert (job.status, job.payload) == ("failed", None)
    assert job.message == "甲二（13800000002）已报名本次培训。"
    assert list(Attendee.objects.values_list("name", flat=True)) == ["甲二"]
    page = organizer.get(response.url).content.decode()
    assert job.message in page
    # the general apology is for crashes, not for a refusal the user can act on
    assert "data-job-failed hidden" in page
    # and the way back to the training is offered (it was only after a success)
    assert "<div data-job-back>" in page and f'href="{training.get_absolute_url()}"' in page
    assert organizer.get(reverse("job_status", args=[job.pk])).json()["message"] == job.message


def test_a_file_at_the_threshold_is_imported_while_the_user_waits(
    organizer, training, unit_a, unit_b, monkeypatch
):
    monkeypatch.setattr(tasks, "IMPORT_ABOVE", 3)
    upload(organizer, training, gbk_csv(THREE_PEOPLE))
    response = confirm(organizer, training)
    assert response.url == training.get_absolute_url()
    assert Attendee.objects.count() == 3
    assert not Job.objects.exists()


def test_only_the_importer_sees_the_import_job(
    organizer,
    client_for,
    training,
    unit_a,
    unit_b,
    above_threshold,
    django_capture_on_commit_callbacks,
):
    upload(organizer, training, gbk_csv(THREE_PEOPLE))
    _response, job = confirm_and_run(organizer, training, django_capture_on_commit_callbacks)
    for other in ("leader", "admin", "liaison_a"):
        assert client_for(other).get(reverse("job", args=[job.pk])).status_code == 404
