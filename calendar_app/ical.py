"""iCalendar (RFC 5545) as pure functions: stable UIDs, VTIMEZONE, SEQUENCE and STATUS."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from calendar_app.models import Event

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//Biblioteksportalen//Kalendarium//SV"


def _vevent(event: Event, stamp) -> VEvent:
    item = VEvent()
    item.add("uid", event.uid)
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at)
    item.add("created", event.created_at)
    item.add("sequence", event.sequence)
    item.add("dtstart", timezone.localtime(event.starts_at, STOCKHOLM))
    item.add("dtend", timezone.localtime(event.ends_at, STOCKHOLM))
    item.add("summary", event.title)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    url = settings.SITE_URL + event.get_absolute_url()
    item.add("url", url)
    description = "\n\n".join(part for part in (event.description, event.online_url, url) if part)
    item.add("description", description)
    item.add("categories", [event.get_kind_display()])
    item.add(
        "organizer",
        "mailto:" + settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"),
        parameters={"CN": event.organiser.name},
    )
    return item


def calendar_for(events: Iterable[Event], name: str) -> bytes:
    """A VCALENDAR with one VEVENT per event and the Europe/Stockholm VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Stockholm")
    stamp = timezone.now()
    for event in events:
        cal.add_component(_vevent(event, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def event_calendar(event: Event) -> bytes:
    return calendar_for([event], event.title)
