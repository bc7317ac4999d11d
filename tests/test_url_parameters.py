"""Junk in a URL parameter (a NUL byte, spaces, other scripts) is a 404, never a 500.

A NUL byte reached PostgreSQL through the catch-all `str` converter and crashed the query
(issue 14, item 4). Every parameter now uses a converter that matches only well-formed values
(portal/converters.py), `int` or `slug`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import PathConverter, StringConverter
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

# Every URL that took a `str` parameter, with `{}` where the junk goes.
FORMER_STR_URLS = [
    "/kalendarium/flode/region/{}.ics",
    "/kalendarium/flode/personligt/{}.ics",
    "/kalendarium/avanmalan/{}/",
    "/planer/region/{}/",
    "/inbjudan/{}/",
    "/konto/losenord/nytt/{}/set-password/",
    "/konto/losenord/nytt/MQ/{}/",
    "/katalog/{}/ny/",
    "/katalog/{}/1/",
    "/importera/evenemang/mall.{}",
]
# And the slug and code parameters, for good measure.
OTHER_URLS = [
    "/natverk/{}/",
    "/kalendarium/flode/natverk/{}.ics",
    "/organisationer/{}/",
    "/importera/{}/",
]
JUNK = [
    "%00",
    "08%00",
    "%00abc",
    "a%20b",
    "a%0Ab",
    "%E2%80%AE08",  # right-to-left override
    "%C3%A5%C3%A4%C3%B6",  # åäö
    "%27%3B--",
    "%FF",
]


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def test_no_url_parameter_uses_the_catch_all_str_or_path_converter():
    loose = []
    for route, entry in _patterns(get_resolver()):
        if route.startswith("admin/") or not isinstance(entry.pattern, RoutePattern):
            continue  # Django's admin is its own, for staff only
        for name, converter in entry.pattern.converters.items():
            if type(converter) in (StringConverter, PathConverter):
                loose.append(f"{route} <{name}>")
    assert loose == []


@pytest.mark.parametrize("url", FORMER_STR_URLS + OTHER_URLS)
def test_a_nul_byte_in_a_url_parameter_does_not_resolve(url):
    with pytest.raises(Resolver404):
        resolve(url.format("\x00"))
    with pytest.raises(Resolver404):
        resolve(url.format("08\x00"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", ["anonymous", "kb"])
@pytest.mark.parametrize("url", FORMER_STR_URLS + OTHER_URLS)
def test_junk_in_a_url_parameter_is_404(client_for, persona_name, url):
    client = client_for(persona_name)
    for junk in JUNK:
        path = url.format(junk)
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path
