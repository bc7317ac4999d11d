"""htmx responses: a page or one of its partials, from one place.

Headers htmx reads (HX-Retarget, HX-Reswap, HX-Redirect) are set with django-htmx's helpers
(`django_htmx.http.retarget`, `reswap`, `HttpResponseClientRedirect`), never by hand.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request that swaps a part of the page. A history restore (htmx found no
    snapshot of the page after Back) is an htmx request too, but it wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_htmx(
    request: HttpRequest,
    template_name: str,
    context: dict | None = None,
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """`template_name#partial` for an htmx request, else the whole template.

    The answer always carries `Vary: HX-Request`, so that a browser or proxy cache never
    serves the fragment for the page at the same URL (or the other way round).
    """
    name = f"{template_name}#{partial}" if wants_partial(request) else template_name
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
