"""A registration can be cancelled until its event starts — one rule
(`calendar_app.rules.registration_is_cancellable`) for the cancel link in the e-mail, the
person's own page and the event page. The e-mailed link used to cancel after the start, because
only its template knew that it was too late."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from calendar_app.models import Event, Registration
from portal.models import Role
from tests.factories import member
from tests.factories_calendar import EventFactory, RegistrationFactory, with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def started_event():
    """An event that started an hour ago and ends in five hours."""
    now = timezone.now()
    return EventFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5))


def test_cancel_link_after_the_start_cancels_nothing(client, started_event):
    registration = RegistrationFactory(event=started_event)
    token = with_token(registration)
    url = reverse("calendar_app:registration_cancel", args=[token])
    page = client.get(url)
    assert "redan börjat" in page.content.decode()
    assert "Avboka min anmälan" not in page.content.decode()
    response = client.post(url)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_cancel_link_before_the_start_cancels(client):
    registration = RegistrationFactory(event=EventFactory())
    token = with_token(registration)
    response = client.post(reverse("calendar_app:registration_cancel", args=[token]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_own_registration_after_the_start_is_kept_and_the_page_offers_no_cancel(client, started_event):
    user = member(Role.EDITOR, "0880")
    registration = RegistrationFactory(event=started_event, user=user, email=user.email)
    client.force_login(user)
    page = client.get(started_event.get_absolute_url())
    assert reverse("calendar_app:my_registration_cancel", args=[registration.pk]) not in page.content.decode()
    response = client.post(
        reverse("calendar_app:my_registration_cancel", args=[registration.pk]), follow=True
    )
    assert "redan börjat" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_own_registration_before_the_start_is_offered_and_cancelled(client):
    user = member(Role.EDITOR, "0880")
    event = EventFactory()
    registration = RegistrationFactory(event=event, user=user, email=user.email)
    client.force_login(user)
    cancel_url = reverse("calendar_app:my_registration_cancel", args=[registration.pk])
    assert cancel_url in client.get(event.get_absolute_url()).content.decode()
    client.post(cancel_url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_another_persons_registration_cannot_be_cancelled(client):
    owner, other = member(Role.EDITOR, "0880"), member(Role.EDITOR, "0880")
    registration = RegistrationFactory(event=EventFactory(), user=owner, email=owner.email)
    client.force_login(other)
    response = client.post(reverse("calendar_app:my_registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_my_registrations_offers_cancel_only_before_the_start(client, started_event):
    user = member(Role.EDITOR, "0880")
    started = RegistrationFactory(event=started_event, user=user, email=user.email)
    coming = RegistrationFactory(event=EventFactory(), user=user, email=user.email)
    client.force_login(user)
    page = client.get(reverse("calendar_app:my_registrations")).content.decode()
    assert reverse("calendar_app:my_registration_cancel", args=[coming.pk]) in page
    assert reverse("calendar_app:my_registration_cancel", args=[started.pk]) not in page


def test_a_registration_for_a_cancelled_event_needs_no_cancelling(client):
    user = member(Role.EDITOR, "0880")
    event = EventFactory(status=Event.Status.CANCELLED)
    registration = RegistrationFactory(event=event, user=user, email=user.email)
    client.force_login(user)
    response = client.post(
        reverse("calendar_app:my_registration_cancel", args=[registration.pk]), follow=True
    )
    assert "inställt" in response.content.decode() and "redan börjat" not in response.content.decode()
