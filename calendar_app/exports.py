"""Calendar downloads: events, one event's participants, and registrations across events."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from import_export.fields import Field

from calendar_app.models import Event
from portal.exports import ExportResource, local_datetime, number_field, yes_no


class _RegistrationColumns(ExportResource):
    """Who registered: the columns the participant list and the registrations export share."""

    name = Field(attribute="name", column_name=gettext_lazy("Name"))
    email = Field(attribute="email", column_name=gettext_lazy("E-mail address"))
    organisation = Field(attribute="organisation__name", column_name=gettext_lazy("Organisation"))
    status = Field(attribute="get_status_display", column_name=gettext_lazy("Status"))
    attended = Field(column_name=gettext_lazy("Attended"))

    def dehydrate_attended(self, registration):
        return yes_no(registration.attended)


class ParticipantResource(_RegistrationColumns):
    """One event's participant list (for its organisers)."""

    registered = Field(column_name=gettext_lazy("Registered"))
    needs = Field(attribute="needs", column_name=gettext_lazy("Special needs"))

    class Meta:
        export_order = ("name", "email", "organisation", "status", "registered", "needs", "attended")

    def dehydrate_registered(self, registration):
        return local_datetime(registration.queued_at)


class RegistrationResource(_RegistrationColumns):
    """Registrations of several events (organisers). Rows need `event` loaded."""

    event = Field(attribute="event__title", column_name=gettext_lazy("Event"))
    date = Field(column_name=gettext_lazy("Date"))

    class Meta:
        export_order = ("event", "date", "name", "email", "organisation", "status", "attended")

    def dehydrate_date(self, registration):
        return local_datetime(registration.event.starts_at)


class EventResource(ExportResource):
    """The calendar as a table. Rows need `organiser`, `network`, prefetched `focus_areas` and
    the `waitlisted` annotation (see views.event_export)."""

    title = Field(attribute="title", column_name=gettext_lazy("Title"))
    kind = Field(attribute="get_kind_display", column_name=gettext_lazy("Kind"))
    starts = Field(column_name=gettext_lazy("Starts"))
    ends = Field(column_name=gettext_lazy("Ends"))
    place = Field(column_name=gettext_lazy("Place"))
    organiser = Field(attribute="organiser__name", column_name=gettext_lazy("Organiser"))
    network = Field(attribute="network__name", column_name=gettext_lazy("Network"))
    focus_areas = Field(column_name=gettext_lazy("Focus areas"))
    capacity = number_field("capacity", gettext_lazy("Seats"))
    confirmed = number_field("confirmed_count", pgettext_lazy("number of registrations", "Confirmed"))
    waitlisted = number_field("waitlisted", gettext_lazy("On the waiting list"))
    status = Field(attribute="get_status_display", column_name=gettext_lazy("Status"))

    def dehydrate_starts(self, event: Event):
        return local_datetime(event.starts_at)

    def dehydrate_ends(self, event: Event):
        return local_datetime(event.ends_at)

    def dehydrate_place(self, event: Event):
        # The online link itself is for registered people only (as on the event page).
        if event.place:
            return event.place
        return _("Online") if event.online_url else ""

    def dehydrate_focus_areas(self, event: Event):
        return ", ".join(area.name for area in event.focus_areas.all())
