from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.models import Job
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


def _own_job(request, pk):
    return get_object_or_404(Job.objects.filter(requested_by=request.user), pk=pk)


@require_safe
def job(request, pk):
    """The progress of a job the user started, and its result when it is done."""
    return render(request, "core/job.html", {"job": _own_job(request, pk)})


@require_safe
def job_status(request, pk):
    """The same as JSON, polled by static/js/job.js."""
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "percent": job.percent,
            "finished": job.finished,
            "download": bool(job.file),
            "message": job.message,
        }
    )


@require_safe
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
