"""Every paginated list uses templates/includes/pagination.html: its page links keep the list's
filters (Django's {% querystring %}) and change only `sida`."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from calendar_app import views as calendar_views
from calendar_app.models import Event
from network import views as network_views
from plans import plan_views
from plans.models import Plan
from tests.factories import organisation
from tests.factories_calendar import EventFactory, NetworkFactory
from tests.factories_plans import PlanFactory

pytestmark = pytest.mark.django_db


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def test_network_list_keeps_its_filters_on_the_next_and_previous_page(client, monkeypatch):
    monkeypatch.setattr(network_views, "PAGE_SIZE", 2)
    for name in ("Kalmar A", "Kalmar B", "Kalmar C"):
        NetworkFactory(name=name, regions=["08"])
    NetworkFactory(name="Umeånätet", regions=["24"])
    url = reverse("network:list")

    first = client.get(url, {"region": "08"}).content.decode()
    assert _link(first, "next") == "?region=08&sida=2"
    second = client.get(url + _link(first, "next")).content.decode()
    assert "Kalmar C" in second and "Umeånätet" not in second
    assert _link(second, "prev") == "?region=08&sida=1" and _link(second, "next") is None


def test_event_list_keeps_its_filters_and_start_day_on_the_next_page(client, monkeypatch):
    monkeypatch.setattr(calendar_views, "PAGE_SIZE", 2)
    start = timezone.now() + timedelta(days=30)
    for day in range(3):
        EventFactory(
            title=f"Webbinarium {day}",
            kind=Event.Kind.WEBINAR,
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, hours=1),
        )
    EventFactory(title="Kurs tidigt", kind=Event.Kind.WEBINAR)  # before the start day
    EventFactory(
        title="Kursdag", kind=Event.Kind.TRAINING, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    query = {"kind": "webinar", "fran": f"{timezone.localdate(start):%Y-%m-%d}"}

    first = client.get(reverse("calendar_app:list"), query).content.decode()
    assert _link(first, "next") == f"?kind=webinar&fran={query['fran']}&sida=2"
    second = client.get(reverse("calendar_app:list") + _link(first, "next")).content.decode()
    assert "Webbinarium 2" in second
    assert "Kurs tidigt" not in second and "Kursdag" not in second


def test_plan_list_keeps_its_filters_in_the_page_links_also_when_htmx_swaps_the_results(
    client, kb, monkeypatch
):
    monkeypatch.setattr(plan_views, "PAGE_SIZE", 1)
    PlanFactory.create_batch(2)
    PlanFactory(organisation=organisation("08"), kind=Plan.Kind.REGIONAL)
    client.force_login(kb)

    results = client.get(reverse("plans:list"), {"kind": "municipal"}, headers={"HX-Request": "true"})
    assert _link(results.content.decode(), "next") == "?kind=municipal&sida=2"
    second = client.get(reverse("plans:list"), {"kind": "municipal", "sida": "2"}).content.decode()
    assert _link(second, "prev") == "?kind=municipal&sida=1" and _link(second, "next") is None


def test_a_list_of_one_page_has_no_page_links(client):
    NetworkFactory()
    page = client.get(reverse("network:list")).content.decode()
    assert 'class="pagination"' not in page
