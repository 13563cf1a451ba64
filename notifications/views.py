from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications import services
from notifications.forms import PreferenceForm
from notifications.models import Notification, Preference

PER_PAGE = 20


@require_GET
def notification_list(request):
    """The signed-in user's notifications, newest first; nobody sees anyone else's."""
    notifications = Notification.objects.for_user(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only},
    )


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go where it points (or back to the list)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(notification)
    if request.POST.get("go") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def notification_settings(request):
    preference = Preference.objects.filter(user=request.user).first()
    initial = {
        "email": request.user.email,
        # on by default (notifications.models.wants_email), which needs an address
        "email_enabled": preference.email_enabled if preference else bool(request.user.email),
    }
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            request.user,
            email=form.cleaned_data["email"],
            email_enabled=form.cleaned_data["email_enabled"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
