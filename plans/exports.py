"""Plan overview and follow-up downloads of the plan list (CSV and XLSX).

The views hand in the plan list's own queryset (plans.plan_views.listed_plans); the querysets here
only add what the columns need, in a fixed number of queries however many rows there are.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from plans.models import FollowUp, GoalFollowUp, Plan, Review, StatusChange
from portal.exports import ExportResource, iso_date, local_datetime, number_field
from portal.rules import can


def plan_rows(plans: QuerySet[Plan], user) -> list[Plan]:
    """The listed plans with their latest review round (one query). The review column is
    filled only where the person may see the plan's reviews."""
    latest = Review.objects.filter(plan=OuterRef("pk")).order_by("-round")
    rows = list(
        plans.annotate(
            latest_review_state=Subquery(latest.values("state")[:1]),
            latest_review_outcome=Subquery(latest.values("outcome")[:1]),
        )
    )
    for plan in rows:
        plan.show_review = can(user, "plans.view_reviews", plan)
    return rows


class PlanResource(ExportResource):
    code = Field(attribute="organisation__code", column_name=gettext_lazy("Organisation code"))
    organisation = Field(attribute="organisation__name", column_name=gettext_lazy("Organisation"))
    region = Field(column_name=gettext_lazy("Region"))
    kind = Field(attribute="get_kind_display", column_name=gettext_lazy("Kind of plan"))
    title = Field(attribute="title", column_name=gettext_lazy("Title"))
    first_year = number_field("first_year", gettext_lazy("First year"))
    last_year = number_field("last_year", gettext_lazy("Last year"))
    status = Field(attribute="get_status_display", column_name=gettext_lazy("Status"))
    adopted_on = Field(column_name=gettext_lazy("Adoption date"))
    adopted_by_body = Field(attribute="adopted_by_body", column_name=gettext_lazy("Adopting body"))
    validity = Field(column_name=gettext_lazy("In force"))
    latest_review = Field(column_name=gettext_lazy("Latest review"))

    def dehydrate_region(self, plan: Plan):
        region = plan.organisation if plan.organisation.is_region else plan.organisation.parent
        return region.name if region else ""

    def dehydrate_adopted_on(self, plan: Plan):
        return iso_date(plan.adopted_on)

    def dehydrate_validity(self, plan: Plan):
        validity = plan.validity()
        return str(validity.label) if validity else ""

    def dehydrate_latest_review(self, plan: Plan):
        if not plan.show_review or not plan.latest_review_state:
            return ""
        text = str(Review.State(plan.latest_review_state).label)
        if plan.latest_review_outcome:
            text += f": {Review.Outcome(plan.latest_review_outcome).label}"
        return text


def followup_rows(plans: QuerySet[Plan], user) -> list[FollowUp]:
    """The follow-ups of the listed plans that the person may read (one query): goal counts by
    status and who submitted it are annotated."""
    submitter = (
        StatusChange.objects.filter(follow_up=OuterRef("pk"), to_status=FollowUp.Status.SUBMITTED)
        .order_by("-at", "-pk")
        .annotate(name=Concat("by__first_name", Value(" "), "by__last_name"))
        .values("name")[:1]
    )
    goal_counts = {
        f"goals_{status}": Count("goals", filter=Q(goals__status=status))
        for status in GoalFollowUp.Status.values
    }
    rows = (
        FollowUp.objects.filter(plan__in=plans.values("pk"))
        .select_related("plan", "plan__organisation", "plan__organisation__parent", "acknowledged_by")
        .annotate(submitted_by_name=Subquery(submitter), **goal_counts)
        .order_by("plan__organisation__name", "plan__title", "-year")
    )
    return [f for f in rows if can(user, "plans.view_followup", f)]


class FollowUpResource(ExportResource):
    """Rows come from `followup_rows`; the goal counts by status follow the declared columns."""

    code = Field(attribute="plan__organisation__code", column_name=gettext_lazy("Organisation code"))
    organisation = Field(attribute="plan__organisation__name", column_name=gettext_lazy("Organisation"))
    plan = Field(attribute="plan__title", column_name=gettext_lazy("Plan"))
    year = number_field("year", gettext_lazy("Year"))
    status = Field(attribute="get_status_display", column_name=gettext_lazy("Status"))
    submitted_at = Field(column_name=gettext_lazy("Submitted"))
    submitted_by = Field(column_name=gettext_lazy("Submitted by"))
    acknowledged_at = Field(column_name=gettext_lazy("Acknowledged"))
    acknowledged_by = Field(attribute="acknowledged_by", column_name=gettext_lazy("Acknowledged by"))

    def get_export_headers(self, selected_fields=None):
        goal_headers = [_("Goals: %(status)s") % {"status": label} for label in GoalFollowUp.Status.labels]
        return super().get_export_headers(selected_fields) + goal_headers

    def export_resource(self, instance, selected_fields=None, **kwargs):
        counts = [getattr(instance, f"goals_{status}") for status in GoalFollowUp.Status.values]
        return super().export_resource(instance, selected_fields, **kwargs) + counts

    def dehydrate_submitted_at(self, follow_up: FollowUp):
        return local_datetime(follow_up.submitted_at)

    def dehydrate_submitted_by(self, follow_up: FollowUp):
        return (follow_up.submitted_by_name or "").strip()

    def dehydrate_acknowledged_at(self, follow_up: FollowUp):
        return local_datetime(follow_up.acknowledged_at)
