"""Reusable querysets for organisations and people; lists and dashboards share them."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet, Subquery

from portal.formatting import compact, number
from portal.models import (
    FocusArea,
    IndicatorDefinition,
    Invitation,
    Membership,
    Organisation,
    Role,
    StaircaseAssessment,
    StatisticValue,
)


def regions() -> QuerySet[Organisation]:
    """The 21 regions by SCB code."""
    return Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("code")


def municipality_rows() -> list[dict]:
    """Every municipality as a light row (`id`, `code`, `name`, `parent_id`) by code (one query)."""
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .order_by("code")
        .values("id", "code", "name", "parent_id")
    )


def municipalities_by_name(region: Organisation) -> list[Organisation]:
    """The region's municipalities by name (one query)."""
    return list(Organisation.objects.filter(parent=region).order_by("name"))


def national_focus_areas() -> QuerySet[FocusArea]:
    """The active focus areas of the national catalogue, in the catalogue's order."""
    return FocusArea.objects.filter(is_active=True)


def regions_overview() -> QuerySet[Organisation]:
    """All regions with their number of municipalities, municipalities with a chef and consultants."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.REGION)
        .annotate(
            municipality_count=Count("children", distinct=True),
            municipalities_with_chef=Count(
                "children", filter=Q(children__memberships__role=Role.CHEF), distinct=True
            ),
            consultant_count=Count("memberships", filter=Q(memberships__role=Role.CONSULTANT), distinct=True),
        )
        .order_by("code")
    )


def _municipalities() -> QuerySet[Organisation]:
    return (
        Organisation.objects.annotate(people_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.CHEF).with_people(),
                to_attr="chef_memberships",
            )
        )
        .order_by("name")
    )


def municipalities_of(region: Organisation) -> QuerySet[Organisation]:
    """The region's municipalities with their chefs and their number of people (2 queries)."""
    return _municipalities().filter(parent=region)


def grouped_by(objects, attribute: str) -> defaultdict:
    """Objects in lists by the value of `attribute`; a value with no objects gives []."""
    grouped = defaultdict(list)
    for obj in objects:
        grouped[getattr(obj, attribute)].append(obj)
    return grouped


def municipalities_by_region(region_ids) -> dict[int, list[Organisation]]:
    """Like `municipalities_of` for several regions at once, by region (2 queries)."""
    return grouped_by(_municipalities().filter(parent_id__in=region_ids), "parent_id")


def people_of(org: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=org).with_people()


def people_by_organisation(org_ids, role: str | None = None) -> dict[int, list[Membership]]:
    """The members of several organisations (only `role`, if given), by organisation (1 query)."""
    memberships = Membership.objects.filter(organisation_id__in=org_ids)
    if role:
        memberships = memberships.filter(role=role)
    return grouped_by(memberships.with_people(), "organisation_id")


def pending_invitations_of(org: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.pending().filter(organisation=org).select_related("invited_by")


def pending_invitations_by_organisation(org_ids) -> dict[int, list[Invitation]]:
    """Like `pending_invitations_of` for several organisations, by organisation (1 query)."""
    pending = Invitation.objects.pending().filter(organisation_id__in=org_ids).select_related("invited_by")
    return grouped_by(pending, "organisation_id")


def pending_invitation_counts(region_ids) -> dict[int, int]:
    """Pending invitations to each region and its municipalities, by region (1 query)."""
    counts = dict.fromkeys(region_ids, 0)
    rows = (
        Invitation.objects.pending()
        .filter(Q(organisation_id__in=region_ids) | Q(organisation__parent_id__in=region_ids))
        .values("organisation_id", "organisation__parent_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        region = (
            row["organisation_id"] if row["organisation_id"] in counts else row["organisation__parent_id"]
        )
        counts[region] += row["n"]
    return counts


@dataclass
class KeyFigure:
    """One indicator of one organisation over the last three years with values, as KB's
    statistics show it: the change from the year before, flagged when it is over 10 %."""

    indicator: IndicatorDefinition
    values: list  # one per year, None where nothing was recorded
    change: float | None  # per cent, last year against the one before
    sources: list[str]

    @property
    def display_values(self) -> list[str]:
        return [compact(value) for value in self.values]

    @property
    def display_change(self) -> str:
        if self.change is None:
            return "–"
        return ("+" if self.change > 0 else "") + number(self.change, 1)

    @property
    def flagged(self) -> bool:
        return self.change is not None and abs(self.change) > 10


def key_figures(org: Organisation, years: int = 3) -> tuple[list[int], list[KeyFigure]]:
    """The last `years` years that have values, and a row per indicator (one query)."""
    latest = (
        StatisticValue.objects.filter(organisation=org)
        .values("organisation")
        .annotate(latest=Max("year"))
        .values("latest")
    )
    values = list(
        StatisticValue.objects.filter(organisation=org, year__gt=Subquery(latest) - years)
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__name", "year")
    )
    if not values:
        return [], []
    last = max(v.year for v in values)
    span = list(range(last - years + 1, last + 1))
    rows: dict[int, KeyFigure] = {}
    for value in values:
        row = rows.setdefault(value.indicator_id, KeyFigure(value.indicator, [None] * len(span), None, []))
        row.values[span.index(value.year)] = value.value
        if value.source and value.source not in row.sources:
            row.sources.append(value.source)
    for row in rows.values():
        previous, last_value = row.values[-2], row.values[-1]
        if previous and last_value is not None:
            row.change = float((last_value - previous) / previous * 100)
    return span, list(rows.values())


def _municipal_statistics() -> QuerySet[StatisticValue]:
    return StatisticValue.objects.filter(organisation__kind=Organisation.Kind.MUNICIPALITY)


def latest_statistics_year(year: int) -> int | None:
    """The latest year up to `year` with key figures of municipalities (the library statistics
    are published the year after), or None (one query)."""
    return _municipal_statistics().filter(year__lte=year).aggregate(latest=Max("year"))["latest"]


def municipal_statistics(year: int, region: Organisation | None = None) -> list[dict]:
    """The municipalities' key figures of `year` (only the region's, if given) per indicator:
    `indicator_id`, `indicator__name`, `indicator__unit`, the number of `organisations` with a
    value and their `average`, `lowest` and `highest` value, in the catalogue's order (one query)."""
    values = _municipal_statistics().filter(year=year)
    if region is not None:
        values = values.filter(organisation__parent=region)
    return list(
        values.values("indicator_id", "indicator__name", "indicator__unit", "indicator__sort_order")
        .annotate(
            organisations=Count("organisation", distinct=True),
            average=Avg("value"),
            lowest=Min("value"),
            highest=Max("value"),
        )
        .order_by("indicator__sort_order", "indicator__name")
    )


def staircase_averages(year: int) -> list[dict]:
    """The development staircase in `year`: per area (`area__name`), the number of
    `organisations` that assessed themselves and their `average` level (one query)."""
    return list(
        StaircaseAssessment.objects.filter(year=year)
        .values("area__name")
        .annotate(organisations=Count("organisation", distinct=True), average=Avg("level"))
        .order_by("area__name")
    )
