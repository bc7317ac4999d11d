"""A refused CSRF token gets the portal's Swedish page that says what to do, and keeps what
the person typed where it can; htmx gets a message for beside the form (issue 14, item 12)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories_plans import PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db

TYPED = "Biblioteksplan för Kalmar kommun med läsfrämjande i fokus"


@pytest.fixture
def strict():
    """A test client that checks CSRF tokens as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def _with_cookie(client, user=None) -> Client:
    if user is not None:
        client.force_login(user)
    client.get(reverse("login") if user is None else reverse("plans:create"))
    assert "csrftoken" in client.cookies
    return client


def test_csrf_failure_is_a_swedish_portal_page_that_says_what_to_do(strict):
    response = strict.post(reverse("login"), {"username": "anna@kalmar.example.se", "password": "hemligt"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "portal.css" in page
    assert "Formuläret kunde inte skickas" in page
    assert "Ladda om sidan" in page
    assert "logga in igen" in page and reverse("login") in page
    assert "Tillåt kakor" in page  # no cookie was sent
    assert "DEBUG" not in page and "Forbidden" not in page


def test_csrf_failure_shows_what_was_typed_in_a_form_from_the_portal(strict, chef):
    client = _with_cookie(strict, chef)
    response = client.post(
        reverse("plans:create"),
        {"csrfmiddlewaretoken": "x" * 64, "title": TYPED, "first_year": "2027", "password": "hemligt ord 1"},
        headers={"Origin": "http://testserver", "Referer": "http://testserver" + reverse("plans:create")},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Det du skrev" in page
    assert f">{TYPED}</textarea>" in page
    assert "hemligt ord" not in page and "x" * 64 not in page
    assert f'href="http://testserver{reverse("plans:create")}"' in page  # open the page again
    assert "Tillåt kakor" not in page  # the cookie was there; the token was wrong


@pytest.mark.parametrize("origin", [None, "https://elak.example"])
def test_csrf_failure_never_shows_text_sent_from_another_site(strict, chef, origin):
    client = _with_cookie(strict, chef)
    headers = {"Origin": origin} if origin else {}
    response = client.post(reverse("plans:create"), {"title": TYPED}, headers=headers)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formuläret kunde inte skickas" in page
    assert TYPED not in page and "Det du skrev" not in page


def test_csrf_failure_for_htmx_is_a_message_beside_the_form_not_a_page(strict, chef):
    section = SectionFactory(plan=PlanFactory(), heading="Inledning", body="<p>Före</p>")
    plan = section.plan
    client = _with_cookie(strict, chef)
    response = client.post(
        reverse("plans:section_save", args=[plan.pk, section.pk]),
        {f"s{section.pk}-heading": "Inledning", f"s{section.pk}-body": f"<p>{TYPED}</p>"},
        headers={"HX-Request": "true", "X-CSRFToken": "y" * 64},
    )
    assert response.status_code == 403
    assert "<html" not in response.content.decode()
    event = json.loads(response["HX-Trigger"])["portal:csrf-failure"]
    assert event["message"].startswith("Det här sparades inte")
    assert "Det du skrev finns kvar här" in event["message"]
    section.refresh_from_db()
    assert section.body == "<p>Före</p>"
