"""Query counts of the month view, the list view and the network page do not grow with data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import FocusArea
from tests.factories import UserFactory
from tests.factories_calendar import (
    EventFactory,
    NetworkFactory,
    RegistrationFactory,
    add_document,
    add_member,
)

pytestmark = pytest.mark.django_db

# Next year's May: the list of upcoming events shows them whenever the tests run.
NEXT_YEAR = timezone.localdate().year + 1
MONTH_START = timezone.make_aware(timezone.datetime(NEXT_YEAR, 5, 3, 9, 0))


def populate(network, n_events, n_registrations, n_members):
    areas = list(FocusArea.objects.all()[:3])
    for i in range(n_events):
        start = MONTH_START + timedelta(days=i % 25, hours=i % 5)
        event = EventFactory(
            network=network, starts_at=start, ends_at=start + timedelta(hours=3), capacity=50
        )
        event.focus_areas.set(areas)
        for _ in range(n_registrations):
            RegistrationFactory(event=event)
    for _ in range(n_members):
        add_member(network, UserFactory())
    for i in range(n_events):
        add_document(network, title=f"Protokoll {i}")


@pytest.fixture
def viewer(editor):
    return editor


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_page_queries_do_not_grow_with_events_registrations_and_members(
    client, count_queries, viewer, logged_in
):
    network = NetworkFactory(slug="barn")
    add_member(network, viewer)
    if logged_in:
        client.force_login(viewer)
    urls = {
        "month": reverse("calendar_app:month", args=[NEXT_YEAR, 5]),
        "month filtered": reverse("calendar_app:month", args=[NEXT_YEAR, 5]) + "?region=08&free_seats=on",
        "list": reverse("calendar_app:list"),
        "list filtered": reverse("calendar_app:list") + "?focus_area=barn-och-unga&network=barn",
        "network": network.get_absolute_url(),
        "network list": reverse("network:list"),
    }
    populate(network, 1, 1, 1)
    small = {name: count_queries(client, url) for name, url in urls.items()}
    populate(network, 30, 5, 25)
    large = {name: count_queries(client, url) for name, url in urls.items()}
    assert large == small
    assert max(small.values()) <= 12, small
