from config.navigation import navigation_for
from core.years import selected_year, year_choices
from notifications.models import Notification
from units.roles import Role, roles_of


def layout(request):
    """What the base layout needs on every page: the menu, the roles and the year selector."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "navigation": navigation_for(request.user),
        "user_roles": sorted(roles_of(request.user), key=lambda role: role.label),
        "selected_year": selected_year(request),
        "year_choices": year_choices(request),
        "can_see_history": bool(roles_of(request.user) & {Role.LEADER, Role.ADMIN}),
        # the bell: one COUNT query per page, on an index (recipient, read_at)
        "unread_notifications": Notification.objects.for_user(request.user).unread().count(),
    }
