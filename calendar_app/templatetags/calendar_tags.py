from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from calendar_app import queries

register = template.Library()


@register.filter
def event_when(event) -> str:
    """'tisdag 3 mars 2026, 09.00–16.00', or both dates when the event spans several days."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{date_filter(start, 'l j F Y')}, {date_filter(start, 'H.i')}–{date_filter(end, 'H.i')}"
    return f"{date_filter(start, 'j F Y H.i')} – {date_filter(end, 'j F Y H.i')}"


@register.filter
def event_time(event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    return f"{date_filter(start, 'H.i')}–{date_filter(end, 'H.i')}"


NETWORK_MEETINGS_LIMIT = 10


@register.simple_tag(takes_context=True)
def network_meetings(context, network) -> dict:
    """The network page's meetings: {"upcoming": [...], "past": [...]} that the viewer may see.

    The network app shows its meetings through this tag, so that it needs no import of the
    calendar (the calendar depends on networks, never the other way round)."""
    events = queries.visible_events(context["request"].user).filter(network=network)
    now = timezone.now()
    return {
        "upcoming": list(queries.upcoming(events, now)[:NETWORK_MEETINGS_LIMIT]),
        "past": list(queries.past(events, now)[:NETWORK_MEETINGS_LIMIT]),
    }
