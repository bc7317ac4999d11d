import pytest
from django.db.models import F
from django.utils import timezone

from calendar_app import demo as calendar_demo
from calendar_app.models import Event, Registration
from network.models import Network
from portal import demo

pytestmark = pytest.mark.django_db


def test_demo_networks_and_a_year_of_events_are_seeded_idempotently():
    demo.seed()
    first = calendar_demo.seed()
    second = calendar_demo.seed()
    assert first["networks"] == second["networks"] == 8 and second["events"] == 0
    names = set(Network.objects.values_list("name", flat=True))
    assert {
        "Barnbibliotekarier i Kalmar län",
        "Interkulturellt arbete i Kalmar län",
        "Sydöstra samverkan – Kalmar, Blekinge och Kronoberg",
    } <= names
    assert set(Network.objects.get(slug="sydostra-samverkan").regions.values_list("code", flat=True)) == {
        "07",
        "08",
        "10",
    }
    now = timezone.now()
    events = Event.objects.filter(status=Event.Status.PUBLISHED)
    assert events.filter(starts_at__lt=now).count() > 20 and events.filter(starts_at__gt=now).count() > 20
    assert set(events.values_list("organiser__code", flat=True)) == {"06", "08", "17"}
    assert not Event.objects.filter(confirmed_count__gt=F("capacity")).exists()
    for event in Event.objects.all()[:30]:
        assert event.confirmed_count == event.registrations.filter(status="confirmed").count()
    assert Registration.objects.filter(event__starts_at__lt=now, attended=True).exists()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Event.objects.filter(status=Event.Status.CANCELLED).exists()
