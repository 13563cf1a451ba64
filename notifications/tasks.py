"""The background side of notifications (Django's tasks framework, core/jobs.py explains the
set-up): sending e-mail after a writer's commit, and the periodic reminder run.

django-tasks-db has no scheduler, so something must enqueue the periodic run: cron calling
`manage.py send_reminders` (README), which does the same work directly."""

from django.tasks import task


@task
def deliver_emails_task():
    from notifications.services import deliver_emails

    sent, failed = deliver_emails()
    return {"sent": sent, "failed": failed}


@task
def send_reminders_task():
    from notifications.reminders import send_reminders

    created = send_reminders()
    return {"created": len(created)}
