"""iCalendar (RFC 5545) as pure functions: stable UIDs, VTIMEZONE, SEQUENCE and STATUS."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from calendar_app.models import Event
from portal.formatting import STOCKHOLM
from portal.validators import strip_control_characters

PRODID = "-//Biblioteksportalen//Kalendarium//SV"


def _line(value) -> str:
    """Text for a one-line property (a name, a title, a place): whatever is stored, without
    control characters and with line breaks and runs of spaces collapsed to one space. icalendar
    refuses a line break in some properties (X-WR-CALNAME), and a calendar shows one line."""
    return strip_control_characters(str(value), single_line=True)


def _vevent(event: Event, stamp, include_links: bool) -> VEvent:
    item = VEvent()
    item.add("uid", event.uid)
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at)
    item.add("created", event.created_at)
    item.add("sequence", event.sequence)
    item.add("dtstart", timezone.localtime(event.starts_at, STOCKHOLM))
    item.add("dtend", timezone.localtime(event.ends_at, STOCKHOLM))
    item.add("summary", _line(event.title))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    online = event.online_url if include_links else ""
    location = event.place or online or ("Online" if event.online_url else "")
    if location:
        item.add("location", _line(location))
    url = settings.SITE_URL + event.get_absolute_url()
    item.add("url", url)
    description = "\n\n".join(part for part in (event.description, online, url) if part)
    item.add("description", strip_control_characters(description))
    item.add("categories", [_line(event.get_kind_display())])
    item.add(
        "organizer",
        "mailto:" + settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"),
        parameters={"CN": _line(event.organiser.name)},
    )
    return item


def calendar_for(events: Iterable[Event], name: str, *, include_links: bool = False) -> bytes:
    """A VCALENDAR with one VEVENT per event and the Europe/Stockholm VTIMEZONE.

    Online meeting links are only included for registered people (`include_links`): in their
    confirmation e-mail and their personal feed, never in public feeds.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _line(name))
    cal.add("x-wr-timezone", "Europe/Stockholm")
    stamp = timezone.now()
    for event in events:
        cal.add_component(_vevent(event, stamp, include_links))
    cal.add_missing_timezones()
    return cal.to_ical()


def event_calendar(event: Event, *, include_links: bool = False) -> bytes:
    return calendar_for([event], event.title, include_links=include_links)
