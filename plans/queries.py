"""Reusable querysets for plans: a whole plan tree, the review queue, the region's overview and
the figures the reports count (the plans register, reviews, follow-ups, goals and activities).
Each runs a fixed number of queries however large the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from plans.models import (
    CURRENT,
    Activity,
    Assessment,
    FollowUp,
    Goal,
    GoalFollowUp,
    Indicator,
    IndicatorFollowUp,
    Plan,
    PlanFocusArea,
    Review,
    validity_of,
)
from portal.models import Organisation
from portal.rules import consultant_region_ids, is_admin, is_kb


def review_queue(user):
    """Open review rounds the user may take, oldest first (one query)."""
    qs = Review.objects.filter(state=Review.State.OPEN).select_related(
        "plan", "plan__organisation", "plan__organisation__parent", "reviewer", "submitted_by"
    )
    if not is_admin(user):
        scope = Q(plan__organisation__parent_id__in=consultant_region_ids(user))
        if is_kb(user):
            scope |= Q(plan__organisation__kind=Organisation.Kind.REGION)
        qs = qs.filter(scope)
    return qs.order_by("submitted_at", "pk")


def region_overview(region: Organisation, year: int) -> list[Organisation]:
    """Every municipality of the region with its plan in force (or latest adopted), the plan
    being prepared, the last feedback given and the follow-up for `year`. Four queries."""
    municipalities = list(Organisation.objects.filter(parent=region).order_by("name"))
    plans = list(
        Plan.objects.filter(organisation__parent=region, kind=Plan.Kind.MUNICIPAL).order_by(
            "organisation_id", "-last_year", "-pk"
        )
    )
    reviews = list(
        Review.objects.filter(plan__organisation__parent=region, state=Review.State.CLOSED)
        .select_related("plan")
        .order_by("closed_at")
    )
    follow_ups = list(
        FollowUp.objects.filter(plan__organisation__parent=region, year=year).select_related("plan")
    )
    by_org: dict[int, list[Plan]] = {}
    for plan in plans:
        by_org.setdefault(plan.organisation_id, []).append(plan)
    last_review = {r.plan.organisation_id: r for r in reviews}
    follow_up_of = {f.plan_id: f for f in follow_ups}
    for m in municipalities:
        own = by_org.get(m.pk, [])
        adopted = [p for p in own if p.is_adopted]
        m.adopted_plan = next((p for p in adopted if p.is_in_force), adopted[0] if adopted else None)
        m.working_plan = next((p for p in own if not p.is_adopted), None)
        m.last_review = last_review.get(m.pk)
        m.follow_up = follow_up_of.get(m.adopted_plan.pk) if m.adopted_plan else None
        m.follow_up_expected = bool(
            m.adopted_plan and m.adopted_plan.first_year <= year <= m.adopted_plan.last_year
        )
    return municipalities


def plan_tree(plan_id: int) -> Plan:
    """The plan with everything below it, in a fixed number of queries (7)."""
    return (
        Plan.objects.select_related("organisation", "organisation__parent", "adopted_document")
        .prefetch_related(
            "sections",
            Prefetch(
                "focus_areas",
                queryset=PlanFocusArea.objects.select_related("national").prefetch_related(
                    "goals__activities",
                    Prefetch("goals__indicators", queryset=Indicator.objects.prefetch_related("values")),
                ),
            ),
        )
        .get(pk=plan_id)
    )


# --- the plans register, as the reports count it -------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A plan as a light row: what KB's rule needs, and its title."""

    id: int
    organisation_id: int
    kind: str
    title: str
    first_year: int
    last_year: int
    status: str
    adopted_on: date | None

    def validity(self, year: int) -> Plan.Validity | None:
        return validity_of(self.first_year, self.last_year, self.status, year, self.adopted_on)

    def is_current(self, year: int) -> bool:
        return self.validity(year) in CURRENT

    @property
    def years(self) -> str:
        """The period as "2023–2026", also for a plan of one year."""
        return f"{self.first_year}–{self.last_year}"


_PLAN_ROW_FIELDS = (
    "id",
    "organisation_id",
    "kind",
    "title",
    "first_year",
    "last_year",
    "status",
    "adopted_on",
)


def plan_rows(plans: QuerySet[Plan]) -> list[PlanRow]:
    """The plans as `PlanRow`s, in the queryset's order (one query)."""
    return [PlanRow(*values) for values in plans.values_list(*_PLAN_ROW_FIELDS)]


def latest_plans(plans: QuerySet[Plan]) -> dict[tuple[int, str], PlanRow]:
    """Each organisation's latest plan of each kind, whatever its status: the one with the latest
    last year, then first year, then the newest (one query)."""
    return {
        (row.organisation_id, row.kind): row  # the last one wins
        for row in plan_rows(plans.order_by("last_year", "first_year", "pk"))
    }


def municipal_plans_in(region: Organisation) -> QuerySet[Plan]:
    """The municipal plans of the region's municipalities, of any status."""
    return Plan.objects.filter(organisation__parent=region, kind=Plan.Kind.MUNICIPAL)


def preparing_a_plan(region: Organisation) -> set[int]:
    """The region's municipalities with a plan that is not adopted (being written or reviewed)."""
    return set(
        Plan.objects.filter(organisation__parent=region)
        .exclude(status=Plan.Status.ADOPTED)
        .values_list("organisation_id", flat=True)
    )


def region_plans_in_force(region: Organisation, year: int) -> QuerySet[Plan]:
    """The region's own plans in force in `year`: its regional library plan and activity plans."""
    return Plan.objects.in_force(year).filter(
        organisation=region, kind__in=[Plan.Kind.REGIONAL, Plan.Kind.ACTIVITY]
    )


def focus_area_coverage(plan_ids) -> dict[int, int]:
    """How many of the plans name each national focus area, by focus area (one query)."""
    return dict(
        PlanFocusArea.objects.filter(plan_id__in=plan_ids)
        .values("national_id")
        .annotate(plans=Count("plan", distinct=True))
        .values_list("national_id", "plans")
    )


# --- reviews ---------------------------------------------------------------------------------


def reviewed_plan_ids(plan_ids) -> set[int]:
    """Those of the plans with a review round that was closed with feedback (one query)."""
    return set(
        Review.objects.filter(plan_id__in=plan_ids, state=Review.State.CLOSED).values_list(
            "plan_id", flat=True
        )
    )


def ratings_by_criterion(plan_ids) -> dict[str, dict[str, int]]:
    """How the plans meet each quality criterion, from each plan's latest closed review: the
    number of each rating, by criterion name (two queries)."""
    latest: dict[int, tuple[int, int]] = {}
    for review_id, plan_id, round_ in Review.objects.filter(
        plan_id__in=plan_ids, state=Review.State.CLOSED
    ).values_list("pk", "plan_id", "round"):
        if plan_id not in latest or round_ > latest[plan_id][1]:
            latest[plan_id] = (review_id, round_)
    ratings: dict[str, dict[str, int]] = {}
    for name, rating in Assessment.objects.filter(
        review_id__in=[review_id for review_id, _round in latest.values()]
    ).values_list("criterion__name", "rating"):
        ratings.setdefault(name, {}).setdefault(rating, 0)
        ratings[name][rating] += 1
    return ratings


def reviews_closed_by(organisation: Organisation, start: datetime, end: datetime) -> list[dict]:
    """The review rounds the organisation closed with feedback in [start, end), in that order:
    the plan, its organisation, the round, the outcome and the reviewer's name (one query)."""
    return list(
        Review.objects.filter(
            reviewing_organisation=organisation,
            state=Review.State.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .order_by("closed_at", "pk")
        .values(
            "plan__organisation__name",
            "plan__title",
            "round",
            "outcome",
            "closed_at",
            "reviewer__first_name",
            "reviewer__last_name",
            "reviewer__email",
        )
    )


def reviews_awaiting(organisation: Organisation, at: datetime) -> int:
    """How many plans submitted to the organisation were awaiting its review at `at` (one query)."""
    return (
        Review.objects.filter(reviewing_organisation=organisation, submitted_at__lt=at)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=at))
        .count()
    )


# --- follow-ups, goals and activities ----------------------------------------------------------


def follow_up_statuses(plans: QuerySet[Plan], year: int) -> dict[int, str]:
    """The status of each plan's follow-up of `year`, by plan (one query)."""
    return dict(FollowUp.objects.filter(plan__in=plans, year=year).values_list("plan_id", "status"))


def goal_follow_ups(plans: QuerySet[Plan], year: int) -> dict[int, dict]:
    """The status and comment given to each goal of the plans in the follow-up of `year`, by
    goal (one query)."""
    return {
        row["goal_id"]: row
        for row in GoalFollowUp.objects.filter(follow_up__plan__in=plans, follow_up__year=year).values(
            "goal_id", "status", "comment"
        )
    }


def goals_of(plans: QuerySet[Plan]) -> list[dict]:
    """The goals of the plans in the plans' order of focus areas and goals, with the focus area's
    name and the plan (one query)."""
    return list(
        Goal.objects.filter(focus_area__plan__in=plans)
        .order_by("focus_area__position", "focus_area_id", "position", "pk")
        .values("id", "title", "focus_area__name", "focus_area__plan_id")
    )


def activities_of(plans: QuerySet[Plan]) -> list[dict]:
    """The activities of the plans in the plans' order of focus areas, goals and activities,
    with the goal's title and the plan (one query)."""
    return list(
        Activity.objects.filter(goal__focus_area__plan__in=plans)
        .order_by(
            "goal__focus_area__position",
            "goal__focus_area_id",
            "goal__position",
            "goal_id",
            "position",
            "pk",
        )
        .values("what", "responsible", "status", "goal__title", "goal__focus_area__plan_id")
    )


def reported_indicator_values(plan_ids, year: int) -> list[tuple]:
    """The indicator values reported in the plans' follow-ups of `year`, each with its
    indicator's baseline value, target value and direction (one query)."""
    return list(
        IndicatorFollowUp.objects.filter(
            follow_up__year=year, value__isnull=False, follow_up__plan_id__in=plan_ids
        ).values_list("value", "indicator__baseline_value", "indicator__target_value", "indicator__direction")
    )
