from django import forms
from django.utils.translation import gettext_lazy as _

from plans.followups import FollowUpData
from plans.forms import DecimalInput, YearField
from plans.models import Assessment, GoalFollowUp, Review
from portal.forms import PortalForm


class AssessmentForm(PortalForm):
    """One rating and one comment per quality criterion."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"rating_{c.pk}"] = forms.ChoiceField(
                label=c.name,
                choices=Assessment.Rating.choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=f"{c.description} ({c.law_reference})" if c.law_reference else c.description,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": c.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=4000,
            )

    def rows(self):
        """(criterion, rating field, comment field) for the template."""
        return [(c, self[f"rating_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def ratings(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"rating_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class CommentForm(PortalForm):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    section = forms.IntegerField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CloseReviewForm(PortalForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Review.Outcome.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("Summary of the feedback"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("The chef receives the summary by e-mail together with a link to the review."),
    )


class FollowUpYearForm(PortalForm):
    year = YearField(label=_("Year to follow up"))


class FollowUpForm(PortalForm):
    """Status and comment for every goal, the year's value of every indicator, a narrative."""

    def __init__(self, *args, goals, indicators, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals, self.indicators = goals, indicators
        self.groups = []
        for goal in goals:
            self.fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                label=_("Status"),
                choices=[("", _("Choose…"))] + list(GoalFollowUp.Status.choices),
                required=False,
            )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
            )
        for indicator in indicators:
            help_parts = []
            if indicator.baseline_value is not None:
                help_parts.append(
                    _("Baseline %(year)s: %(value)s")
                    % {"year": indicator.baseline_year or "", "value": _fmt(indicator.baseline_value)}
                )
            if indicator.target_value is not None:
                help_parts.append(
                    _("Target %(year)s: %(value)s")
                    % {"year": indicator.target_year or "", "value": _fmt(indicator.target_value)}
                )
            label = _("%(indicator)s, value for %(year)s") % {"indicator": indicator.name, "year": year}
            if indicator.unit:
                label = f"{label} ({indicator.unit})"
            self.fields[f"indicator_{indicator.pk}"] = DecimalInput(
                label=label, required=False, help_text=" · ".join(str(p) for p in help_parts)
            )
        self.fields["narrative"] = forms.CharField(
            label=_("Narrative"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=20000,
            help_text=_("How did the year go? What worked, what did not, and what do you change?"),
        )

    def goal_rows(self):
        """(goal, status field, comment field, indicator fields) for the template."""
        by_goal = {}
        for indicator in self.indicators:
            by_goal.setdefault(indicator.goal_id, []).append(self[f"indicator_{indicator.pk}"])
        return [
            (goal, self[f"goal_{goal.pk}_status"], self[f"goal_{goal.pk}_comment"], by_goal.get(goal.pk, []))
            for goal in self.goals
        ]

    def data_object(self):

        cd = self.cleaned_data
        return FollowUpData(
            narrative=cd.get("narrative", ""),
            goals={
                g.pk: (cd.get(f"goal_{g.pk}_status", ""), cd.get(f"goal_{g.pk}_comment", ""))
                for g in self.goals
            },
            values={i.pk: cd.get(f"indicator_{i.pk}") for i in self.indicators},
        )


def _fmt(value):
    return format(value.normalize(), "f").replace(".", ",")


class CompletionForm(PortalForm):
    note = forms.CharField(
        label=_("What needs to be completed?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AcknowledgeForm(PortalForm):
    note = forms.CharField(
        label=_("Note to the chef (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
