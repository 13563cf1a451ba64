from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.exception import response_for_exception
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


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
