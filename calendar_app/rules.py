"""Who may see, run and sign up for events (django-rules, loaded by autodiscovery).

Events passed in must have their `organiser` loaded (the access helper does).
`calendar_app.queries.visible_events` is the queryset twin of `calendar_app.view_event`;
`organisers_for` and `networks_for` are the scopes of the event form.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from calendar_app.models import Event, Registration
from network.models import Network
from network.rules import coordinated_network_ids, is_any_coordinator, member_network_ids
from portal.models import Organisation
from portal.rules import consultant_region_ids, is_admin, is_consultant, user_region_ids

SHOWN = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


@rules.predicate
def is_event_organiser_consultant(user, event) -> bool:
    return event is not None and event.organiser.region_id in consultant_region_ids(user)


@rules.predicate
def is_event_network_coordinator(user, event) -> bool:
    return (
        event is not None
        and event.network_id is not None
        and event.network_id in coordinated_network_ids(user)
    )


@rules.predicate
def is_event_shown(user, event) -> bool:
    """Published or cancelled (a cancelled event stays visible, marked as cancelled)."""
    return event is not None and event.status in SHOWN


@rules.predicate
def is_event_audience(user, event) -> bool:
    """Public events are for everyone; members-only events for the network's members, or
    (without a network) for people of the organiser's region."""
    if event is None:
        return False
    if event.visibility == Event.Visibility.PUBLIC:
        return True
    if event.network_id is not None:
        return event.network_id in member_network_ids(user)
    return event.organiser.region_id in user_region_ids(user)


@rules.predicate
def is_own_registration(user, registration) -> bool:
    return registration is not None and registration.user_id is not None and registration.user_id == user.pk


def registration_is_cancellable(registration: Registration, now=None) -> bool:
    """A registration can be cancelled until its event starts (not once it is cancelled)."""
    now = now or timezone.now()
    return (
        registration is not None
        and not registration.is_cancelled
        and not registration.event.is_cancelled
        and registration.event.starts_at > now
    )


def attendance_can_be_marked(event: Event, now=None) -> bool:
    """Attendance is recorded once the event has started: before that, nobody has come."""
    now = now or timezone.now()
    return event.starts_at <= now


@rules.predicate
def is_cancellable(user, registration) -> bool:
    return registration_is_cancellable(registration)


can_manage_event = is_admin | is_event_organiser_consultant | is_event_network_coordinator
can_view_event = (is_event_shown & is_event_audience) | can_manage_event

rules.add_perm("calendar_app.add_event", is_admin | is_consultant | is_any_coordinator)
rules.add_perm("calendar_app.import_events", is_admin | is_consultant | is_any_coordinator)
rules.add_perm("calendar_app.view_event", can_view_event)
rules.add_perm("calendar_app.change_event", can_manage_event)
rules.add_perm("calendar_app.view_participants", can_manage_event)
rules.add_perm("calendar_app.register", can_view_event & is_event_shown)
rules.add_perm("calendar_app.cancel_registration", is_own_registration & is_cancellable)


def organisers_for(user) -> QuerySet[Organisation]:
    """The organisations this user may organise events for: the regions they are consultant of
    and their municipalities, and the host regions (with municipalities) of networks they
    coordinate; admins any region or municipality."""
    qs = Organisation.objects.exclude(kind=Organisation.Kind.NATIONAL).order_by("kind", "name")
    if is_admin(user):
        return qs.filter(kind=Organisation.Kind.REGION) | qs.filter(kind=Organisation.Kind.MUNICIPALITY)
    regions = set(consultant_region_ids(user))
    coordinated = coordinated_network_ids(user)
    if coordinated:
        regions |= set(
            Network.regions.through.objects.filter(network_id__in=coordinated).values_list(
                "organisation_id", flat=True
            )
        )
    return qs.filter(Q(pk__in=regions) | Q(parent_id__in=regions))


def networks_for(user) -> QuerySet[Network]:
    """The active networks this user may hold events in."""
    qs = Network.objects.filter(status=Network.Status.ACTIVE).order_by("name")
    if is_admin(user):
        return qs
    regions = consultant_region_ids(user)
    return qs.filter(Q(regions__in=regions) | Q(pk__in=coordinated_network_ids(user))).distinct()
