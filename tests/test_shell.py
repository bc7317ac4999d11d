"""The shell every page shares: language, security headers, settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_swedish_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert '<html lang="sv">' in html and "Logga in" in html


def test_english_can_be_chosen(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html and "Forgot your password?" in html


def test_strict_content_security_policy(client):
    csp = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_no_inline_scripts_or_styles_in_templates():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "emails" in path.parts:
            continue
        text = path.read_text()
        for bad in ("<script>", "style=", "onclick=", "onsubmit=", "onchange=", "<style"):
            if bad in text:
                offenders.append(f"{path.relative_to(ROOT)}: {bad}")
    assert offenders == []


def test_htmx_is_vendored_and_csrf_header_configured(client, chef):
    client.force_login(chef)
    html = client.get(reverse("dashboard")).content.decode()
    assert '<script src="/static/js/htmx.min.js" defer></script>' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert (ROOT / "static/js/htmx.min.js").stat().st_size > 10_000


def test_dates_and_numbers_are_swedish(settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("sv"):
        rendered = Template(
            '{% load humanize %}{{ d|date:"j F Y H:i" }} {{ n|floatformat:1 }} {{ big|intcomma }}'
        ).render(
            Context({"d": datetime(2026, 11, 23, 9, 5, tzinfo=ZoneInfo("UTC")), "n": 12.5, "big": 1234567})
        )
    assert rendered == "23 november 2026 10:05 12,5 1\xa0234\xa0567"


def test_health_check(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.content == b"ok"


def test_custom_404_is_swedish(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404 and "Sidan kunde inte hittas" in response.content.decode()


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-like-secret-key-" + "x" * 30,
        "ALLOWED_HOSTS": "biblioteksportalen.example",
    }
    for key in (
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "PLAIN_STATIC_STORAGE",
    ):
        env.pop(key, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_translations_are_compiled_and_complete():
    po = (ROOT / "locale/sv/LC_MESSAGES/django.po").read_text()
    mo = ROOT / "locale/sv/LC_MESSAGES/django.mo"
    assert (
        mo.exists() and mo.stat().st_mtime >= (ROOT / "locale/sv/LC_MESSAGES/django.po").stat().st_mtime - 1
    )
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    assert '\nmsgstr ""\n\n' not in po.split("\n\n", 1)[1]


def test_django_messages_missing_from_its_swedish_catalogue_are_translated():
    """Django 6.1's Swedish catalogue lacks the empty choice of select lists; ours supplies it."""
    from django import forms
    from django.utils import translation

    from portal.models import Organisation

    with translation.override("sv"):
        field = forms.ModelChoiceField(queryset=Organisation.objects.none())
        assert list(field.choices) == [("", "- Välj ett alternativ -")]


def test_kb_chooses_a_region_for_the_board_report_in_swedish(client, kb):
    client.force_login(kb)
    html = client.get(reverse("reports:index")).content.decode()
    assert "Välj region" in html and "Select an option" not in html
