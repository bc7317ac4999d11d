from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm


class NationalReportForm(PortalForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2010,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--year"}),
        error_messages={"invalid": _("Enter a year with four digits, for example 2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].initial = year
        self.fields["year"].validators.append(
            MaxValueValidator(year, message=_("The report can cover %(limit_value)s at the latest."))
        )


class RegionalReportForm(NationalReportForm):
    region = forms.ModelChoiceField(
        queryset=None, label=_("Region"), to_field_name="code", empty_label=_("Choose a region")
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: f"{r.name} ({r.code})"
        if len(regions) == 1:
            self.fields["region"].initial = regions[0].code
