"""Reusable event querysets: the calendar views, feeds, the network page and the reports share
them."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from calendar_app.models import Event, Registration
from calendar_app.rules import SHOWN
from network.rules import coordinated_network_ids, member_network_ids
from portal.rules import consultant_region_ids, is_admin, user_region_ids


def _in_regions(region_ids) -> Q:
    return Q(organiser_id__in=region_ids) | Q(organiser__parent_id__in=region_ids)


def visible_events(user) -> QuerySet[Event]:
    """Every event the user may see: published/cancelled ones for their audience, plus the
    drafts and members-only events they manage. One query; mirrors `can_view_event`."""
    qs = Event.objects.select_related("organiser", "network")
    if is_admin(user):
        return qs
    shown = Q(status__in=SHOWN)
    audience = Q(visibility=Event.Visibility.PUBLIC)
    members = member_network_ids(user)
    if members:
        audience |= Q(network_id__in=members)
    regions = user_region_ids(user)
    if regions:
        audience |= Q(network__isnull=True) & _in_regions(regions)
    condition = shown & audience
    managed_regions = consultant_region_ids(user)
    if managed_regions:
        condition |= _in_regions(managed_regions)
    coordinated = coordinated_network_ids(user)
    if coordinated:
        condition |= Q(network_id__in=coordinated)
    return qs.filter(condition)


def public_events() -> QuerySet[Event]:
    """Published and cancelled public events (feeds without login)."""
    return Event.objects.select_related("organiser", "network").filter(
        status__in=SHOWN, visibility=Event.Visibility.PUBLIC
    )


def filter_events(qs: QuerySet[Event], filters: dict) -> QuerySet[Event]:
    """Apply the calendar filters (cleaned data of EventFilterForm)."""
    if filters.get("region"):
        qs = qs.filter(_in_regions([filters["region"].pk]))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("focus_area"):
        qs = qs.filter(
            pk__in=Event.focus_areas.through.objects.filter(focusarea_id=filters["focus_area"].pk).values(
                "event_id"
            )
        )
    if filters.get("network"):
        qs = qs.filter(network=filters["network"])
    if filters.get("free_seats"):
        qs = qs.filter(status=Event.Status.PUBLISHED, confirmed_count__lt=F("capacity"))
    return qs


def upcoming(qs: QuerySet[Event], now=None) -> QuerySet[Event]:
    return qs.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")


def past(qs: QuerySet[Event], now=None) -> QuerySet[Event]:
    return qs.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


def in_range(qs: QuerySet[Event], start, end) -> QuerySet[Event]:
    """Events overlapping [start, end)."""
    return qs.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "pk")


def participants(event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related("organisation", "user").order_by("status", "queued_at", "pk")


def registrations_of(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__organiser", "event__network")
        .order_by("-event__starts_at")
    )


# --- events held, as the reports count them ------------------------------------------------


def held_events(organiser, networks, start: datetime, end: datetime, now: datetime) -> QuerySet[Event]:
    """Published events of the organiser or of one of the networks that started in [start, end)
    and had ended by `now`."""
    return Event.objects.filter(
        Q(organiser=organiser) | Q(network__in=networks),
        status=Event.Status.PUBLISHED,
        starts_at__gte=start,
        starts_at__lt=end,
        ends_at__lte=now,
    ).distinct()


def confirmed_registrations(events: QuerySet[Event]) -> QuerySet[Registration]:
    return Registration.objects.filter(event_id__in=events.values("pk"), status=Registration.Status.CONFIRMED)


def attendance(registrations: QuerySet[Registration]) -> dict[str, int]:
    """The number of `participants` and how many of them `attended` (one query)."""
    return registrations.aggregate(participants=Count("pk"), attended=Count("pk", filter=Q(attended=True)))


def attendance_by(registrations: QuerySet[Registration], field: str) -> dict:
    """`participants`, `attended` and `events` (how many of the events they came to), by the
    value of `field` (e.g. "organisation_id", "event__kind"); one query."""
    return {
        row[field]: row
        for row in registrations.values(field).annotate(
            participants=Count("pk"),
            attended=Count("pk", filter=Q(attended=True)),
            events=Count("event", distinct=True),
        )
    }


def events_by_kind(events: QuerySet[Event]) -> dict[str, int]:
    """How many of the events there are of each kind, by kind (one query)."""
    return dict(
        Event.objects.filter(pk__in=events.values("pk"))
        .values("kind")
        .annotate(events=Count("pk"))
        .values_list("kind", "events")
    )


def events_by_focus_area(events: QuerySet[Event]) -> list[tuple[str, int]]:
    """(national focus area, number of the events tagged with it), most events first (one query)."""
    return list(
        Event.objects.filter(pk__in=events.values("pk"), focus_areas__isnull=False)
        .values("focus_areas__name")
        .annotate(events=Count("pk", distinct=True))
        .order_by("-events", "focus_areas__name")
        .values_list("focus_areas__name", "events")
    )


def meetings_by_network(events: QuerySet[Event], region) -> dict[int, int]:
    """How many of the events were meetings of each network of the region, by network (one query)."""
    return dict(
        Event.objects.filter(pk__in=events.values("pk"), network__regions=region)
        .values("network_id")
        .annotate(n=Count("pk"))
        .values_list("network_id", "n")
    )
