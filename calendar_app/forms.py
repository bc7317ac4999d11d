from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from calendar_app.models import Event
from network.models import Network
from portal.emails import validate_deliverable_address
from portal.forms import BoundedModelMultipleChoiceField, PortalForm, PortalModelForm
from portal.models import FocusArea, Organisation
from portal.rules import grants


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(PortalModelForm):
    """Create or edit an event. `organisers` and `networks` are what the user may choose."""

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "organiser",
            "network",
            "focus_areas",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "audience",
            "description",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "visibility",
        ]
        field_classes = {"focus_areas": BoundedModelMultipleChoiceField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_opens_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
            "focus_areas": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "registration_opens_at": _("Leave empty to open registration when the event is published."),
            "registration_closes_at": _("Leave empty to keep registration open until the event starts."),
            "visibility": _(
                "Members-only events are shown only to the network's members (or the region's staff)."
            ),
        }

    def __init__(self, *args, organisers, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["network"].queryset = networks
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["capacity"].error_messages["min_value"] = _("The capacity must be at least 1 seat.")
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["organiser"].empty_label = _("Choose the organiser")
        self.fields["network"].empty_label = _("(no network)")
        if not self.instance.pk and not self.initial.get("organiser"):
            network = self.initial.get("network")
            regions = organisers.filter(kind=Organisation.Kind.REGION)
            if network is not None:
                regions = regions.filter(networks=network) or regions
            self.fields["organiser"].initial = regions.order_by("code").first()

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity < self.instance.confirmed_count:
            raise forms.ValidationError(
                _("%(count)s people already have a confirmed seat; the capacity cannot be lower than that.")
                % {"count": self.instance.confirmed_count}
            )
        return capacity

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if closes and ends and closes > ends:
            self.add_error("registration_closes_at", _("Registration must close before the event ends."))
        if not cleaned.get("place") and not cleaned.get("online_url"):
            self.add_error("place", _("Give a place, an online link or both."))
        if cleaned.get("visibility") == Event.Visibility.MEMBERS and cleaned.get("network") is None:
            organiser = cleaned.get("organiser")
            if organiser is not None and not organiser.is_region and organiser.parent_id is None:
                self.add_error(
                    "visibility", _("A members-only event needs a network or a regional organiser.")
                )
        return cleaned


class RegistrationForm(PortalForm):
    """Registration for a guest, or for a logged-in person (name and e-mail from the account)."""

    name = forms.CharField(
        label=_("Name"), max_length=160, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        validators=[validate_deliverable_address],
        error_messages={"invalid": _("Enter an e-mail address such as name@kommun.se.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose your municipality"),
    )
    needs = forms.CharField(
        label=_("Special needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example diet, allergies, interpretation or accessibility."),
    )
    consent = forms.BooleanField(
        label=_("I consent to my details being stored for this event."),
        help_text=_(
            "Your name, e-mail address, organisation and needs are used only to run the event and are "
            "removed after the retention period."
        ),
        error_messages={"required": _("You must consent to register.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name")
        if user is not None and user.is_authenticated:
            self.fields["email"].disabled = True
            self.fields["email"].initial = user.email
            self.fields["name"].initial = user.get_full_name()
            self.fields["organisation"].required = False
            self.fields["organisation"].empty_label = _("(none)")
            municipalities = [
                g.organisation_id for g in grants(user) if g.kind == Organisation.Kind.MUNICIPALITY
            ]
            if municipalities:
                self.fields["organisation"].initial = municipalities[0]


class EventFilterForm(PortalForm):
    """The calendar's filters; values travel in the query string so links can carry them."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("name"),
        empty_label=_("All regions"),
        to_field_name="code",
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Event.Kind.choices]
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        required=False,
        queryset=FocusArea.objects.filter(is_active=True),
        empty_label=_("All focus areas"),
        to_field_name="slug",
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        required=False,
        queryset=Network.objects.filter(visibility=Network.Visibility.PUBLIC),
        empty_label=_("All networks"),
        to_field_name="slug",
    )
    free_seats = forms.BooleanField(label=_("Only with free seats"), required=False)


class CancelEventForm(PortalForm):
    message = forms.CharField(
        label=_("Message to the participants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent with the cancellation to everyone registered, e.g. the reason or a new date."),
    )
