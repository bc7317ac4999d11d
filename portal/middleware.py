from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.translation import check_for_language
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """An htmx request whose session expired gets HX-Redirect to the login page.

    Otherwise htmx would follow the redirect and swap the whole login page into a fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code in (301, 302):
            login_url = resolve_url(settings.LOGIN_URL)
            location = response.get("Location", "")
            if location.startswith(login_url):
                return HttpResponseClientRedirect(location, status=204)
        return response


class SwedishFirstLocaleMiddleware:
    """Swedish unless the person chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English
    browser would get English; a Swedish public service speaks Swedish by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = (
            chosen
            if chosen and check_for_language(chosen) and chosen in dict(settings.LANGUAGES)
            else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedPageMiddleware:
    """A Swedish page for 405 answers, which Django sends with an empty body (there is no
    handler405): `@require_POST` views opened by address, `GET /konto/logga-ut/`. The Allow
    header stays as the view set it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            allowed = {method.strip() for method in response["Allow"].split(",")}
            context = {"opens_as_page": "GET" in allowed}
            page = render(request, "405.html", context, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
