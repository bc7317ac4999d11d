"""The calendar's e-mails (confirmation with .ics, promotion, cancellations).

Each is sent after the transaction commits (`portal.emails.send_after_commit`); call them
inside the transaction that makes the change. The .ics file is built now, from the event as
the change leaves it.
"""

from django.conf import settings
from django.urls import reverse

from calendar_app import ical
from calendar_app.models import Event, Registration
from portal import emails


def _context(registration: Registration, **extra) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        **extra,
    }


def _ics_attachment(event: Event):
    return (
        "kalendarium.ics",
        ical.event_calendar(event, include_links=True),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )


def send_confirmation(registration: Registration, token: str, position: int | None) -> None:
    """A confirmed seat (with the .ics) or a place on the waiting list, with the cancel link."""
    cancel_url = settings.SITE_URL + reverse("calendar_app:registration_cancel", args=[token])
    emails.send_after_commit(
        "registration_confirmed" if position is None else "registration_waitlisted",
        registration.email,
        _context(registration, cancel_url=cancel_url, position=position),
        attachments=[_ics_attachment(registration.event)] if position is None else None,
        secret=True,  # the cancel link
    )


def send_promoted(registration: Registration) -> None:
    emails.send_after_commit(
        "registration_promoted",
        registration.email,
        _context(registration),
        attachments=[_ics_attachment(registration.event)],
    )


def send_cancelled_by_participant(registration: Registration) -> None:
    emails.send_after_commit("registration_cancelled", registration.email, _context(registration))


def send_event_cancelled(event: Event, registrations, message: str) -> None:
    attachment = _ics_attachment(event)
    for registration in registrations:
        emails.send_after_commit(
            "event_cancelled",
            registration.email,
            _context(registration, message=message),
            attachments=[attachment],
        )
