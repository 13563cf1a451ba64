from django.shortcuts import render

from assessment.models import Rectification
from config.navigation import menu_for
from units.roles import Role, bound_unit_id, has_role, roles_of


def home(request):
    """Who you are, your unit, what you may do, and what needs your attention."""
    user = request.user
    profile = getattr(user, "profile", None)
    return render(
        request,
        "home.html",
        {
            "unit": profile.unit if profile else None,
            "is_unbound_liaison": Role.LIAISON in roles_of(user) and bound_unit_id(user) is None,
            "links": menu_for(user),
            "rectifications": _rectifications_needing_attention(user),
        },
    )


def _rectifications_needing_attention(user):
    """Overdue ones for inspectors and leaders; a liaison's unit's open ones."""
    visible = Rectification.objects.visible_to(user).select_related("spot_check__unit")
    if has_role(user, Role.INSPECTOR, Role.LEADER, Role.ADMIN):
        return list(visible.overdue()[:10])
    if has_role(user, Role.LIAISON):
        return list(
            visible.filter(status__in=[Rectification.Status.OPEN, Rectification.Status.RETURNED])[
                :10
            ]
        )
    return []
