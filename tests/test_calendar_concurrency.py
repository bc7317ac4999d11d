"""Capacity is never exceeded under concurrent sign-ups (PostgreSQL, real threads)."""

import pytest
from django.db import connection

from calendar_app.models import Event, Registration
from tests.concurrency import register_concurrently
from tests.factories_calendar import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite serialises all writers, so it cannot show row-lock races "
        "(set DATABASE_URL=postgres://... to run it).",
    ),
]


def test_100_simultaneous_registrations_for_20_seats():
    event = EventFactory(capacity=20)
    emails = [f"deltagare{n}@kommun.example.se" for n in range(100)]
    result = register_concurrently(event.pk, emails)
    assert result["errors"] == []
    assert result["outcomes"] == {"confirmed": 20, "waitlisted": 80}
    event.refresh_from_db()
    assert event.confirmed_count == 20
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status="confirmed").count() == 20
    assert registrations.filter(status="waitlisted").count() == 80
    assert registrations.values("email").distinct().count() == 100
    positions = sorted(r.waitlist_position() for r in registrations.filter(status="waitlisted"))
    assert positions == list(range(1, 81))


def test_the_same_address_registering_20_times_at_once_gets_one_registration():
    event = EventFactory(capacity=5)
    result = register_concurrently(
        event.pk, ["Samma.Person@kommun.example.se"] * 10 + ["samma.person@kommun.example.se"] * 10
    )
    assert result["errors"] == []
    assert result["outcomes"] == {"confirmed": 1, "refused": 19}
    assert Registration.objects.filter(event=event).count() == 1
    assert Event.objects.get(pk=event.pk).confirmed_count == 1
