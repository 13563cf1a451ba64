"""Notifications of events, called by the services where the event happens, inside their
transaction: rolled back with it, e-mailed after its commit (notifications.services.notify).
Each function reads only the objects it is given and the users to tell."""

from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.services import liaisons_of, notify, users_with_role
from units.roles import Role


def _requirement(text, limit=80):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rectification_params(rectification):
    return {
        "unit": rectification.spot_check.unit.name,
        "requirement": _requirement(rectification.requirement),
        "deadline": rectification.deadline.isoformat(),
    }


def rectification_raised(rectification):
    """To the checked unit's liaisons."""
    return notify(
        liaisons_of(rectification.spot_check.unit_id),
        Kind.RECTIFICATION_RAISED,
        event=f"rectification:{rectification.pk}",
        params=_rectification_params(rectification),
        link=rectification.get_absolute_url(),
    )


def deadline_moved(rectification, old_deadline):
    """To the unit's liaisons, when the working-day calendar moves a deadline they work to."""
    return notify(
        liaisons_of(rectification.spot_check.unit_id),
        Kind.DEADLINE_MOVED,
        event=f"rectification:{rectification.pk}:{old_deadline}:{rectification.deadline}",
        params={**_rectification_params(rectification), "old": old_deadline.isoformat()},
        link=rectification.get_absolute_url(),
    )


def rectification_answered(rectification):
    """To the check's inspectors (none of them works in the unit: the draw sees to that, and
    the filter keeps it so for checks assigned by hand); each answer is a new event."""
    check = rectification.spot_check
    inspectors = check.inspectors.filter(is_active=True).exclude(profile__unit_id=check.unit_id)
    return notify(
        inspectors.order_by("pk"),
        Kind.ANSWER_TO_VERIFY,
        event=f"rectification:{rectification.pk}:answer:{rectification.responded_at.isoformat()}",
        params=_rectification_params(rectification),
        link=rectification.get_absolute_url(),
    )


def answer_returned(rectification):
    """To the unit's liaisons, with the inspector's note; each return is a new event."""
    return notify(
        liaisons_of(rectification.spot_check.unit_id),
        Kind.ANSWER_RETURNED,
        event=f"rectification:{rectification.pk}:returned:{rectification.responded_at.isoformat()}",
        params={
            **_rectification_params(rectification),
            "note": _requirement(rectification.review_note, limit=300),
        },
        link=rectification.get_absolute_url(),
    )


def check_assigned(spot_check, sampling_round):
    """To each inspector the round drew for the check."""
    return notify(
        spot_check.inspectors.filter(is_active=True).order_by("pk"),
        Kind.CHECK_ASSIGNED,
        event=f"check:{spot_check.pk}",
        params={
            "unit": spot_check.unit.name,
            "round": str(sampling_round),
            "date": spot_check.date.isoformat(),
        },
        link=spot_check.get_absolute_url(),
    )


def check_submitted(spot_check):
    """To every inspector who may confirm it: not one who scored it, nor one working in the
    checked unit (units.roles.can_confirm). Each submission (version) is a new event."""
    inspectors = (
        users_with_role(Role.INSPECTOR)
        .exclude(pk__in=spot_check.scorer_ids())
        .exclude(profile__unit_id=spot_check.unit_id)
    )
    return notify(
        inspectors,
        Kind.CHECK_TO_CONFIRM,
        event=f"check:{spot_check.pk}:submitted:{spot_check.version}",
        params={"unit": spot_check.unit.name, "percentage": str(spot_check.percentage)},
        link=spot_check.get_absolute_url(),
    )


def results_published(year, units, published_at):
    """To the liaisons of every unit in the published results; `units` are (pk, name) pairs.
    A year published again after re-opening is a new event."""
    created = []
    for unit_id, name in units:
        created += notify(
            liaisons_of(unit_id),
            Kind.RESULTS_PUBLISHED,
            event=f"year:{year}:{published_at.isoformat()}",
            params={"year": year, "unit": name},
            link=f"{reverse('assessment:breakdown', args=[unit_id])}?year={year}",
        )
    return created


def self_assessment_returned(self_assessment):
    """To the unit's liaisons, with the reason; each return (version) is a new event."""
    campaign = self_assessment.campaign
    return notify(
        liaisons_of(self_assessment.unit_id),
        Kind.SELF_ASSESSMENT_RETURNED,
        event=f"self_assessment:{self_assessment.pk}:returned:{self_assessment.version}",
        params={
            "campaign": campaign.name,
            "unit": self_assessment.unit.name,
            "reason": _requirement(self_assessment.return_reason, limit=300),
            "closes": campaign.closes_on.isoformat(),
        },
        link=self_assessment.get_absolute_url(),
    )


def _settle(kind, event_prefix):
    """Work done by someone: the others' notifications asking for it are read, so their bells
    stop counting what nobody needs to do any more."""
    return Notification.objects.filter(
        kind=kind, dedupe_key__startswith=f"{kind}:{event_prefix}", read_at__isnull=True
    ).update(read_at=timezone.now())


def check_confirmed(spot_check):
    return _settle(Kind.CHECK_TO_CONFIRM, f"check:{spot_check.pk}:")


def answer_reviewed(rectification):
    return _settle(Kind.ANSWER_TO_VERIFY, f"rectification:{rectification.pk}:")
