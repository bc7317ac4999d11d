"""Fetch an event for a user or raise 404 (members-only events and drafts stay invisible)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from calendar_app.models import Event
from portal.rules import can


def event_for(user, pk: int, perm: str = "calendar_app.view_event") -> Event:
    event = get_object_or_404(
        Event.objects.select_related("organiser", "organiser__parent", "network").prefetch_related(
            "focus_areas"
        ),
        pk=pk,
    )
    if not can(user, perm, event):
        raise Http404
    return event
