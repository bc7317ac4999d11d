"""Registration, the waiting list, cancellation and promotion, and bad input."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendar_app import services
from calendar_app.models import Event, Registration
from tests.factories import organisation
from tests.factories_calendar import EventFactory, RegistrationFactory, with_token

pytestmark = pytest.mark.django_db


def guest(event, n, **extra):
    return services.register(
        event,
        name=f"Gäst {n}",
        email=f"gast{n}@kommun.example.se",
        organisation=organisation("0880"),
        consent=True,
        **extra,
    )


def post_registration(client, event, **overrides):
    data = {
        "name": "Lisa Nord",
        "email": "lisa.nord@torsas.example.se",
        "organisation": organisation("0834").pk,
        "needs": "Vegetarisk kost",
        "consent": "on",
        **overrides,
    }
    return client.post(reverse("calendar_app:event_register", args=[event.pk]), data)


def test_guest_registers_and_gets_confirmation_with_ics_and_cancel_link(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Läsfrämjande för de yngsta", capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client, event)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.organisation.code == "0834" and registration.needs == "Vegetarisk kost"
    assert registration.consent_at is not None
    event.refresh_from_db()
    assert event.confirmed_count == 1 and event.seats_left == 1
    message = mail.outbox[-1]
    assert message.to == ["lisa.nord@torsas.example.se"]
    assert "Anmälan bekräftad: Läsfrämjande för de yngsta" in message.subject
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    parsed = Calendar.from_ical(content)
    assert [str(e["UID"]) for e in parsed.walk("VEVENT")] == [event.uid]
    assert re.search(r"/kalendarium/avanmalan/[\w-]+/", message.body)
    page = client.get(event.get_absolute_url())
    assert "Du är anmäld till Läsfrämjande för de yngsta" in page.content.decode()


def test_full_event_puts_next_on_waiting_list_with_position(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    guest(event, 1)
    r2 = guest(event, 2)
    r3 = guest(event, 3)
    assert r2.registration.status == Registration.Status.WAITLISTED and r2.waitlist_position == 1
    assert r3.waitlist_position == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client, event)
    assert response.status_code == 302
    page = client.get(event.get_absolute_url()).content.decode()
    assert "nummer 3 på reservlistan" in page
    assert "Reservlista" in mail.outbox[-1].subject


def test_cancellation_promotes_first_in_line_and_tells_them(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first = guest(event, 1)
    second = guest(event, 2)
    guest(event, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calendar_app:registration_cancel", args=[first.token]))
    assert response.status_code == 302
    second.registration.refresh_from_db()
    assert second.registration.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert Registration.objects.get(email="gast3@kommun.example.se").waitlist_position() == 1
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Du har fått en plats" in subjects["gast2@kommun.example.se"]
    assert "Anmälan avbokad" in subjects["gast1@kommun.example.se"]
    promoted_mail = next(m for m in mail.outbox if m.to == ["gast2@kommun.example.se"])
    assert promoted_mail.attachments[0][0].endswith(".ics")
    # The cancel link shows the cancelled state and cannot cancel twice.
    page = client.get(reverse("calendar_app:registration_cancel", args=[first.token]))
    assert "Den här anmälan är avbokad." in page.content.decode()
    assert services.cancel_registration(first.registration) is None


def test_cancelling_a_waitlisted_registration_promotes_no_one():
    event = EventFactory(capacity=1)
    guest(event, 1)
    second = guest(event, 2)
    third = guest(event, 3)
    assert services.cancel_registration(second.registration) is None
    third.registration.refresh_from_db()
    assert third.registration.waitlist_position() == 1
    event.refresh_from_db()
    assert event.confirmed_count == 1


def test_registering_twice_is_refused_case_insensitively(client):
    event = EventFactory()
    post_registration(client, event)
    response = post_registration(client, event, email="LISA.Nord@Torsas.example.se")
    assert response.status_code == 422
    assert "E-postadressen är redan anmäld till evenemanget." in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_registering_again_after_cancelling_reuses_the_registration():
    event = EventFactory(capacity=5)
    first = guest(event, 1)
    services.cancel_registration(first.registration)
    again = guest(event, 1)
    assert again.registration.pk == first.registration.pk
    assert again.registration.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.confirmed_count == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"registration_closes_at": timezone.now() - timedelta(hours=1)},
            "Anmälan till evenemanget har stängt.",
        ),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "Anmälan öppnar"),
        ({"status": Event.Status.CANCELLED}, "Evenemanget är inställt"),
    ],
    ids=["window_closed", "not_open_yet", "cancelled"],
)
def test_registration_outside_the_window_or_for_cancelled_event_is_refused(client, changes, message):
    event = EventFactory(**changes)
    response = post_registration(client, event)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    event.refresh_from_db()
    assert event.confirmed_count == 0


def test_registration_after_start_is_refused(client):
    event = EventFactory(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )
    response = post_registration(client, event)
    assert response.status_code == 422
    assert "Anmälan till evenemanget har stängt." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "inte-en-adress"}, "Ange en e-postadress som namn@kommun.se."),
        ({"consent": ""}, "Du måste samtycka för att anmäla dig."),
        ({"name": ""}, "Detta fält måste fyllas i."),
        ({"organisation": "999999"}, "Välj ett giltigt alternativ"),
    ],
    ids=["bad_email", "no_consent", "no_name", "unknown_organisation"],
)
def test_bad_guest_input_gets_a_swedish_message_next_to_the_field(client, overrides, message):
    event = EventFactory()
    response = post_registration(client, event, **overrides)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert 'class="error-summary"' in body
    assert not Registration.objects.exists()


UNDELIVERABLE = "Ange en e-postadress med en riktig domän, till exempel namn@kommun.se"


@pytest.mark.parametrize("email", ["x@localhost", "x@[127.0.0.1]", "x@[::1]", "x@bibliotek.localhost"])
def test_guest_addresses_without_a_real_domain_are_refused_and_not_mailed(
    client, email, django_capture_on_commit_callbacks
):
    """Django's own check accepts `localhost` and IP literals; the portal would mail them."""
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client, event, email=email)
    assert response.status_code == 422
    body = response.content.decode()
    assert UNDELIVERABLE in body and 'class="error-summary"' in body
    assert 'value="Lisa Nord"' in body  # nothing the guest typed is lost
    assert not Registration.objects.exists() and not mail.outbox


def test_regions_cannot_be_chosen_as_a_guest_organisation(client):
    response = post_registration(client, EventFactory(), organisation=organisation("08").pk)
    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_forged_cancel_link_is_404(client):
    registration = RegistrationFactory()
    token = with_token(registration)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 80, "0"):
        assert client.get(reverse("calendar_app:registration_cancel", args=[bad])).status_code == 404
        assert client.post(reverse("calendar_app:registration_cancel", args=[bad])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_logged_in_person_registers_with_account_email_and_cancels_from_my_page(
    client, editor, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Digitalt först", capacity=1)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calendar_app:event_register", args=[event.pk]),
            {"name": "Erik Sandberg", "email": "someone.else@example.se", "consent": "on"},
        )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.email == editor.email and registration.user == editor
    queued = guest(event, 2)
    page = client.get(reverse("calendar_app:my_registrations")).content.decode()
    assert "Digitalt först" in page and "Bekräftad" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calendar_app:my_registration_cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    queued.registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert queued.registration.status == Registration.Status.CONFIRMED


def test_raising_capacity_promotes_from_the_waiting_list(client, consultant):
    event = EventFactory(capacity=1)
    guest(event, 1)
    waiting = guest(event, 2)
    event.capacity = 2
    services.save_event(event)
    waiting.registration.refresh_from_db()
    assert waiting.registration.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.confirmed_count == 2 and event.sequence == 1


def _full_event_with_one_waiting():
    """An event of one seat: guest 1 has it, guest 2 waits."""
    event = EventFactory(capacity=1)
    seated, waiting = guest(event, 1), guest(event, 2)
    return event, seated.registration, waiting.registration


def test_a_seat_freed_in_a_cancelled_event_goes_to_no_one(django_capture_on_commit_callbacks):
    event, seated, waiting = _full_event_with_one_waiting()
    services.cancel_event(event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_registration(seated) is None
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED
    assert not [m for m in mail.outbox if m.to == [waiting.email]]


def test_no_one_is_promoted_once_the_event_has_started(django_capture_on_commit_callbacks):
    event, seated, waiting = _full_event_with_one_waiting()
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5)
    )
    event.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_registration(seated) is None  # an organiser's cancellation
        event.capacity = 5
        services.save_event(event)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED
    event.refresh_from_db()
    assert event.confirmed_count == 0
    assert not [m for m in mail.outbox if m.to == [waiting.email]]


def test_capacity_is_never_exceeded_sequentially():
    event = EventFactory(capacity=3)
    results = [guest(event, n) for n in range(10)]
    event.refresh_from_db()
    assert event.confirmed_count == 3
    assert sum(r.registration.is_confirmed for r in results) == 3
    assert [r.waitlist_position for r in results[3:]] == list(range(1, 8))
