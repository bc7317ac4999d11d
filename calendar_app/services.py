"""Registrations, cancellations, the waiting list and event status changes — in one place.

Every function that changes seats takes a row lock on the event (`select_for_update`) first,
so concurrent sign-ups are serialised per event and capacity is never exceeded. On SQLite
the whole database is locked by the writing transaction (IMMEDIATE mode), which serialises
them just as well. E-mails are sent after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from calendar_app import notifications
from calendar_app.models import Event, Registration
from calendar_app.rules import attendance_can_be_marked
from portal.models import UserManager


class RegistrationError(Exception):
    """A registration that cannot be made; the message is for the person (translated)."""


class AttendanceError(Exception):
    """Attendance that cannot be recorded; the message is for the person (translated)."""


@dataclass
class RegistrationResult:
    registration: Registration
    token: str
    waitlist_position: int | None


def _locked_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def register(
    event: Event,
    *,
    name: str,
    email: str,
    user=None,
    organisation=None,
    needs: str = "",
    consent: bool,
    now=None,
) -> RegistrationResult:
    """Register a person for an event: a confirmed seat if one is free, else the waiting list.

    Side effects: creates (or re-activates a cancelled) Registration, raises the event's
    confirmed count, and e-mails a confirmation with an .ics file and a personal cancel link
    after commit. Raises RegistrationError (nothing saved) when registration is not possible.
    """
    email = UserManager.normalize_email(email)
    if not consent:
        raise RegistrationError(_("You must consent to the storage of your personal data to register."))
    try:
        with transaction.atomic():
            locked = _locked_event(event.pk)
            state = locked.registration_state(now)
            if state == "cancelled":
                raise RegistrationError(_("The event is cancelled; registration is closed."))
            if state == "draft":
                raise RegistrationError(_("The event is not published yet."))
            if state == "not_yet":
                raise RegistrationError(_("Registration has not opened yet."))
            if state == "closed":
                raise RegistrationError(_("Registration for this event has closed."))
            existing = Registration.objects.filter(event=locked, email__iexact=email).first()
            if existing is not None and not existing.is_cancelled:
                raise RegistrationError(_("This e-mail address is already registered for the event."))
            registration = existing or Registration(event=locked, email=email)
            registration.user = user
            registration.name = name.strip()
            registration.organisation = organisation
            registration.needs = needs.strip()
            registration.consent_at = timezone.now()
            registration.queued_at = timezone.now()
            registration.attended = None
            token = registration.set_new_cancel_token()
            if locked.confirmed_count < locked.capacity:
                registration.status = Registration.Status.CONFIRMED
                Event.objects.filter(pk=locked.pk).update(confirmed_count=F("confirmed_count") + 1)
            else:
                registration.status = Registration.Status.WAITLISTED
            registration.save()
            position = registration.waitlist_position()
            notifications.send_confirmation(registration, token, position)
    except IntegrityError as error:  # the unique e-mail constraint, if two requests raced
        raise RegistrationError(_("This e-mail address is already registered for the event.")) from error
    return RegistrationResult(registration, token, position)


def cancel_registration(registration: Registration, *, notify: bool = True) -> Registration | None:
    """Cancel a registration. A freed seat goes to the first on the waiting list.

    Side effects: lowers the confirmed count, promotes and e-mails the first waitlisted
    person (after commit). Returns the promoted registration, if any. Idempotent.
    """
    with transaction.atomic():
        locked = _locked_event(registration.event_id)
        current = locked.registrations.select_for_update().get(pk=registration.pk)
        if current.is_cancelled:
            return None
        was_confirmed = current.is_confirmed
        current.status = Registration.Status.CANCELLED
        current.save(update_fields=["status", "updated_at"])
        registration.status = current.status
        promoted = None
        if was_confirmed:
            Event.objects.filter(pk=locked.pk).update(confirmed_count=F("confirmed_count") - 1)
            locked.confirmed_count -= 1
            if not locked.is_cancelled:
                promoted_list = _promote(locked)
                promoted = promoted_list[0] if promoted_list else None
        if notify:
            notifications.send_cancelled_by_participant(current)
    return promoted


def _promote(locked: Event) -> list[Registration]:
    """Fill free seats from the waiting list (the event row must be locked). Sends e-mails."""
    free = locked.capacity - locked.confirmed_count
    if free <= 0 or locked.starts_at <= timezone.now():
        return []
    promoted = list(locked.registrations.waitlist_order().select_for_update()[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        notifications.send_promoted(registration)
    if promoted:
        Event.objects.filter(pk=locked.pk).update(confirmed_count=F("confirmed_count") + len(promoted))
        locked.confirmed_count += len(promoted)
    return promoted


@transaction.atomic
def save_event(event: Event, *, focus_areas=None, user=None) -> Event:
    """Create or update an event. Raising the capacity promotes people from the waiting list.

    Side effects: bumps the iCalendar SEQUENCE of a published event, e-mails promoted people.
    The capacity may not go below the number of confirmed participants (the form checks it;
    the database constraint guarantees it).
    """
    if event.pk is None:
        event.created_by = user
        event.save()
    else:
        locked = _locked_event(event.pk)
        event.confirmed_count = locked.confirmed_count
        if locked.status != Event.Status.DRAFT:
            event.sequence = locked.sequence + 1
        event.save()
        _promote(event)
    if focus_areas is not None:
        event.focus_areas.set(focus_areas)
    return event


@transaction.atomic
def publish_event(event: Event) -> Event:
    """Publish a draft: it appears in the calendar and feeds and opens for registration."""
    locked = _locked_event(event.pk)
    if locked.status == Event.Status.DRAFT:
        locked.status = Event.Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def cancel_event(event: Event, *, message: str = "") -> int:
    """Cancel an event and e-mail everyone registered (confirmed and waitlisted).

    The registrations are kept (for the record); the event stays visible, marked cancelled,
    and feeds send STATUS:CANCELLED with a higher SEQUENCE. Returns how many were told.
    """
    locked = _locked_event(event.pk)
    if locked.status == Event.Status.CANCELLED:
        return 0
    was_published = locked.status == Event.Status.PUBLISHED
    locked.status = Event.Status.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    if not was_published:
        return 0
    registrations = list(locked.registrations.active())
    notifications.send_event_cancelled(locked, registrations, message)
    return len(registrations)


@transaction.atomic
def copy_event(event: Event, *, user=None) -> Event:
    """A new draft with the same details, one week later, without registrations."""
    focus_areas = list(event.focus_areas.all())
    copy = Event(
        title=event.title,
        kind=event.kind,
        organiser=event.organiser,
        network=event.network,
        starts_at=event.starts_at + timedelta(days=7),
        ends_at=event.ends_at + timedelta(days=7),
        place=event.place,
        online_url=event.online_url,
        audience=event.audience,
        description=event.description,
        capacity=event.capacity,
        registration_opens_at=None,
        registration_closes_at=None,
        visibility=event.visibility,
        status=Event.Status.DRAFT,
        created_by=user,
    )
    copy.save()
    copy.focus_areas.set(focus_areas)
    return copy


@transaction.atomic
def mark_attendance(event: Event, attended_ids: set[int], *, now=None) -> int:
    """Record who came: confirmed participants in `attended_ids` attended, the others did not.

    Raises AttendanceError before the event has started (the page shows no form then, but a
    post can still arrive: an old tab, a script), and changes nothing.
    """
    if not attendance_can_be_marked(event, now):
        raise AttendanceError(
            _(
                "Attendance was not saved: the event has not started yet. "
                "It can be marked when it has started."
            )
        )
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED)
    yes = confirmed.filter(pk__in=attended_ids).update(attended=True, updated_at=timezone.now())
    confirmed.exclude(pk__in=attended_ids).update(attended=False, updated_at=timezone.now())
    return yes


def anonymise_past_registrations(*, days: int | None = None, now=None) -> int:
    """Remove personal data from registrations of events that ended more than `days` ago.

    Name, e-mail, needs, account link and cancel token go; status, organisation and attendance
    stay for statistics. Idempotent and safe to run daily. Returns how many were anonymised.
    """
    if days is None:
        days = settings.CALENDAR_RETENTION_DAYS
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    return Registration.objects.filter(event__ends_at__lt=cutoff, anonymised_at__isnull=True).update(
        name=_("Anonymised participant"),
        email=Concat(Value("anonymised-"), Cast("pk", output_field=CharField()), Value("@invalid")),
        needs="",
        user=None,
        cancel_token_hash="",
        anonymised_at=now,
    )
