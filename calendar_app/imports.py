"""Importing events (e.g. a term's training programme planned in Excel) as drafts.

Each row is checked by the same EventForm as the calendar's own form, with the organisers and
networks this user may choose; imported events are drafts, published from the calendar."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calendar_app import services
from calendar_app.forms import EventForm
from calendar_app.models import Event
from calendar_app.rules import networks_for, organisers_for
from portal.forms import PortalForm
from portal.imports.base import ChoiceCellField, Column, FormRowResource, normalise_code, normalise_heading
from portal.models import FocusArea
from portal.rules import can


class EventRowForm(PortalForm):
    """The row's text cells, turned into EventForm data (codes and names to primary keys)."""

    title = forms.CharField()
    kind = ChoiceCellField(Event.Kind.choices)
    organiser = forms.CharField()
    network = forms.CharField(required=False)
    focus_areas = forms.CharField(required=False)
    starts = forms.CharField()
    ends = forms.CharField()
    place = forms.CharField(required=False)
    online_url = forms.CharField(required=False)
    audience = forms.CharField(required=False)
    description = forms.CharField(required=False, widget=forms.Textarea)  # may hold line breaks
    capacity = forms.CharField()
    visibility = ChoiceCellField(Event.Visibility.choices, required=False)

    def __init__(self, *args, user, organisers, networks, focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organisers = organisers
        self.networks = networks
        self.focus_area_names = focus_areas
        self.event = None

    def clean_organiser(self):
        code = normalise_code(self.cleaned_data["organiser"])
        organiser = self.organisers.get(code)
        if organiser is None:
            raise ValidationError(
                _("“%(code)s” is not an organisation you may organise events for.") % {"code": code}
            )
        return organiser

    def clean_network(self):
        name = self.cleaned_data["network"]
        if not name:
            return None
        network = self.networks.get(normalise_heading(name))
        if network is None:
            raise ValidationError(_("“%(name)s” is not a network you may hold events in.") % {"name": name})
        return network

    def clean_focus_areas(self):
        names = [
            n.strip() for n in self.cleaned_data["focus_areas"].replace(",", ";").split(";") if n.strip()
        ]
        areas = []
        for name in names:
            area = self.focus_area_names.get(normalise_heading(name))
            if area is None:
                raise ValidationError(
                    _(
                        "Unknown focus area “%(name)s”. "
                        "Use the names of the national focus areas, separated by ;."
                    )
                    % {"name": name}
                )
            areas.append(area)
        return areas

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {
            "title": cleaned["title"],
            "kind": cleaned["kind"],
            "organiser": cleaned["organiser"].pk,
            "network": cleaned["network"].pk if cleaned["network"] else "",
            "focus_areas": [a.pk for a in cleaned["focus_areas"]],
            "starts_at": cleaned["starts"],
            "ends_at": cleaned["ends"],
            "place": cleaned["place"],
            "online_url": cleaned["online_url"],
            "audience": cleaned["audience"],
            "description": cleaned["description"],
            "capacity": cleaned["capacity"],
            "visibility": cleaned["visibility"] or Event.Visibility.PUBLIC,
        }
        form = EventForm(
            data,
            organisers=organisers_for(self.user).filter(pk=cleaned["organiser"].pk),
            networks=networks_for(self.user).filter(pk=data["network"] or 0),
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                column = {"starts_at": "starts", "ends_at": "ends"}.get(name, name)
                self.add_error(column if column in self.fields else None, errors)
            return cleaned
        event = form.save(commit=False)
        if not can(self.user, "calendar_app.change_event", event):
            self.add_error("organiser", _("You may not organise events for this organisation."))
            return cleaned
        self.event = event
        cleaned["event"] = event
        cleaned["focus_area_objects"] = form.cleaned_data["focus_areas"]
        return cleaned


class EventResource(FormRowResource):
    columns = [
        Column(
            "title", gettext_lazy("Title"), aliases=("titel", "rubrik"), example="Språkstart – utbildningsdag"
        ),
        Column("kind", gettext_lazy("Kind"), aliases=("typ",), example=str(Event.Kind.TRAINING.label)),
        Column("organiser", gettext_lazy("Organiser code"), aliases=("arrangör",), example="08"),
        Column("network", gettext_lazy("Network"), required=False, aliases=("nätverk",), example=""),
        Column("starts", gettext_lazy("Starts"), aliases=("start", "börjar"), example="2027-03-04 09:00"),
        Column("ends", gettext_lazy("Ends"), aliases=("slut", "slutar"), example="2027-03-04 15:30"),
        Column(
            "place",
            gettext_lazy("Place"),
            required=False,
            aliases=("plats",),
            example="Stadsbiblioteket, Kalmar",
        ),
        Column("online_url", gettext_lazy("Online link"), required=False, aliases=("länk",), example=""),
        Column(
            "audience",
            gettext_lazy("Audience"),
            required=False,
            aliases=("målgrupp",),
            example="Barnbibliotekarier",
        ),
        Column(
            "description", gettext_lazy("Description"), required=False, aliases=("beskrivning",), example=""
        ),
        Column("capacity", gettext_lazy("Seats"), aliases=("antal platser", "platser"), example="40"),
        Column(
            "focus_areas",
            gettext_lazy("Focus areas"),
            required=False,
            aliases=("fokusområden",),
            example="Barn och unga; Läsfrämjande och språklig mångfald",
        ),
        Column(
            "visibility",
            gettext_lazy("Visibility"),
            required=False,
            aliases=("synlighet",),
            example=str(Event.Visibility.PUBLIC.label),
        ),
    ]

    class Meta:
        model = Event

    @classmethod
    def allowed_values(cls):
        labels = {c.key: str(c.label) for c in cls.columns}
        areas = FocusArea.objects.filter(is_active=True).values_list("name", flat=True)
        return [
            (labels["kind"], [str(label) for _key, label in Event.Kind.choices]),
            (labels["visibility"], [str(label) for _key, label in Event.Visibility.choices]),
            (labels["focus_areas"], list(areas)),
        ]

    def __init__(self, user):
        super().__init__(user)
        self.organisers = {o.code: o for o in organisers_for(user)}
        networks = list(networks_for(user))
        self.networks = {normalise_heading(n.name): n for n in networks} | {
            normalise_heading(n.slug): n for n in networks
        }
        self.focus_areas = {normalise_heading(a.name): a for a in FocusArea.objects.filter(is_active=True)}

    def row_form(self, data):
        return EventRowForm(
            data,
            user=self.user,
            organisers=self.organisers,
            networks=self.networks,
            focus_areas=self.focus_areas,
        )

    def check_row(self, cleaned):
        event = cleaned["event"]
        if Event.objects.filter(
            organiser=event.organiser, starts_at=event.starts_at, title__iexact=event.title
        ).exists():
            raise ValidationError(
                _("This event is already in the calendar (same title, organiser and start).")
            )

    def duplicate_key(self, cleaned):
        event = cleaned["event"]
        return (event.title.casefold(), event.organiser_id, event.starts_at)

    def get_or_init_instance(self, instance_loader, row):
        return row["_cleaned"]["event"], True

    def apply(self, instance, cleaned):
        pass  # the EventForm has filled the event

    def save_row(self, instance, cleaned, new):
        services.save_event(instance, focus_areas=cleaned["focus_area_objects"], user=self.user)

    def describe(self, instance, cleaned, new, original):
        starts = formats.date_format(timezone.localtime(instance.starts_at), "j F Y H:i")
        return _("Draft: %(title)s, %(starts)s, %(organiser)s") % {
            "title": instance.title,
            "starts": starts,
            "organiser": instance.organiser,
        }
