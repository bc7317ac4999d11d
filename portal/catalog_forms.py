"""Forms for the national catalogues, notifications and the development staircase."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm, PortalModelForm
from portal.models import (
    STAIRCASE_LEVELS,
    FocusArea,
    IndicatorDefinition,
    QualityCriterion,
    StaircaseArea,
    StaircaseLevel,
)


class FocusAreaCatalogueForm(PortalModelForm):
    class Meta:
        model = FocusArea
        fields = ["name", "description", "sort_order", "is_active"]

    def save(self, commit=True):
        if not self.instance.slug:
            base = slugify(self.cleaned_data["name"]) or "fokusomrade"
            slug, n = base, 2
            while FocusArea.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.instance.slug = slug
        return super().save(commit)


class QualityCriterionForm(PortalModelForm):
    class Meta:
        model = QualityCriterion
        fields = ["name", "description", "law_reference", "sort_order", "is_active"]


class IndicatorDefinitionForm(PortalModelForm):
    class Meta:
        model = IndicatorDefinition
        fields = ["name", "unit", "description", "source", "focus_area", "sort_order", "is_active"]


class StaircaseAreaForm(PortalModelForm):
    """A maturity area with the title and description of each of its levels."""

    class Meta:
        model = StaircaseArea
        fields = ["name", "description", "sort_order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {lvl.number: lvl for lvl in self.instance.levels.all()} if self.instance.pk else {}
        for n in range(1, STAIRCASE_LEVELS + 1):
            level = existing.get(n)
            self.fields[f"level_{n}_title"] = forms.CharField(
                label=_("Level %(n)s: title") % {"n": n},
                max_length=120,
                initial=level.title if level else "",
            )
            self.fields[f"level_{n}_description"] = forms.CharField(
                label=_("Level %(n)s: description") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=level.description if level else "",
            )

    def save(self, commit=True):
        area = super().save(commit=True)
        for n in range(1, STAIRCASE_LEVELS + 1):
            StaircaseLevel.objects.update_or_create(
                area=area,
                number=n,
                defaults={
                    "title": self.cleaned_data[f"level_{n}_title"],
                    "description": self.cleaned_data[f"level_{n}_description"],
                },
            )
        return area


class StaircaseForm(PortalForm):
    """An organisation's level (1–4) and comment for every maturity area, for one year."""

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            levels = {lvl.number: lvl for lvl in area.levels.all()}
            self.fields[f"level_{area.pk}"] = forms.TypedChoiceField(
                label=area.name,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                choices=[
                    (
                        n,
                        f"{n}. {levels[n].title} – {levels[n].description}" if n in levels else str(n),
                    )
                    for n in range(1, STAIRCASE_LEVELS + 1)
                ],
                help_text=area.description,
            )
            self.fields[f"comment_{area.pk}"] = forms.CharField(
                label=_("Comment on “%(area)s”") % {"area": area.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=4000,
            )

    def entries(self) -> dict[int, tuple[int | None, str]]:
        cd = self.cleaned_data
        return {a.pk: (cd.get(f"level_{a.pk}"), cd.get(f"comment_{a.pk}", "")) for a in self.areas}
