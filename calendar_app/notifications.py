"""The calendar's e-mails (confirmation with .ics, promotion, cancellations)."""

from django.conf import settings
from django.urls import reverse

from calendar_app import ical
from calendar_app.models import Event, Registration
from portal import emails


def _registration(pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("event", "event__organiser", "event__network")
        .filter(pk=pk)
        .first()
    )


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


def send_confirmation(pk: int, token: str, position: int | None) -> None:
    registration = _registration(pk)
    if registration is None:
        return
    cancel_url = settings.SITE_URL + reverse("calendar_app:registration_cancel", args=[token])
    emails.send(
        "registration_confirmed" if position is None else "registration_waitlisted",
        registration.email,
        _context(registration, cancel_url=cancel_url, position=position),
        attachments=[_ics_attachment(registration.event)] if position is None else None,
    )


def send_promoted(pk: int) -> None:
    registration = _registration(pk)
    if registration is None:
        return
    emails.send(
        "registration_promoted",
        registration.email,
        _context(registration),
        attachments=[_ics_attachment(registration.event)],
    )


def send_cancelled_by_participant(pk: int) -> None:
    registration = _registration(pk)
    if registration is None:
        return
    emails.send("registration_cancelled", registration.email, _context(registration))


def send_event_cancelled(event_pk: int, registration_ids: list[int], message: str) -> None:
    event = Event.objects.select_related("organiser").get(pk=event_pk)
    attachment = _ics_attachment(event)
    for registration in Registration.objects.filter(pk__in=registration_ids).select_related("event"):
        emails.send(
            "event_cancelled",
            registration.email,
            _context(registration, message=message),
            attachments=[attachment],
        )
