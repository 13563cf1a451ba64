"""Roles are auth groups named by the codes below (created by a data migration).

This module is the one place that answers "what may this user do": views, services, querysets
and the navigation all ask it. Pages are guarded by named capabilities (`can_read_ranking`, …);
actions on an object by functions of the user and the object (`can_score(user, check)`, …),
which also hold separation of duties and recusal (DESIGN.md): a user bound to a unit never acts
as an assessor on that unit's checks, rectifications, proposals or adjustments, and a check is
confirmed by someone other than the people who scored it.

The object functions read only attributes of the objects they are given (duck typing), so this
module imports no other app.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("Training organizer")
    INSPECTOR = "inspector", _("Inspector")
    LEADER = "leader", _("Leader")
    LIAISON = "liaison", _("Unit liaison")
    ADMIN = "admin", _("System administrator")


# Roles that work city-wide and therefore see every unit.
CITY_WIDE_ROLES = frozenset({Role.ORGANIZER, Role.INSPECTOR, Role.LEADER, Role.ADMIN})


def roles_of(user):
    """The set of Role values the user holds; cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(Role(name) for name in names if name in Role.values)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._roles_cache = cached
    return cached


def has_role(user, *roles):
    return bool(roles_of(user) & set(roles))


def is_city_wide(user):
    return bool(roles_of(user) & CITY_WIDE_ROLES)


def bound_unit_id(user):
    """The unit a user is bound to (a liaison's own unit), or None."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.unit_id if profile is not None else None


def scope_to_unit(queryset, user, unit_lookup, *, full_access=CITY_WIDE_ROLES, **liaison_filter):
    """The row-level rule of the whole system: roles in `full_access` see every row; a liaison
    sees only rows of its own unit (`unit_lookup` names the unit's id, e.g. "unit_id"),
    narrowed further by `liaison_filter`; anyone else sees nothing."""
    roles = roles_of(user)
    if roles & set(full_access):
        return queryset
    unit_id = bound_unit_id(user)
    if unit_id is not None and Role.LIAISON in roles:
        return queryset.filter(**{unit_lookup: unit_id}, **liaison_filter)
    return queryset.none()


def is_bound_to(user, unit_id):
    """True when `user` works in the unit `unit_id` (recusal: an assessor never acts on it)."""
    return unit_id is not None and bound_unit_id(user) == unit_id


class Capability:
    """A named permission held by the roles it lists: `can_read_ranking(user)`."""

    def __init__(self, name, *roles):
        self.name = name
        self.roles = frozenset(roles)

    def __call__(self, user):
        return has_role(user, *self.roles)

    def __repr__(self):
        return f"<Capability {self.name}>"


# Pages and actions that depend only on the role.
can_read_units = Capability(
    "read_units", Role.ORGANIZER, Role.INSPECTOR, Role.LEADER, Role.ADMIN, Role.LIAISON
)
can_read_trainings = can_read_units
can_read_training_statistics = Capability("read_training_statistics", *CITY_WIDE_ROLES)
can_organize_training = Capability("organize_training", Role.ORGANIZER, Role.ADMIN)
# change a registered attendee: organizers for any unit, a liaison for its own (queryset-narrowed)
can_edit_attendees = Capability("edit_attendees", Role.ORGANIZER, Role.ADMIN, Role.LIAISON)
can_read_ranking = Capability(
    "read_ranking", Role.LEADER, Role.INSPECTOR, Role.ORGANIZER, Role.ADMIN
)
can_read_breakdown = Capability(
    "read_breakdown", Role.LEADER, Role.INSPECTOR, Role.ORGANIZER, Role.ADMIN, Role.LIAISON
)
can_read_assessment = Capability("read_assessment", Role.INSPECTOR, Role.LEADER, Role.ADMIN)
can_read_spot_checks = Capability(
    "read_spot_checks", Role.INSPECTOR, Role.LEADER, Role.ADMIN, Role.LIAISON
)
can_answer_rectifications = Capability("answer_rectifications", Role.LIAISON)
can_manage_checks = Capability("manage_checks", Role.INSPECTOR, Role.ADMIN)
# 自查自评: inspectors set up campaigns; assessors read every unit's, a liaison its own unit's
can_manage_campaigns = can_manage_checks
can_read_self_assessments = Capability(
    "read_self_assessments", Role.INSPECTOR, Role.LEADER, Role.ADMIN, Role.LIAISON
)
# returning a unit's submitted self-assessment (and then only one the user does not work in)
can_return_self_assessments = Capability("return_self_assessments", Role.INSPECTOR, Role.ADMIN)
can_edit_year_inputs = Capability("edit_year_inputs", Role.INSPECTOR, Role.LEADER, Role.ADMIN)
can_edit_scheme = Capability("edit_scheme", Role.LEADER, Role.ADMIN)
can_publish = Capability("publish", Role.LEADER, Role.ADMIN)
can_reopen = Capability("reopen", Role.ADMIN)
can_read_history = Capability("read_history", Role.LEADER, Role.ADMIN)
can_administer = Capability("administer", Role.ADMIN)


# Actions on one object: role, assignment, separation of duties and recusal.


def can_score(user, check):
    """Save scores, upload evidence, submit or withdraw: an inspector of the check (or an
    admin) who does not work in the checked unit."""
    if is_bound_to(user, check.unit_id):
        return False
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.INSPECTOR) and check.inspectors.filter(pk=user.pk).exists()


def can_confirm(user, check):
    """复核: another inspector, a leader or an admin, never one who scored the check."""
    return (
        has_role(user, Role.INSPECTOR, Role.LEADER, Role.ADMIN)
        and not is_bound_to(user, check.unit_id)
        and user.pk not in check.scorer_ids()
    )


def can_unconfirm(user, check):
    return has_role(user, Role.ADMIN) and not is_bound_to(user, check.unit_id)


def can_raise_rectification(user, check):
    return has_role(user, Role.INSPECTOR, Role.ADMIN) and not is_bound_to(user, check.unit_id)


def can_answer_rectification(user, rectification):
    """Only the liaison of the checked unit answers."""
    return has_role(user, Role.LIAISON) and is_bound_to(user, rectification.spot_check.unit_id)


def can_verify_answer(user, rectification):
    return has_role(user, Role.INSPECTOR, Role.ADMIN) and not is_bound_to(
        user, rectification.spot_check.unit_id
    )


def can_decide_proposal(user, rectification):
    """Accept an overdue rectification as a deduction, or dismiss it."""
    return can_adjust(user, rectification.spot_check.unit_id)


def can_adjust(user, unit_id):
    """Enter a unit's year-end inputs: its indicator values, a bonus, deduction or veto."""
    return can_edit_year_inputs(user) and not is_bound_to(user, unit_id)


def can_edit_self_assessment(user, self_assessment):
    """Fill in, save, submit and add evidence: only the liaison of the assessed unit."""
    return has_role(user, Role.LIAISON) and is_bound_to(user, self_assessment.unit_id)


def can_return_self_assessment(user, self_assessment):
    """Send a submitted self-assessment back to the unit: an inspector or an admin who does
    not work in the unit (recusal)."""
    return can_return_self_assessments(user) and not is_bound_to(user, self_assessment.unit_id)


def capability_required(capability):
    """View decorator: logged-in users without `capability` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not capability(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class CapabilityRequiredMixin:
    """Class-based twin of `capability_required`: set `required_capability`."""

    required_capability = None

    def dispatch(self, request, *args, **kwargs):
        if not self.required_capability(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles):
    """View decorator: logged-in users without one of `roles` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    """Class-based twin of `role_required`: set `required_roles`."""

    required_roles = ()

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, *self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
