"""Long work as background tasks (core/jobs.py): big PDFs and the full recomputation are
handed to a task above their thresholds, the page shows the progress, only the requester sees
the job, and one test goes through the real database worker."""

import io
import os
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assessment.models import Scheme
from core.jobs import advance, start_job
from core.models import Job, Year
from tests.training.conftest import make_training
from training import tasks as training_tasks
from training.services import mark_attendance, register_attendee


@pytest.fixture
def training_of_three(personas, unit_a, unit_b):
    """Three people attended (two of unit A, one of unit B)."""
    organizer = personas["organizer"]
    training = make_training(created_by=organizer, seats_per_unit=3)
    people = [
        register_attendee(training, unit=unit, name=name, phone=phone, actor=organizer)
        for unit, name, phone in [
            (unit_a, "张三", "13800000001"),
            (unit_a, "王五", "13800000003"),
            (unit_b, "李四", "13800000002"),
        ]
    ]
    mark_attendance(
        training,
        training.days()[0],
        dict.fromkeys((p.pk for p in people), "present"),
        actor=organizer,
    )
    return training


def pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def run(client, url, django_capture_on_commit_callbacks, method="get"):
    """Request `url`; the task is enqueued on commit and runs at once (immediate backend)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(url)
    assert response.status_code == 302
    return Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_certificates_for_many_people_are_made_in_steps_in_the_background(
    client_for, training_of_three, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(training_tasks, "BACKGROUND_ABOVE", 2)
    monkeypatch.setattr(training_tasks, "CERTIFICATES_PER_STEP", 2)  # 3 people: 2 steps
    client = client_for("organizer")
    url = reverse("training:certificates", args=[training_of_three.pk])
    job = run(client, url, django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total, job.percent) == ("done", 2, 2, 100)

    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert "全市政府信息公开培训班" in page.content.decode()
    assert client.get(reverse("job_status", args=[job.pk])).json() == {
        "status": "done",
        "label": "已完成",
        "percent": 100,
        "finished": True,
        "download": True,
        "message": "",
    }
    download = client.get(reverse("job_download", args=[job.pk]))
    texts = pages(b"".join(download.streaming_content))
    assert len(texts) == 3
    assert ["张三" in texts[0], "王五" in texts[1], "李四" in texts[2]] == [True, True, True]


def test_few_certificates_are_still_made_while_the_user_waits(client_for, training_of_three):
    response = client_for("organizer").get(
        reverse("training:certificates", args=[training_of_three.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert len(pages(response.content)) == 3
    assert not Job.objects.exists()


def test_a_big_sign_in_sheet_is_made_in_the_background(
    client_for, training_of_three, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(training_tasks, "BACKGROUND_ABOVE", 2)
    client = client_for("organizer")
    url = reverse("training:sign_in_sheet", args=[training_of_three.pk])
    job = run(client, url, django_capture_on_commit_callbacks)
    assert job.status == "done"
    (text,) = pages(b"".join(client.get(reverse("job_download", args=[job.pk])).streaming_content))
    assert "签到表" in text and "李四" in text


def test_the_notice_and_the_recomputation_run_in_the_background(
    client_for, unit_a, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from assessment import tasks as assessment_tasks

    monkeypatch.setattr(assessment_tasks, "NOTICE_IN_BACKGROUND_ABOVE", 0)
    Scheme.objects.create(year=Year.objects.get_or_create(year=timezone.localdate().year)[0])
    client = client_for("leader")
    notice = run(client, reverse("assessment:notice"), django_capture_on_commit_callbacks)
    assert notice.status == "done" and notice.filename.endswith(".pdf")

    again = run(client, reverse("assessment:recompute"), django_capture_on_commit_callbacks, "post")
    assert (again.status, again.file.name, again.next_url) == (
        "done",
        "",
        reverse("assessment:ranking"),
    )
    assert client.get(reverse("job_download", args=[again.pk])).status_code == 404  # no file
    assert "排名" in client.get(again.get_absolute_url()).content.decode()  # the way on


@pytest.mark.parametrize(
    "persona, expected", [("organizer", 200), ("leader", 404), ("liaison_a", 404), ("admin", 404)]
)
def test_only_the_requester_sees_a_job(client_for, personas, persona, expected):
    job = Job.objects.create(title="证书", requested_by=personas["organizer"])
    for name in ("job", "job_status", "job_download"):
        code = client_for(persona).get(reverse(name, args=[job.pk])).status_code
        assert code == (404 if name == "job_download" else expected)  # nothing to download yet


def failing_work(job):
    advance(job, 1, 4)
    raise ValueError("broken")


def test_a_failed_job_says_so(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(f"{__name__}.failing_work", title="坏", actor=personas["organizer"])
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("failed", 1, 4, 25)
    assert "broken" in job.error


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_job_end_to_end(
    client_for, training_of_three, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(training_tasks, "BACKGROUND_ABOVE", 2)
    client = client_for("organizer")
    response = client.get(reverse("training:certificates", args=[training_of_three.pk]))
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert client.get(reverse("job_status", args=[job.pk])).json()["status"] == "queued"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == "done"
    download = client.get(reverse("job_download", args=[job.pk]))
    assert len(pages(b"".join(download.streaming_content))) == 3


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (.ci/run does)"
)
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_redis_runs_a_job_end_to_end(
    client_for, training_of_three, settings, monkeypatch
):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_celery.CeleryBackend",
            "OPTIONS": {"CELERY_APP": "config.celery.app"},
        }
    }
    app.conf.task_default_queue = f"govdisclosure-test-{os.getpid()}"  # this run's own queue
    monkeypatch.setattr(training_tasks, "BACKGROUND_ABOVE", 2)
    client = client_for("organizer")
    response = client.get(reverse("training:certificates", args=[training_of_three.pk]))
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        for _ in range(300):
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
    assert job.status == "done"
    download = client.get(reverse("job_download", args=[job.pk]))
    assert len(pages(b"".join(download.streaming_content))) == 3


def test_clicking_again_while_a_job_runs_returns_that_job(
    client_for, personas, training_of_three, monkeypatch
):
    # the task is enqueued on commit, and the test's transaction never commits: it stays queued
    monkeypatch.setattr(training_tasks, "BACKGROUND_ABOVE", 2)
    client = client_for("organizer")
    url = reverse("training:sign_in_sheet", args=[training_of_three.pk])
    pages_shown = {client.get(url).url for _click in range(20)}
    (job,) = Job.objects.all()
    assert pages_shown == {job.get_absolute_url()}

    Job.objects.update(status=Job.Status.RUNNING)
    assert client.get(url).url == job.get_absolute_url()

    # done (or failed): the next click is new work
    Job.objects.update(status=Job.Status.DONE)
    assert client.get(url).url != job.get_absolute_url()
    assert Job.objects.count() == 2


def test_only_the_same_user_work_and_arguments_share_a_job(personas):
    organizer, leader = personas["organizer"], personas["leader"]
    first = start_job("training.tasks.sign_in_sheet", 1, title="签到表", actor=organizer)
    assert start_job("training.tasks.sign_in_sheet", 1, title="签到表", actor=organizer) == first
    others = [
        start_job("training.tasks.sign_in_sheet", 2, title="签到表", actor=organizer),
        start_job("training.tasks.certificates", 1, title="证书", actor=organizer),
        start_job("training.tasks.sign_in_sheet", 1, title="签到表", actor=leader),
    ]
    assert len({first.pk, *(job.pk for job in others)}) == 4


def test_a_job_queued_for_over_an_hour_is_taken_for_lost(personas):
    from datetime import timedelta

    from django.utils import timezone

    organizer = personas["organizer"]
    lost = start_job("training.tasks.sign_in_sheet", 1, title="签到表", actor=organizer)
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    assert start_job("training.tasks.sign_in_sheet", 1, title="签到表", actor=organizer) != lost


def test_the_recomputation_page_does_not_say_computing_once_done(
    client_for, unit_a, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    Scheme.objects.create(year=Year.objects.get_or_create(year=timezone.localdate().year)[0])
    client = client_for("leader")
    job = run(client, reverse("assessment:recompute"), django_capture_on_commit_callbacks, "post")
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.status == "done"
    assert f"重新计算 {timezone.localdate().year} 年度考核结果" in page
    assert "正在计算" not in page
