from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.handlers.exception import response_for_exception
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from core.years import PAGE_YEAR_FIELD, selected_year, year_changed_message


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the switch.

    Django's own middleware follows the browser's Accept-Language, so an office PC with an
    English browser would get English pages; here only the language cookie counts."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class OutOfRangeMiddleware:
    """A number no database column holds, in a place Django reads by itself (a formset's
    hidden ids), reaches SQLite as OverflowError: that is the request's fault, so 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return response_for_exception(request, BadRequest(str(exception)))
        return None


class NotAllowedPageMiddleware:
    """Django answers a GET on a POST-only address (…/confirm/, /assessment/reopen/) with an
    empty 405: show a page in the user's language instead, as 403 and 404 do, keeping the
    Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class PageYearMiddleware:
    """A form of a year-scoped page carries the year it was shown for ({% page_year %}); sent
    after another tab selected another year, it is refused before its view runs, with the
    reason, and the user goes back to the page (trial 9: a bonus typed on the 2026 page was
    saved into 2025). Runs after the CSRF check (process_view, later in the list)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        posted = request.POST.get(PAGE_YEAR_FIELD)
        if posted is None or posted == str(selected_year(request)):
            return None
        messages.error(request, year_changed_message(posted, selected_year(request)))
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        return redirect(back)
