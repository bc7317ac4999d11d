from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import (
    MAX_PERIOD_YEARS,
    MAX_YEAR,
    MIN_YEAR,
    Activity,
    Goal,
    Indicator,
    Plan,
    PlanFocusArea,
)
from portal.documents import DocumentUploadForm
from portal.forms import PortalForm, PortalModelForm
from portal.models import FocusArea, Organisation
from portal.uploads import validate_document


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter a year with four digits, for example 2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--year"}))
        super().__init__(**kwargs)
        self.error_messages["min_value"] = _("The year must be %(limit_value)s or later.")
        self.error_messages["max_value"] = _("The year must be %(limit_value)s or earlier.")


class DecimalInput(forms.DecimalField):
    """Accepts Swedish decimal commas ("12,5") as well as points."""

    default_error_messages = {"invalid": _("Enter a number, for example 12,5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "input--number"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class PeriodMixin:
    """Validates first_year/last_year: order and a sensible length."""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last:
            if last < first:
                self.add_error("last_year", _("The last year cannot be before the first year."))
            elif last - first + 1 > MAX_PERIOD_YEARS:
                self.add_error(
                    "last_year", _("A plan can cover at most %(n)s years.") % {"n": MAX_PERIOD_YEARS}
                )
        return cleaned


class PlanCreateForm(PeriodMixin, PortalForm):
    START_TEMPLATE = "template"
    START_EMPTY = "empty"
    START_COPY = "copy"

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    kind = forms.ChoiceField(choices=Plan.Kind.choices, label=_("Kind of plan"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    first_year = YearField(label=_("First year"))
    last_year = YearField(label=_("Last year"))
    start = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        choices=[
            (START_TEMPLATE, _("The template with the usual sections")),
            (START_COPY, _("An earlier adopted plan (copied forward)")),
            (START_EMPTY, _("An empty plan")),
        ],
        initial=START_TEMPLATE,
    )
    source = forms.ModelChoiceField(
        queryset=Plan.objects.none(), required=False, label=_("Adopted plan to copy")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["source"].queryset = (
            Plan.objects.adopted().filter(organisation__in=organisations).select_related("organisation")
        )
        self.fields["source"].empty_label = _("Choose …")
        self.fields["source"].label_from_instance = lambda p: f"{p.title} ({p.period}), {p.organisation}"
        year = timezone.localdate().year
        self.fields["first_year"].initial = year + 1
        self.fields["last_year"].initial = year + 4

    def clean(self):
        cleaned = super().clean()
        org, kind = cleaned.get("organisation"), cleaned.get("kind")
        if org and kind:
            allowed = {Organisation.Kind.MUNICIPALITY: {Plan.Kind.MUNICIPAL}}.get(
                org.kind, {Plan.Kind.REGIONAL, Plan.Kind.ACTIVITY}
            )
            if kind not in allowed:
                self.add_error("kind", _("This kind of plan does not fit the organisation."))
        if cleaned.get("start") == self.START_COPY:
            source = cleaned.get("source")
            if source is None:
                self.add_error("source", _("Choose the adopted plan to copy."))
            elif org and source.organisation_id != org.pk:
                self.add_error("source", _("Choose one of the organisation's own adopted plans."))
        title = cleaned.get("title")
        if org and title and Plan.objects.filter(organisation=org, title__iexact=title.strip()).exists():
            self.add_error("title", _("The organisation already has a plan with this title."))
        return cleaned


class VersionedForm(PortalForm):
    """Carries the version the person started from, for conflict detection."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlanMetaForm(PeriodMixin, VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    first_year = YearField(label=_("First year"))
    last_year = YearField(label=_("Last year"))

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        clash = Plan.objects.filter(organisation=self.plan.organisation, title__iexact=title).exclude(
            pk=self.plan.pk
        )
        if clash.exists():
            raise ValidationError(_("The organisation already has a plan with this title."))
        return title


class SectionForm(VersionedForm):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 12})
    )


class NewSectionForm(PortalForm):
    heading = forms.CharField(label=_("Heading of the new section"), max_length=200)


class FocusAreaForm(PortalModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanFocusArea
        fields = ["national", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national"].queryset = FocusArea.objects.filter(is_active=True)
        self.fields["national"].empty_label = _("Choose …")
        self.fields["national"].help_text = _(
            "The entry of KB's national catalogue this focus area belongs to."
        )


class GoalForm(PortalModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(PortalModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = ["what", "responsible", "timing", "status"]


class IndicatorForm(PeriodMixin, PortalModelForm):
    """An indicator with a value field for every year of the plan's period."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    baseline_year = YearField(label=_("Baseline year"), required=False)
    target_year = YearField(label=_("Target year"), required=False)
    baseline_value = DecimalInput(label=_("Baseline value"), required=False)
    target_value = DecimalInput(label=_("Target value"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "direction",
        ]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(range(plan.first_year, plan.last_year + 1))
        existing = {}
        if self.instance.pk:
            existing = {v.year: v.value for v in self.instance.values.all()}
        for year in self.years:
            self.fields[f"value_{year}"] = DecimalInput(
                label=_("Value %(year)s") % {"year": year}, required=False, initial=existing.get(year)
            )

    def clean(self):
        cleaned = super(PeriodMixin, self).clean()
        base, target = cleaned.get("baseline_year"), cleaned.get("target_year")
        if base and target and target < base:
            self.add_error("target_year", _("The target year cannot be before the baseline year."))
        return cleaned

    def yearly_values(self) -> dict[int, object]:
        return {year: self.cleaned_data.get(f"value_{year}") for year in self.years}

    def value_fields(self):
        return [self[f"value_{year}"] for year in self.years]


class AdoptionForm(PortalForm):
    BODIES = [
        "Kommunfullmäktige",
        "Kommunstyrelsen",
        "Kultur- och fritidsnämnden",
        "Regionfullmäktige",
        "Regionala utvecklingsnämnden",
        "Regionstyrelsen",
    ]

    adopted_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 2026-03-24.")},
    )
    adopted_by_body = forms.CharField(
        label=_("Adopting body"),
        max_length=120,
        help_text=_("For example Kommunfullmäktige or Regionala utvecklingsnämnden."),
        widget=forms.TextInput(attrs={"list": "adopting-bodies"}),
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=120,
        required=False,
        help_text=_("The minutes' paragraph or the case number, for example KF § 45 or Dnr 2026/123."),
    )
    document = forms.FileField(
        label=_("Adopted document"),
        required=False,
        help_text=_("The plan as adopted (PDF, Word or OpenDocument, at most 20 MB)."),
    )

    def clean_adopted_on(self):
        value = self.cleaned_data["adopted_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The decision date cannot be in the future."))
        return value  # the portal's range of years (2000–2100) is checked for every date field

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_document(document)
        return document


class AttachmentForm(DocumentUploadForm):
    """A plan attachment: the portal's document upload (portal.documents)."""


class PlanFilterForm(PortalForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.REGION),
        required=False,
        label=_("Region"),
        empty_label=_("All regions"),
    )
    status = forms.ChoiceField(required=False, label=_("Status"))
    year = forms.IntegerField(
        required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, label=_("Valid in year")
    )
    focus = forms.ModelChoiceField(
        queryset=FocusArea.objects.filter(is_active=True),
        required=False,
        label=_("National focus area"),
        empty_label=_("All focus areas"),
    )
    kind = forms.ChoiceField(required=False, label=_("Kind of plan"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[
            ("-last_year", _("Period, newest first")),
            ("organisation", _("Organisation")),
            ("status", _("Status")),
            ("-updated_at", _("Last changed")),
        ],
    )

    def __init__(self, *args, public: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *Plan.Status.choices]
        self.fields["kind"].choices = [("", _("All kinds")), *Plan.Kind.choices]
        if public:
            del self.fields["status"]
