"""HEAD is answered wherever GET is (load balancers and feed readers send it), and a refused
method gets a Swedish page that says why, with the Allow header (issue 14, item 11)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from calendar_app.models import CalendarFeed
from tests.factories_calendar import EventFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_head_on_the_health_check_is_200(client):
    response = client.head(reverse("health"))
    assert response.status_code == 200
    assert response.content == b""


def test_head_on_the_calendar_feeds_is_200(client, editor):
    EventFactory()
    network = NetworkFactory()
    feed = CalendarFeed.objects.create(user=editor, token="a-personal-token-for-the-test-0123456789")
    for url in (
        reverse("calendar_app:feed_region", args=["08"]),
        reverse("calendar_app:feed_network", args=[network.slug]),
        feed.get_absolute_url(),
    ):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/calendar"), url


def test_head_on_public_pages_is_200(client):
    for name in ("home", "accessibility", "plans:list", "calendar_app:list", "network:list", "login"):
        assert client.head(reverse(name)).status_code == 200, name


def test_get_on_logout_shows_the_swedish_405_page_with_allow(client, chef):
    client.force_login(chef)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Sidan kan inte öppnas så här" in page
    assert "Logga ut med knappen" in page
    assert "_auth_user_id" in client.session  # still logged in


def test_get_on_a_post_only_view_shows_the_405_page(client, chef):
    client.force_login(chef)
    response = client.get(reverse("calendar_app:feed_renew"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "fungerar bara från en knapp på portalens sidor" in response.content.decode()


def test_post_to_a_page_shows_the_405_page(client):
    response = client.post(reverse("health"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "kan bara öppnas som en sida" in response.content.decode()


def test_no_view_refuses_head():
    """`require_GET` answers HEAD with 405; views use `require_safe` (GET and HEAD)."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for app in ("config", "portal", "plans", "calendar_app", "network", "overview")
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if "require_GET" in path.read_text(encoding="utf-8")
        or '["GET", "POST"]' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
