"""Reusable querysets for plans: a whole plan tree, the review queue and the region's overview.
Each runs a fixed number of queries however large the data."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from plans.models import FollowUp, Indicator, Plan, PlanFocusArea, Review
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
