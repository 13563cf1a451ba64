"""The text of each kind of notification, rendered from its parameters in the active language
(the list page and the bell render it for the reader, the e-mail in the default language).

Parameters are plain JSON values: names as they were when the event happened, dates as ISO
strings (shown here as 2026年11月27日 or "Nov. 27, 2026"), counts as numbers."""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Kind


def _date(value):
    try:
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _datetime(value):
    try:
        moment = timezone.localtime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _registration_open(p):
    return (
        _("Registration is open: %(training)s") % p,
        ngettext(
            "Your unit is required to send %(seats)s person and has registered %(registered)s. "
            "Registration closes when the training starts, %(starts)s.",
            "Your unit is required to send %(seats)s people and has registered %(registered)s. "
            "Registration closes when the training starts, %(starts)s.",
            int(p["seats"]),
        )
        % {**p, "starts": _datetime(p["starts"])},
    )


def _registration_closing(p):
    days = p["days"]
    title = (
        _("Registration for %(training)s closes today") % p
        if days == 0
        else ngettext(
            "Registration for %(training)s closes in %(days)d day",
            "Registration for %(training)s closes in %(days)d days",
            days,
        )
        % p
    )
    body = _(
        "Your unit has registered %(registered)s of its %(seats)s required people. "
        "Registration closes when the training starts, %(starts)s."
    ) % {**p, "starts": _datetime(p["starts"])}
    return title, body


def _rectification_body(p):
    return _("%(unit)s: %(requirement)s Deadline: %(deadline)s.") % {
        **p,
        "deadline": _date(p["deadline"]),
    }


def _rectification_raised(p):
    return _("A rectification was raised for %(unit)s") % p, _rectification_body(p)


def _rectification_due_soon(p):
    title = ngettext(
        "A rectification is due in %(days)d working day",
        "A rectification is due in %(days)d working days",
        p["days"],
    ) % {"days": p["days"]}
    return title, _rectification_body(p)


def _rectification_due_today(p):
    return _("A rectification is due today"), _rectification_body(p)


def _rectification_overdue(p):
    return _("A rectification is overdue"), _rectification_body(p)


def _deadline_moved(p):
    return (
        _("The deadline of a rectification moved to %(deadline)s")
        % {"deadline": _date(p["deadline"])},
        _("%(unit)s: %(requirement)s The working-day calendar changed; the deadline was %(old)s.")
        % {**p, "old": _date(p["old"])},
    )


def _results_published(p):
    return (
        _("The %(year)s assessment results are published") % p,
        _("The year-end results of %(unit)s can now be read.") % p,
    )


def _check_assigned(p):
    return (
        _("You are assigned to check %(unit)s") % p,
        _("Sampling round: %(round)s. Planned date: %(date)s.") % {**p, "date": _date(p["date"])},
    )


def _answer_to_verify(p):
    return (
        _("%(unit)s answered a rectification") % p,
        _("The answer waits for your verification. Requirement: %(requirement)s") % p,
    )


def _check_to_confirm(p):
    return (
        _("The spot check of %(unit)s waits for confirmation") % p,
        _("Submitted with %(percentage)s%%; it is confirmed by someone who did not score it.") % p,
    )


def _attendance_not_taken(p):
    return (
        _("Attendance not taken: %(training)s") % p,
        _("Nobody's attendance is recorded for %(day)s although people are registered.")
        % {"day": _date(p["day"])},
    )


def _overdue_digest(p):
    title = ngettext(
        "%(count)d rectification is overdue",
        "%(count)d rectifications are overdue",
        p["count"],
    ) % {"count": p["count"]}
    return title, _("Units: %(units)s") % {"units": "、".join(p["units"])}


def _self_assessment_open(p):
    return (
        _("Self-assessment open: %(campaign)s") % p,
        _("Score your unit on the checklist and submit it by %(closes)s.")
        % {"closes": _date(p["closes"])},
    )


def _self_assessment_closing(p):
    days = p["days"]
    title = (
        _("Self-assessment %(campaign)s closes today") % p
        if days == 0
        else ngettext(
            "Self-assessment %(campaign)s closes in %(days)d day",
            "Self-assessment %(campaign)s closes in %(days)d days",
            days,
        )
        % p
    )
    return title, _("Your unit has not submitted it yet; after %(closes)s it can no longer be.") % {
        "closes": _date(p["closes"])
    }


def _self_assessment_returned(p):
    return (
        _("Self-assessment %(campaign)s returned") % p,
        _("Reason: %(reason)s. Correct it and submit it again by %(closes)s.")
        % {"reason": _sentence(p["reason"]), "closes": _date(p["closes"])},
    )


def _answer_returned(p):
    return (
        _("The answer to a rectification of %(unit)s was returned") % p,
        _("Reason: %(note)s. Rectify and answer again by %(deadline)s.")
        % {"note": _sentence(p["note"]), "deadline": _date(p["deadline"])},
    )


def _sentence(text):
    """A reason as typed, without the full stop the message puts after it (…文件。。)."""
    return text.rstrip().rstrip("。.！!；;")


RENDERERS = {
    Kind.REGISTRATION_OPEN: _registration_open,
    Kind.REGISTRATION_CLOSING: _registration_closing,
    Kind.RECTIFICATION_RAISED: _rectification_raised,
    Kind.RECTIFICATION_DUE_SOON: _rectification_due_soon,
    Kind.RECTIFICATION_DUE_TODAY: _rectification_due_today,
    Kind.RECTIFICATION_OVERDUE: _rectification_overdue,
    Kind.DEADLINE_MOVED: _deadline_moved,
    Kind.RESULTS_PUBLISHED: _results_published,
    Kind.CHECK_ASSIGNED: _check_assigned,
    Kind.ANSWER_TO_VERIFY: _answer_to_verify,
    Kind.CHECK_TO_CONFIRM: _check_to_confirm,
    Kind.ATTENDANCE_NOT_TAKEN: _attendance_not_taken,
    Kind.OVERDUE_DIGEST: _overdue_digest,
    Kind.SELF_ASSESSMENT_OPEN: _self_assessment_open,
    Kind.SELF_ASSESSMENT_CLOSING: _self_assessment_closing,
    Kind.SELF_ASSESSMENT_RETURNED: _self_assessment_returned,
    Kind.ANSWER_RETURNED: _answer_returned,
}


def render(kind, params):
    """(title, body) of a notification in the active language; a notification whose stored
    parameters no longer fit its text shows the kind's name rather than failing."""
    try:
        return RENDERERS[kind](params)
    except (KeyError, TypeError, ValueError):
        try:
            return str(Kind(kind).label), ""
        except ValueError:
            return str(kind), ""
