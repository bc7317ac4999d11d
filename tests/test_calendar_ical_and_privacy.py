"""iCal feeds (RFC 5545 via the icalendar library) and personal data handling."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendar_app import ical, services
from calendar_app.models import CalendarFeed, Event, Registration
from tests.factories import organisation
from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory, add_member

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1  # an event of next year is in the feed whenever the tests run


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def vevents(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_region_feed_is_valid_with_timezone_and_stable_uids(client):
    event = EventFactory(
        title="Sommarboken – uppstart",
        starts_at=timezone.make_aware(timezone.datetime(NEXT_YEAR, 6, 1, 9, 0)),
        ends_at=timezone.make_aware(timezone.datetime(NEXT_YEAR, 6, 1, 12, 0)),
    )
    EventFactory(title="Annan region", organiser=organisation("17"))
    EventFactory(title="Utkast", status=Event.Status.DRAFT)
    EventFactory(title="Hemlig", visibility=Event.Visibility.MEMBERS)
    EventFactory(title="Kommunens egen", organiser=organisation("0880"))
    cal = parse(client.get(reverse("calendar_app:feed_region", args=["08"])))
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    items = vevents(cal)
    assert set(items) == {event.uid, Event.objects.get(title="Kommunens egen").uid}
    item = items[event.uid]
    assert str(item["SUMMARY"]) == "Sommarboken – uppstart"
    start = item.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Stockholm" and start.hour == 9
    assert "TZID=Europe/Stockholm" in item.to_ical().decode()
    assert int(item["SEQUENCE"]) == 0 and str(item["STATUS"]) == "CONFIRMED"
    again = vevents(parse(client.get(reverse("calendar_app:feed_region", args=["08"]))))
    assert set(again) == set(items)


def test_updates_raise_sequence_and_cancellation_is_reflected(client):
    event = EventFactory()
    event.place = "Ny lokal"
    services.save_event(event)
    item = vevents(parse(client.get(reverse("calendar_app:feed_region", args=["08"]))))[event.uid]
    assert int(item["SEQUENCE"]) == 1 and str(item["LOCATION"]) == "Ny lokal"
    services.cancel_event(event)
    item = vevents(parse(client.get(reverse("calendar_app:feed_region", args=["08"]))))[event.uid]
    assert int(item["SEQUENCE"]) == 2 and str(item["STATUS"]) == "CANCELLED"


def test_event_ics_download(client):
    event = EventFactory(title="Webbinarium: e-medier", online_url="https://mote.example.se/abc", place="")
    response = client.get(reverse("calendar_app:event_ics", args=[event.pk]))
    assert "attachment" in response["Content-Disposition"]
    item = vevents(parse(response))[event.uid]
    assert str(item["LOCATION"]) == "Online"
    assert "mote.example.se" not in response.content.decode()  # the link is for registered people


def test_online_link_reaches_registered_people_only(client, editor, django_capture_on_commit_callbacks):
    event = EventFactory(online_url="https://mote.example.se/abc", place="")
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event, name="Erik", email=editor.email, user=editor, consent=True)
    from django.core import mail

    attachment = str(mail.outbox[-1].attachments[0][1])
    assert "https://mote.example.se/abc" in attachment
    client.force_login(editor)
    response = client.get(reverse("calendar_app:event_ics", args=[event.pk]))
    assert "https://mote.example.se/abc" in response.content.decode()
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'href="https://mote.example.se/abc"' in page


def test_network_feed_has_only_the_networks_public_events(client):
    network = NetworkFactory(slug="interkulturellt")
    meeting = EventFactory(network=network, kind="network_meeting")
    EventFactory()
    cal = parse(client.get(reverse("calendar_app:feed_network", args=["interkulturellt"])))
    assert set(vevents(cal)) == {meeting.uid}


def test_personal_feed_has_registrations_and_network_meetings_and_can_be_revoked(client, editor):
    network = NetworkFactory(visibility="members")
    add_member(network, editor)
    members_meeting = EventFactory(network=network, visibility="members")
    registered = EventFactory()
    RegistrationFactory(event=registered, user=editor, email=editor.email)
    cancelled_reg = RegistrationFactory(event=EventFactory(), user=editor, email=editor.email)
    cancelled_reg.status = Registration.Status.CANCELLED
    cancelled_reg.save()
    EventFactory(title="Inte min")
    client.force_login(editor)
    client.post(reverse("calendar_app:feed_renew"))
    feed = CalendarFeed.objects.get(user=editor)
    url = reverse("calendar_app:feed_personal", args=[feed.token])
    client.logout()
    assert set(vevents(parse(client.get(url)))) == {members_meeting.uid, registered.uid}
    client.force_login(editor)
    assert feed.token in client.get(reverse("calendar_app:my_registrations")).content.decode()
    client.post(reverse("calendar_app:feed_renew"), {"action": "renew"})
    assert client.get(url).status_code == 404
    new_url = reverse("calendar_app:feed_personal", args=[CalendarFeed.objects.get(user=editor).token])
    assert client.get(new_url).status_code == 200
    client.post(reverse("calendar_app:feed_revoke"))
    assert client.get(new_url).status_code == 404


def test_calendar_for_is_pure_and_parseable():
    events = [EventFactory(), EventFactory(status=Event.Status.CANCELLED)]
    cal = Calendar.from_ical(ical.calendar_for(events, "Test"))
    assert len(cal.walk("VEVENT")) == 2 and str(cal["X-WR-CALNAME"]) == "Test"


def test_anonymise_command_removes_personal_data_of_old_events_only():
    now = timezone.now()
    old = EventFactory(
        starts_at=now - timedelta(days=400), ends_at=now - timedelta(days=400) + timedelta(hours=3)
    )
    recent = EventFactory(
        starts_at=now - timedelta(days=10), ends_at=now - timedelta(days=10) + timedelta(hours=3)
    )
    old_reg = RegistrationFactory(event=old, name="Greta Gammal", needs="Glutenfri", attended=True)
    old_reg2 = RegistrationFactory(event=old, name="Olle Gammal")
    recent_reg = RegistrationFactory(event=recent, name="Nina Ny")
    call_command("anonymise_registrations", "--days", "365")
    old_reg.refresh_from_db()
    old_reg2.refresh_from_db()
    recent_reg.refresh_from_db()
    assert old_reg.name == "Anonymiserad deltagare" and old_reg.needs == "" and old_reg.user is None
    assert old_reg.email == f"anonymised-{old_reg.pk}@invalid" and old_reg2.email != old_reg.email
    assert old_reg.attended is True and old_reg.organisation.code == "0880"  # statistics stay
    assert old_reg.anonymised_at is not None and old_reg.cancel_token_hash == ""
    assert recent_reg.name == "Nina Ny"
    stamp = old_reg.anonymised_at
    call_command("anonymise_registrations")  # daily run: nothing more to do
    old_reg.refresh_from_db()
    assert old_reg.anonymised_at == stamp
    call_command("anonymise_registrations", "--days", "5")
    recent_reg.refresh_from_db()
    assert recent_reg.name == "Anonymiserad deltagare"
