"""Roles are auth groups named by the codes below (created by a data migration).

This module is the one place that answers "what may this user do": views, querysets and the
navigation all ask it.
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
