import json
import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from training.services import register_attendee


def production_settings():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "disclosure.example.gov.cn",
    }
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
        "django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'hasher': s.PASSWORD_HASHERS[0], 'session_secure': s.SESSION_COOKIE_SECURE, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'httponly': s.SESSION_COOKIE_HTTPONLY, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'ssl': s.SECURE_SSL_REDIRECT, 'debug': s.DEBUG, "
        "'expire': s.SESSION_EXPIRE_AT_BROWSER_CLOSE, 'age': s.SESSION_COOKIE_AGE}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_mode_hardens_passwords_cookies_and_transport():
    values = production_settings()
    assert values == {
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "session_secure": True,
        "csrf_secure": True,
        "httponly": True,
        "hsts": 31536000,
        "ssl": True,
        "debug": False,
        "expire": True,
        "age": 8 * 60 * 60,
    }


def test_pages_carry_a_content_security_policy_without_inline_script(client_for):
    response = client_for("leader").get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "<script>" not in response.content.decode()


def test_uploaded_files_are_never_served_directly(client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "secret.pdf").write_bytes(b"%PDF-1.4")
    assert client_for("leader").get("/media/evidence/secret.pdf").status_code == 404


def test_history_page_shows_who_changed_what_in_chinese(client_for, personas, unit_a):
    from tests.training.conftest import make_training

    organizer = personas["organizer"]
    organizer.first_name = "李组织"
    organizer.save()
    training = make_training(created_by=organizer)
    person = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    client = client_for("organizer")
    client.post(
        reverse("training:attendance", args=[training.pk]),
        {"day": f"{training.days()[0]:%Y-%m-%d}", f"status-{person.pk}": "present"},
    )
    page = client_for("leader").get(reverse("history", args=["attendee", person.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "状态：已报名 → 已签到" in text
    assert "李组织" in text  # the attendance page recorded its user through the middleware
    assert "考勤记录" in text  # the day's mark is listed with the attendee
    assert (
        client_for("liaison_a").get(reverse("history", args=["attendee", person.pk])).status_code
        == 403
    )
