"""Small builders and named personas shared by every test folder.

Personas: anonymous, outsider (logged in, no role), liaison_a and liaison_b (bound to unit A
and unit B), organizer, inspector, leader, admin.
"""

import itertools
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import settings as hypothesis_settings

from units.models import Unit, UnitCategory
from units.roles import Role
from units.services import assign_role

# Property tests: the same examples on every CI run; HYPOTHESIS_PROFILE=explore searches wider.
hypothesis_settings.register_profile("ci", max_examples=30, derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PASSWORD = "Correct-Horse-42"
_sequence = itertools.count(1)


def make_category(name=None, **overrides):
    name = name or f"类别{next(_sequence)}"
    category, _ = UnitCategory.objects.get_or_create(name=name, defaults=overrides)
    return category


def make_unit(name=None, *, category=None, **overrides):
    number = next(_sequence)
    fields = {
        "name": name or f"测试单位{number}",
        "code": f"T{number:04d}",
        "category": category or make_category("市级部门"),
        "sort_order": number,
    }
    fields.update(overrides)
    return Unit.objects.create(**fields)


def make_user(username=None, *, role=None, unit=None, **overrides):
    user = User.objects.create_user(
        username=username or f"user{next(_sequence)}", password=PASSWORD, **overrides
    )
    if role is not None:
        assign_role(user, role, unit=unit)
    return user


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (transactional tests flush the database, so a
    generation token could otherwise be met again)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run at once, in the test's own transaction (tests/core/test_jobs.py
    has one that goes through the real database worker)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Chinese): a request through the test client
    leaves its language active in the thread, so an English page would leak into the next
    test's direct gettext calls."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; the suite creates hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def working_day_calendar(db):
    """The years chinese-calendar knows, as the data migration leaves them: a transactional
    test's flush empties the table for the tests that follow it."""
    from workdays.models import CalendarDay
    from workdays.rules import library_rows

    if not CalendarDay.objects.exists():
        CalendarDay.objects.bulk_create(library_rows(CalendarDay))


def log_in(client, role, *, unit=None):
    """Log `client` in as a new user holding `role`; for tests that want no persona units."""
    client.force_login(make_user(role=role, unit=unit))
    return client


@pytest.fixture
def unit_a(db):
    return make_unit("甲街道", category=make_category("镇（街道）"), code="TA01")


@pytest.fixture
def unit_b(db):
    return make_unit("乙局", category=make_category("市级部门"), code="TB01")


@pytest.fixture
def personas(db, unit_a, unit_b):
    return {
        "outsider": make_user("outsider"),
        "liaison_a": make_user("liaison_a", role=Role.LIAISON, unit=unit_a),
        "liaison_b": make_user("liaison_b", role=Role.LIAISON, unit=unit_b),
        "organizer": make_user("organizer", role=Role.ORGANIZER),
        "inspector": make_user("inspector", role=Role.INSPECTOR),
        "leader": make_user("leader", role=Role.LEADER),
        "admin": make_user("admin", role=Role.ADMIN),
    }


@pytest.fixture
def client_for(client, personas):
    """`client_for("leader")` is a test client logged in as that persona."""

    def build(persona):
        if persona != "anonymous":
            client.force_login(personas[persona])
        return client

    return build


OFFICE = Path(__file__).resolve().parent / "data" / "office"


def office_file(name):
    """A file of the corpus written by LibreOffice (scripts/make_office_corpus.py)."""
    return SimpleUploadedFile(name, (OFFICE / name).read_bytes())


@pytest.fixture
def office_units(db, settings):
    """The units the office corpus names, as people write them (CITY_NAME 句容市)."""
    settings.CITY_NAME = "句容市"
    towns, departments = make_category("镇（街道）及板块"), make_category("市级部门")
    return {
        "华阳街道": make_unit("华阳街道", category=towns, code="ZJ01", short_name="华阳街道"),
        "开发区": make_unit(
            "经济开发区管委会",
            category=towns,
            code="ZJ12",
            short_name="开发区",
            aliases="开发区管委会、经开区",
        ),
        "发改委": make_unit(
            "市发展和改革委员会", category=departments, code="BM02", short_name="发改委"
        ),
        "教育局": make_unit(
            "市教育局", category=departments, code="BM03", short_name="教育局", sort_order=103
        ),
        "民政局": make_unit("市民政局", category=departments, code="BM07", short_name="民政局"),
    }


def import_token(client):
    """The token of the import preview the client was last shown (core.imports keeps one per
    importer in the session): what the preview's confirm form posts."""
    tokens = [value["token"] for key, value in client.session.items() if key.startswith("import:")]
    return tokens[-1] if tokens else ""


def upload_and_confirm(client, upload_url, confirm_url, data):
    """Upload a file to an importer, look at its preview and confirm it as a user would:
    returns (preview response or None when the upload form refused the file, confirm response
    or None)."""
    response = client.post(upload_url, data)
    if response.status_code != 302:
        return None, None
    preview = client.get(response.url)
    if preview.status_code != 200:
        return preview, None
    return preview, client.post(confirm_url, {"token": import_token(client)})
