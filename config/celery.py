"""The Celery application used when TASKS_BACKEND=celery (Django's tasks framework on Redis,
through django-tasks-celery): `celery -A config worker` on as many machines as needed, each
with the same settings (DATABASE_URL, REDIS_URL) as the web servers."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
# the modules that define tasks: the worker registers them when it imports them
app.autodiscover_tasks(related_name="jobs")
