from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.years import SESSION_KEY, year_choices


@require_POST
def set_year(request):
    """Remember the year chosen in the layout's selector and go back where the user was."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year in year_choices(request):
        request.session[SESSION_KEY] = year
    else:
        messages.error(request, _("There is no such year."))
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("home")  # a bare word would be taken for a URL name
    return HttpResponseRedirect(target)


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages that do not link the icon (the Django admin)."""
    return redirect(static("favicon.svg"), permanent=True)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out page: in the user's language, saying how long to wait."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
