"""Every URL of the project (read from the resolver, so a new page cannot escape) for every
persona, GET and POST, against the outcome the policy says. Objects belong to unit A, so
unit B's liaison must get 404 wherever an object is involved.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessment.models import (
    Adjustment,
    Evidence,
    Indicator,
    Rectification,
    RectificationFile,
    SamplingRound,
    Scheme,
    SelfEvidence,
    SpotCheck,
)
from assessment.services.checklists import build_checklist
from assessment.services.rounds import draw_round
from assessment.services.self_assessment import create_campaign
from core.models import Job, Year
from notifications.models import Kind, Notification
from tests.assessment.conftest import SMALL_CHECKLIST
from tests.training.conftest import make_training
from training.checkin import projector_code
from training.models import WalkIn
from training.services import mark_attendance, register_attendee

PERSONAS = ["anonymous", "liaison_a", "liaison_b", "organizer", "inspector", "leader", "admin"]
LOGGED_IN = PERSONAS[1:]
LIAISONS = {"liaison_a", "liaison_b"}
CITY = {"organizer", "inspector", "leader", "admin"}
ORGANIZERS = {"organizer", "admin"}
INSPECTORS = {"inspector", "admin"}
ASSESSORS = {"inspector", "leader", "admin"}  # spot checks, checklists, rounds, the scheme
RANKING = {"organizer", "inspector", "leader", "admin"}
HISTORY = {"leader", "admin"}


def only(allowed, ok, *, denied=403, b_gets=None):
    """Expected codes: anonymous → login redirect; `allowed` → ok; liaison B → b_gets when the
    object is unit A's (404); everyone else → denied."""
    codes = {"anonymous": 302}
    for persona in LOGGED_IN:
        codes[persona] = ok if persona in allowed else denied
    if b_gets is not None and "liaison_b" in allowed:
        codes["liaison_b"] = b_gets
    return codes


def everyone(code):
    return {"anonymous": 302, **dict.fromkeys(LOGGED_IN, code)}


ALL = set(LOGGED_IN)
UNIT_A_READERS = CITY | LIAISONS  # objects of unit A: B's liaison gets 404

# url name → (kwargs key, expected GET, expected POST)
MATRIX = {
    "home": (None, everyone(200), everyone(200)),
    "login": (
        None,
        {"anonymous": 200, **dict.fromkeys(LOGGED_IN, 302)},
        {"anonymous": 200, **dict.fromkeys(LOGGED_IN, 302)},
    ),
    "logout": (None, everyone(405), everyone(302)),
    "password_change": (None, everyone(200), everyone(200)),
    "password_change_done": (None, everyone(200), everyone(405)),
    "favicon": (None, dict.fromkeys(PERSONAS, 301), dict.fromkeys(PERSONAS, 301)),
    "set_language": (None, dict.fromkeys(PERSONAS, 302), dict.fromkeys(PERSONAS, 302)),
    "set_year": (None, everyone(405), everyone(302)),
    "history": ("history", only(HISTORY, 200), only(HISTORY, 200)),
    # a background job is seen by whoever started it (here the organizer), by nobody else
    "job": ("job", only({"organizer"}, 200, denied=404), only(ALL, 405)),
    "job_status": ("job", only({"organizer"}, 200, denied=404), only(ALL, 405)),
    "job_download": ("job", only({"organizer"}, 200, denied=404), only(ALL, 405)),
    # units
    "units:list": (None, only(ALL, 200), only(ALL, 405)),
    "units:create": (None, only({"admin"}, 200), only({"admin"}, 200)),
    "units:import": (None, only({"admin"}, 200), only({"admin"}, 200)),
    "units:import_template": (None, only({"admin"}, 200), only({"admin"}, 200)),
    "units:import_preview": (None, only({"admin"}, 302), only({"admin"}, 302)),
    "units:import_confirm": (None, only({"admin"}, 405, denied=405), only({"admin"}, 302)),
    "units:detail": ("unit", only(ALL, 200, b_gets=404), only(ALL, 405)),
    "units:update": ("unit", only({"admin"}, 200), only({"admin"}, 200)),
    # training
    "training:list": (None, only(ALL, 200), only(ALL, 405)),
    "training:create": (None, only(ORGANIZERS, 200), only(ORGANIZERS, 200)),
    "training:statistics": (None, only(CITY, 200), only(CITY, 405)),
    "training:detail": ("training", only(ALL, 200), only(ALL, 405)),
    "training:update": ("training", only(ORGANIZERS, 200), only(ORGANIZERS, 200)),
    "training:attendee_add": ("training", only(ALL, 200), only(ALL, 200)),
    "training:attendee_edit": (
        "attendee",
        only(ORGANIZERS | LIAISONS, 200, b_gets=404),
        only(ORGANIZERS | LIAISONS, 200, b_gets=404),
    ),
    "training:attendee_remove": ("attendee", only(ALL, 405), only(ALL, 302, b_gets=404)),
    "training:certificate": ("attendee", only(ALL, 200, b_gets=404), only(ALL, 200, b_gets=404)),
    "training:attendee_import": ("training", only(ALL, 200), only(ALL, 200)),
    "training:attendee_import_preview": ("training", only(ALL, 302), only(ALL, 302)),
    "training:attendee_import_confirm": ("training", only(ALL, 405), only(ALL, 302)),
    "training:attendee_import_template": ("training", only(ALL, 200), only(ALL, 200)),
    "training:attendance": ("training", only(ORGANIZERS, 200), only(ORGANIZERS, 302)),
    "training:sign_in_sheet": ("training", only(ORGANIZERS, 200), only(ORGANIZERS, 200)),
    "training:attendance_summary": ("training", only(CITY, 200), only(CITY, 200)),
    "training:certificates": ("training", only(ORGANIZERS, 200), only(ORGANIZERS, 200)),
    # 扫码签到: the organizer's projector page, its fresh code, the poster, the live figures;
    # the public page a code opens needs no login (an empty POST is a form with errors)
    "training:checkin_screen": ("training", only(ORGANIZERS, 200), only(ALL, 405)),
    "training:checkin_code": ("training", only(ORGANIZERS, 200), only(ALL, 405)),
    "training:checkin_poster": ("training", only(ORGANIZERS, 200), only(ALL, 405)),
    "training:attendance_live": ("training", only(ORGANIZERS, 200), only(ALL, 405)),
    "training:checkin": ("checkin", dict.fromkeys(PERSONAS, 200), dict.fromkeys(PERSONAS, 200)),
    "training:walk_in": ("checkin", dict.fromkeys(PERSONAS, 200), dict.fromkeys(PERSONAS, 200)),
    # a bare POST names no decision: a message and back to the attendance page
    "training:walk_in_decide": ("walk_in", only(ALL, 405), only(ORGANIZERS, 302)),
    # year-end assessment
    "assessment:scheme": (None, only(ASSESSORS, 200), only({"leader", "admin"}, 200)),
    "assessment:open_year": (None, only(ALL, 405), only({"leader", "admin"}, 302)),
    "assessment:indicators": (None, only(ASSESSORS, 200), only(ASSESSORS, 302)),
    "assessment:indicator_import": (None, only(ASSESSORS, 200), only(ASSESSORS, 200)),
    # without a file in the session the preview sends back to the upload, a confirm without
    # the preview's token is refused with a message
    "assessment:indicator_import_preview": (None, only(ASSESSORS, 302), only(ASSESSORS, 302)),
    "assessment:indicator_import_confirm": (
        None,
        only(ASSESSORS, 405, denied=405),
        only(ASSESSORS, 302),
    ),
    "assessment:indicator_export": (None, only(ASSESSORS, 200), only(ASSESSORS, 200)),
    "assessment:adjustments": (None, only(ASSESSORS, 200), only(ASSESSORS, 200)),
    "assessment:adjustment_remove": ("adjustment", only(ALL, 405), only(ASSESSORS, 302)),
    "assessment:proposal_decide": ("proposal", only(ALL, 405), only(ASSESSORS, 302)),
    # no 自评失实 proposal is open in the world: the service refuses with a message
    "assessment:overstatement_decide": ("overstatement", only(ALL, 405), only(ASSESSORS, 302)),
    "assessment:ranking": (None, only(RANKING, 200), only(RANKING, 200)),
    "assessment:notice": (None, only(RANKING, 200), only(RANKING, 200)),
    "assessment:breakdown": (
        "unit_pk",
        only(RANKING | LIAISONS, 200, b_gets=404),
        only(RANKING | LIAISONS, 200, b_gets=404),
    ),
    "assessment:recompute": (None, only(ALL, 405), only(RANKING, 302)),
    # the world leaves work unfinished: the page lists it and a bare POST is not a confirmation
    "assessment:publish": (None, only({"leader", "admin"}, 200), only({"leader", "admin"}, 302)),
    "assessment:reopen": (None, only(ALL, 405), only({"admin"}, 302)),
    # checklists
    "assessment:checklist_list": (None, only(ASSESSORS, 200), only(ASSESSORS, 200)),
    "assessment:checklist_create": (None, only(INSPECTORS, 200), only(INSPECTORS, 200)),
    "assessment:checklist_import": (None, only(INSPECTORS, 200), only(INSPECTORS, 200)),
    "assessment:checklist_import_preview": (None, only(INSPECTORS, 302), only(INSPECTORS, 302)),
    "assessment:checklist_import_confirm": (
        None,
        only(INSPECTORS, 405, denied=405),
        only(INSPECTORS, 302),
    ),
    "assessment:checklist_import_template": (
        None,
        only(INSPECTORS, 200),
        only(INSPECTORS, 200),
    ),
    "assessment:checklist_detail": ("checklist", only(ASSESSORS, 200), only(ASSESSORS, 200)),
    "assessment:checklist_copy": ("checklist", only(ALL, 405), only(INSPECTORS, 302)),
    "assessment:checklist_export": ("checklist", only(ASSESSORS, 200), only(ASSESSORS, 200)),
    # the checklist is in use, so its structure pages send inspectors back with a message
    "assessment:section_add": ("checklist", only(INSPECTORS, 302), only(INSPECTORS, 302)),
    "assessment:section_edit": ("section", only(INSPECTORS, 302), only(INSPECTORS, 302)),
    "assessment:item_add": ("checklist", only(INSPECTORS, 302), only(INSPECTORS, 302)),
    "assessment:item_edit": ("item", only(INSPECTORS, 302), only(INSPECTORS, 302)),
    "assessment:item_delete": ("item", only(ALL, 405), only(INSPECTORS, 302)),
    # rounds
    "assessment:round_list": (None, only(ASSESSORS, 200), only(ASSESSORS, 200)),
    "assessment:round_create": (None, only(INSPECTORS, 200), only(INSPECTORS, 200)),
    "assessment:round_detail": ("round", only(ASSESSORS, 200), only(ASSESSORS, 200)),
    "assessment:round_draw": ("round", only(ALL, 405), only(INSPECTORS, 302)),
    "assessment:round_notice": ("round", only(ASSESSORS, 200), only(ASSESSORS, 200)),
    # spot checks (unit A's, confirmed): liaison A may read, liaison B gets 404
    "assessment:spot_check_list": (
        None,
        only(ASSESSORS | LIAISONS, 200),
        only(ASSESSORS | LIAISONS, 405),
    ),
    "assessment:spot_check_create": (None, only(INSPECTORS, 200), only(INSPECTORS, 200)),
    "assessment:spot_check_detail": (
        "check",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    # confirmed: nobody may score it or add evidence any more; its inspectors (and admins) are
    # sent back to the check with a message saying why, everyone else is refused
    "assessment:spot_check_score": ("check", only(INSPECTORS, 302), only(INSPECTORS, 302)),
    # leaders confirm (复核) too; the service decides per check and action
    "assessment:spot_check_transition": ("transition", only(ALL, 405), only(ASSESSORS, 302)),
    "assessment:evidence_upload": ("check", only(ALL, 405), only(INSPECTORS, 302)),
    "assessment:evidence_remove": ("evidence", only(ALL, 405), only(INSPECTORS, 302)),
    "assessment:evidence_download": (
        "evidence",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    "assessment:feedback": (
        "check",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    "assessment:rectification_create": ("check", only(INSPECTORS, 200), only(INSPECTORS, 200)),
    "assessment:unit_history": (
        "unit_pk",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    "assessment:rectification_list": (
        None,
        only(ASSESSORS | LIAISONS, 200),
        only(ASSESSORS | LIAISONS, 405),
    ),
    "assessment:rectification_detail": (
        "rectification",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        # only the unit's liaison has something to post while the rectification is open; the
        # inspectors and the admin, who verify answers, are told its state (nothing to verify)
        {**only({"liaison_a"}, 200), "liaison_b": 404, "inspector": 302, "admin": 302},
    ),
    "assessment:rectification_file": (
        "file",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    # self-assessment (自查自评): unit A's, in an open campaign, still a draft
    "assessment:campaign_list": (
        None,
        only(ASSESSORS | LIAISONS, 200),
        only(ASSESSORS | LIAISONS, 405),
    ),
    "assessment:campaign_create": (None, only(INSPECTORS, 200), only(INSPECTORS, 200)),
    "assessment:campaign_detail": (
        "campaign",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    "assessment:self_assessment_detail": (
        "self_assessment",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    # only the unit's own liaison fills it in (a bare POST is an invalid form, shown again)
    "assessment:self_assessment_fill": (
        "self_assessment",
        {**only({"liaison_a"}, 200), "liaison_b": 404},
        {**only({"liaison_a"}, 200), "liaison_b": 404},
    ),
    # a draft cannot be returned: the service says so; a role that never returns one: 403
    "assessment:self_assessment_return": (
        "self_assessment",
        only(ALL, 405),
        only(INSPECTORS, 302),
    ),
    "assessment:self_assessment_pdf": (
        "self_assessment",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    "assessment:self_evidence_upload": (
        "self_assessment",
        only(ALL, 405),
        {**only({"liaison_a"}, 302), "liaison_b": 404},
    ),
    "assessment:self_evidence_download": (
        "self_evidence",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    # assessors pass the page's capability; the service refuses anyone but the unit's liaison
    "assessment:self_evidence_remove": (
        "self_evidence",
        only(ALL, 405),
        only(ASSESSORS | LIAISONS, 302, b_gets=404),
    ),
    # working-day calendar
    "workdays:index": (None, only({"admin"}, 302), only({"admin"}, 405)),
    "workdays:year": ("calendar_year", only({"admin"}, 200), only({"admin"}, 405)),
    "workdays:edit": ("calendar_year", only({"admin"}, 200), only({"admin"}, 200)),
    "assessment:rectification_notice": (
        "rectification",
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
        only(ASSESSORS | LIAISONS, 200, b_gets=404),
    ),
    # the unit's liaison adds files for its answer, or removes one not yet sent (the world's file
    # was sent: removing it is refused with a message)
    "assessment:rectification_files_add": (
        "rectification",
        only(ALL, 405),
        only(LIAISONS, 302, b_gets=404),
    ),
    "assessment:rectification_file_remove": (
        "file",
        only(ALL, 405),
        only(LIAISONS, 302, b_gets=404),
    ),
    # everyone has their own notifications; the world's one is liaison A's, nobody else's
    "notifications:list": (None, everyone(200), everyone(405)),
    "notifications:open": ("notification", everyone(405), only({"liaison_a"}, 302, denied=404)),
    "notifications:read_all": (None, everyone(405), everyone(302)),
    "notifications:settings": (None, everyone(200), everyone(302)),
}


def url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's own admin: is_staff plus model permissions
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return list(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    names = url_names()
    assert None not in names and "None" not in names, "every URL pattern needs a name"
    assert sorted(set(names) - set(MATRIX)) == []
    assert sorted(set(MATRIX) - set(names)) == []


@pytest.fixture
def world(personas, unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organizer, inspector, leader = (personas[p] for p in ("organizer", "inspector", "leader"))
    training = make_training(created_by=organizer, start=timezone.localdate() - timedelta(days=10))
    attendee = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    register_attendee(training, unit=unit_b, name="乙一", phone="13800000002", actor=organizer)
    mark_attendance(training, training.days()[0], {attendee.pk: "present"}, actor=organizer)
    walk_in = WalkIn.objects.create(
        training=training,
        day=training.days()[0],
        unit=unit_a,
        name="甲二",
        phone="13800000003",
        arrived_at=training.starts_at,
    )
    checklist = build_checklist(name="检查表", year=2026, sections=SMALL_CHECKLIST, actor=inspector)
    section = checklist.sections.first()
    item = section.items.first()
    check = SpotCheck.objects.create(
        unit=unit_a,
        checklist=checklist,
        date=timezone.localdate() - timedelta(days=30),
        status=SpotCheck.Status.CONFIRMED,
        percentage=D("80.00"),
        earned=D(32),
        possible=D(40),
        confirmed_at=timezone.now() - timedelta(days=20),
    )
    check.inspectors.set([inspector])
    evidence = Evidence.objects.create(
        spot_check=check,
        file=ContentFile(b"%PDF-1.4", name="e.pdf"),
        original_name="e.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=inspector,
    )
    rectification = Rectification.objects.create(
        spot_check=check,
        requirement="补齐",
        working_days=5,
        raised_on=timezone.localdate() - timedelta(days=9),
        deadline=timezone.localdate() - timedelta(days=2),
        created_by=inspector,
    )
    stored = RectificationFile.objects.create(
        rectification=rectification,
        file=ContentFile(b"%PDF-1.4", name="r.pdf"),
        original_name="r.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=inspector,
    )
    sampling_round = SamplingRound.objects.create(
        name="轮",
        year=timezone.localdate().year,
        planned_start=date.today(),
        planned_end=date.today(),
        checklist=checklist,
        sample_size=1,
        inspectors_per_check=1,
        created_by=inspector,
    )
    sampling_round.categories.set([unit_a.category])
    sampling_round.inspector_pool.set([inspector])
    draw_round(sampling_round, actor=inspector, seed="matrix")
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    adjustment = Adjustment.objects.create(
        scheme=scheme, unit=unit_a, kind="bonus", points=D(1), reason="推广", entered_by=leader
    )
    campaign = create_campaign(
        name="自查",
        year=timezone.localdate().year,
        checklist=checklist,
        opens_on=timezone.localdate() - timedelta(days=1),
        closes_on=timezone.localdate() + timedelta(days=10),
        units=[unit_a],
        actor=inspector,
    )
    self_assessment = campaign.assessments.get()
    self_evidence = SelfEvidence.objects.create(
        self_assessment=self_assessment,
        file=ContentFile(b"%PDF-1.4", name="s.pdf"),
        original_name="s.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=personas["liaison_a"],
    )
    job = Job.objects.create(
        title="证书", requested_by=organizer, status=Job.Status.DONE, filename="证书.pdf"
    )
    job.file.save("证书.pdf", ContentFile(b"%PDF-1.4"))
    notification = Notification.objects.create(
        recipient=personas["liaison_a"],
        kind=Kind.RECTIFICATION_RAISED,
        params={"unit": unit_a.name, "requirement": "补齐", "deadline": "2026-10-15"},
        link=rectification.get_absolute_url(),
        dedupe_key="matrix",
    )
    return {
        "notification": {"pk": notification.pk},
        "job": {"pk": job.pk},
        "unit": {"pk": unit_a.pk},
        "unit_pk": {"unit_pk": unit_a.pk},
        "training": {"pk": training.pk},
        "checkin": {"token": projector_code(training, training.days()[0])},
        "walk_in": {"pk": training.pk, "walk_in_pk": walk_in.pk},
        "attendee": {"pk": training.pk, "attendee_pk": attendee.pk},
        "checklist": {"pk": checklist.pk},
        "section": {"pk": checklist.pk, "section_pk": section.pk},
        "item": {"pk": checklist.pk, "item_pk": item.pk},
        "round": {"pk": sampling_round.pk},
        "check": {"pk": check.pk},
        "transition": {"pk": check.pk, "action": "confirm"},
        "evidence": {"pk": check.pk, "evidence_pk": evidence.pk},
        "rectification": {"pk": rectification.pk},
        "file": {"pk": rectification.pk, "file_pk": stored.pk},
        "adjustment": {"pk": adjustment.pk},
        "proposal": {"pk": rectification.pk, "decision": "dismiss"},
        "history": {"kind": "spot-check", "pk": check.pk},
        "calendar_year": {"year": 2027},
        "overstatement": {"unit_pk": unit_a.pk, "decision": "dismiss"},
        "campaign": {"pk": campaign.pk},
        "self_assessment": {"pk": self_assessment.pk},
        "self_evidence": {"pk": self_assessment.pk, "evidence_pk": self_evidence.pk},
    }


CASES = [
    (name, method, persona) for name in MATRIX for method in ("get", "post") for persona in PERSONAS
]


@pytest.mark.parametrize("name, method, persona", CASES)
def test_permission_matrix(client_for, world, name, method, persona):
    key, expected_get, expected_post = MATRIX[name]
    url = reverse(name, kwargs=world[key] if key else None)
    response = getattr(client_for(persona), method)(url)
    expected = (expected_get if method == "get" else expected_post)[persona]
    assert response.status_code == expected, f"{method.upper()} {url} as {persona}"


def test_django_admin_is_for_staff_only(client_for):
    assert client_for("admin").get(reverse("admin:index")).status_code == 200
    response = client_for("leader").get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "url_name", ["assessment:spot_check_list", "assessment:rectification_list", "units:list"]
)
def test_exports_of_unit_b_liaison_contain_nothing_of_unit_a(client_for, world, url_name):
    body = client_for("liaison_b").get(reverse(url_name), {"_export": "csv"})
    assert body.status_code == 200
    assert "甲街道" not in body.content.decode("utf-8-sig")


# Who may do what to one object: units.roles decides it for views, services and the menu.
# A submitted check of unit A, scored by its inspectors ("scorer" is one of them).
ACTORS = ["scorer", "other_inspector", "insider", "leader", "admin", "liaison_a", "organizer"]
CAPABILITIES = {
    # capability: the actors that hold it
    "can_score": {"scorer", "admin"},
    "can_confirm": {"other_inspector", "leader", "admin"},
    "can_unconfirm": {"admin"},
    "can_raise_rectification": {"scorer", "other_inspector", "admin"},
    "can_answer_rectification": {"liaison_a"},
    "can_verify_answer": {"scorer", "other_inspector", "admin"},
    "can_decide_proposal": {"scorer", "other_inspector", "leader", "admin"},
    "can_publish": {"leader", "admin"},
    "can_reopen": {"admin"},
}
ON_RECTIFICATION = {"can_answer_rectification", "can_verify_answer", "can_decide_proposal"}


@pytest.fixture
def actors(personas, unit_a):
    from tests.conftest import make_user
    from units.roles import Role

    return {
        **personas,
        "scorer": personas["inspector"],
        "other_inspector": make_user("other_inspector", role=Role.INSPECTOR),
        "insider": make_user("insider", role=Role.INSPECTOR, unit=unit_a),
    }


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capabilities_hold_separation_of_duties_and_recusal(actors, spot_check, capability):
    from units import roles

    spot_check.status = SpotCheck.Status.SUBMITTED
    spot_check.save()
    rectification = Rectification(spot_check=spot_check)
    decide = getattr(roles, capability)
    holders = set()
    for actor in ACTORS:
        if capability in ON_RECTIFICATION:
            allowed = decide(actors[actor], rectification)
        elif capability in {"can_publish", "can_reopen"}:
            allowed = decide(actors[actor])
        else:
            allowed = decide(actors[actor], spot_check)
        if allowed:
            holders.add(actor)
    assert holders == CAPABILITIES[capability]
