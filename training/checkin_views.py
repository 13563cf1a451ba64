"""扫码签到 pages: the public sign-in page the code opens (no login), and the organizer's
projector page, its fresh code, the printable poster and the live figures of the day."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.http import file_response
from core.years import is_year_locked
from training import pdf
from training.checkin import (
    GRACE_SECONDS,
    ROTATE_SECONDS,
    BadCode,
    ExpiredCode,
    day_window,
    is_throttled,
    poster_code,
    projector_code,
    read_code,
    record_failure,
    record_walk_in,
    walk_ins_throttled,
)
from training.forms import CheckInForm, WalkInForm
from training.models import Training
from training.services import (
    check_in_open,
    decide_walk_in,
    leave_walk_in,
    self_check_in,
)
from training.stats import day_attendance
from training.views import attendance_day, get_training_for_user
from units.roles import can_organize_training, capability_required

# Refusals that may be someone guessing: they use up the address's and training's attempts.
GUESSES = {"no_match", "ambiguous"}


def client_address(request):
    """The address the request came from, as Django sees it (REMOTE_ADDR). Behind a reverse
    proxy, the proxy must pass the client's address there, as it must for django-axes."""
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


@login_not_required
@never_cache
def check_in(request, token):
    """The page a scanned code opens. It shows the training and day, never anyone's name or
    phone; a refusal says what to do next."""
    now = timezone.now()
    address = client_address(request)
    training, code, refusal = _code_or_error(request, token, now)
    if refusal:
        return refusal
    context = _page_context(training, code, token)
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method != "POST":
        form = _form_unless_closed(form, training, code, now, context)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        if is_throttled(training.pk, address, name, now):
            context["error"] = _too_many_attempts()
            status = 429
        else:
            try:
                result = self_check_in(
                    training,
                    code.day,
                    name=form.cleaned_data["name"],
                    phone_digits=form.cleaned_data["phone"],
                    at=now,
                )
            except DomainError as error:
                if error.code in GUESSES:
                    record_failure(training.pk, address, name, now)
                context["error"] = error.message
            else:
                context["success"] = _("Signed in: %(name)s, %(time)s. Welcome!") % {
                    "name": result.attendee.name,
                    "time": date_format(timezone.localtime(result.mark.checked_in_at), "H:i"),
                }
                form = None
    context["form"] = form
    return render(request, "training/checkin.html", context, status=status)


def _form_unless_closed(form, training, code, now, context):
    """A code that cannot be used now (another day, outside the day's window, a published year,
    a cancelled training) says so when it is opened, not after the form is filled in."""
    try:
        check_in_open(training, code.day, now)
    except DomainError as error:
        context["error"] = error.message
        return None
    return form


def _page_context(training, code, token):
    return {
        "training": training,
        "day": code.day,
        "window": day_window(training, code.day),
        "token": token,
        "error": "",
        "success": "",
    }


def _too_many_attempts():
    return _(
        "Too many attempts that did not match. Please wait ten minutes and try again, "
        "or ask the staff at the sign-in desk."
    )


def _too_many_walk_ins():
    return _(
        "Too many on-site registrations from this device. Please wait ten minutes, or ask "
        "the staff at the sign-in desk."
    )


def _code_or_error(request, token, now):
    """The training and code a token names, or the page that says why not."""
    try:
        code = read_code(token, now)
    except BadCode:
        message = _("This is not a valid check-in code. Please scan the code shown at the venue.")
    except ExpiredCode:
        message = _(
            "This code has expired: the code on the screen changes every few minutes. "
            "Please scan the code shown at the venue again."
        )
    else:
        training = Training.objects.filter(pk=code.training_id).first()
        if training is not None:
            return training, code, None
        message = _("This training no longer exists.")
    context = {"form": None, "training": None, "error": message, "success": ""}
    return None, None, render(request, "training/checkin.html", context)


@login_not_required
@never_cache
def walk_in(request, token):
    """现场报名: someone not registered leaves name, unit and phone for the organizer. Every
    valid request counts against the address's walk-ins, so the form cannot be used to flood;
    that count is apart from the sign-in attempts."""
    now = timezone.now()
    address = client_address(request)
    training, code, refusal = _code_or_error(request, token, now)
    if refusal:
        return refusal
    form = WalkInForm(request.POST or None)
    context = _page_context(training, code, token)
    status = 200
    if request.method != "POST":
        form = _form_unless_closed(form, training, code, now, context)
    if request.method == "POST":
        if walk_ins_throttled(training.pk, address, now):
            context["error"] = _too_many_walk_ins()
            status = 429
        elif form.is_valid():
            record_walk_in(training.pk, address, now)
            try:
                leave_walk_in(training, code.day, **form.cleaned_data, at=now)
            except DomainError as error:
                context["error"] = error.message
            else:
                context["success"] = _(
                    "Thank you. The organizer will confirm your registration; please tell the "
                    "staff at the sign-in desk that you registered on site."
                )
                form = None
    context["form"] = form
    return render(request, "training/walk_in.html", context, status=status)


@require_POST
@capability_required(can_organize_training)
def walk_in_decide(request, pk, walk_in_pk):
    training = get_training_for_user(request, pk)
    walk_in = get_object_or_404(training.walk_ins, pk=walk_in_pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or reject."))
    else:
        try:
            decide_walk_in(walk_in, approve=decision == "approve", actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            done = (
                _("%(name)s was registered and marked present.")
                if decision == "approve"
                else _("The on-site registration of %(name)s was rejected.")
            )
            messages.success(request, done % {"name": walk_in.name})
    return redirect(
        f"{reverse('training:attendance', args=[training.pk])}?day={walk_in.day:%Y-%m-%d}"
    )


def _code_state(request, training, day):
    """What the projector shows now: the code's URL and image, and the day's figures."""
    now = timezone.now()
    url = request.build_absolute_uri(
        reverse("training:checkin", args=[projector_code(training, day, now)])
    )
    figures = day_attendance(training, day)
    seconds_into_slot = int(now.timestamp()) % ROTATE_SECONDS
    return {
        "url": url,
        "image": segno.make(url, error="m").svg_data_uri(scale=8, border=4),
        "refresh_in": ROTATE_SECONDS - seconds_into_slot,
        "present": figures.present,
        "registered": figures.registered,
    }


@require_GET
@capability_required(can_organize_training)
def checkin_screen(request, pk):
    """The full-screen page for the venue's projector; its script asks for a fresh code as each
    one is replaced, and the figures with it."""
    training = get_training_for_user(request, pk)
    day = attendance_day(request, training)
    opens, closes = day_window(training, day)
    return render(
        request,
        "training/checkin_screen.html",
        {
            "training": training,
            "day": day,
            "opens": opens,
            "closes": closes,
            "state": _code_state(request, training, day),
            "locked": is_year_locked(training.year),
            "not_today": day != timezone.localdate(),
            "rotate_minutes": ROTATE_SECONDS // 60,
            "grace_minutes": GRACE_SECONDS // 60,
        },
    )


@require_GET
@never_cache
@capability_required(can_organize_training)
def checkin_code(request, pk):
    training = get_training_for_user(request, pk)
    return JsonResponse(_code_state(request, training, attendance_day(request, training)))


@require_GET
@capability_required(can_organize_training)
def checkin_poster(request, pk):
    training = get_training_for_user(request, pk)
    day = attendance_day(request, training)
    url = request.build_absolute_uri(reverse("training:checkin", args=[poster_code(training, day)]))
    return file_response(pdf.check_in_poster(training, day, url, day_window(training, day)))


@require_GET
@never_cache
@capability_required(can_organize_training)
def attendance_live(request, pk):
    """The attendance page's live panel: the day's figures and who has not signed in."""
    training = get_training_for_user(request, pk)
    figures = day_attendance(training, attendance_day(request, training))
    return JsonResponse(
        {
            "registered": figures.registered,
            "present": figures.present,
            "excused": figures.excused,
            "missing": [
                {"unit": unit, "names": names, "more": more}
                for unit, names, more in figures.missing
            ],
        }
    )
