"""E-mail settings from the environment: the console unless EMAIL_HOST names an SMTP server
(Django 6.1's MAILERS, so no deprecated EMAIL_* setting is defined)."""

import json
import os
import subprocess
import sys

from django.conf import settings


def mailers_with(**environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(environment)
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error::DeprecationWarning",
            "-c",
            "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
            " 'config.settings'); django.setup(); from django.conf import settings;"
            " print(json.dumps(settings.MAILERS))",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_email_goes_to_the_console_by_default():
    assert mailers_with() == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }


def test_an_smtp_server_from_the_environment():
    mailers = mailers_with(
        EMAIL_HOST="smtp.example.gov.cn",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="gk",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_SSL="on",
    )
    assert mailers["default"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.gov.cn",
            "port": 465,
            "username": "gk",
            "password": "secret",
            "use_tls": False,
            "use_ssl": True,
            "timeout": 20,
        },
    }
