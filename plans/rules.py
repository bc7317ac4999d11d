"""Who may do what with library plans, their reviews and follow-ups (django-rules, loaded by
autodiscovery). Built from the core predicates in `portal.rules`; states are compared with the
models' `TextChoices`. `Plan.objects.visible_to` is the queryset twin of `plans.view_plan`."""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from plans.models import FollowUp, Plan, Review
from portal.models import Organisation
from portal.rules import (
    answers_for,
    can_create_plan_for,
    grants,
    has_review_duties,
    is_admin,
    is_consultant_for,
    is_consultant_of_region,
    is_kb,
    is_member_of,
    plan_organisations,
    reviews_plans_of_org,
)

# Review comments are taken while the review is open or its feedback is being worked on.
COMMENTABLE_PLAN_STATUSES = (
    Plan.Status.IN_REVIEW,
    Plan.Status.REVIEWED,
    Plan.Status.REVISED,
    Plan.Status.DRAFT,
)


@rules.predicate
def plan_is_adopted(user, plan) -> bool:
    return plan is not None and plan.is_adopted


@rules.predicate
def plan_is_editable(user, plan) -> bool:
    return plan is not None and plan.is_editable


@rules.predicate
def writes_plans_of(user, plan) -> bool:
    return plan is not None and can_create_plan_for(user, plan.organisation)


@rules.predicate
def reads_plans_of(user, plan) -> bool:
    """Members of the owning organisation, the region's consultants, KB and admins."""
    return plan is not None and (
        is_admin(user)
        or is_kb(user)
        or is_member_of(user, plan.organisation)
        or is_consultant_for(user, plan.organisation)
    )


@rules.predicate
def adopts_plans_of(user, plan) -> bool:
    """Chefs record their municipality's decisions, consultants their region's; admins any."""
    return plan is not None and answers_for(user, plan.organisation)


@rules.predicate
def reviews_plans_of(user, plan) -> bool:
    return plan is not None and reviews_plans_of_org(user, plan.organisation)


@rules.predicate
def plan_can_be_submitted(user, plan) -> bool:
    return plan is not None and plan.status in (Plan.Status.DRAFT, Plan.Status.REVISED)


@rules.predicate
def plan_is_in_review(user, plan) -> bool:
    return plan is not None and plan.status == Plan.Status.IN_REVIEW


@rules.predicate
def review_is_open(user, review) -> bool:
    return review is not None and review.is_open


@rules.predicate
def reviews_the_plan_of(user, review) -> bool:
    return review is not None and reviews_plans_of(user, review.plan)


@rules.predicate
def writes_the_plan_of(user, review) -> bool:
    return review is not None and writes_plans_of(user, review.plan)


@rules.predicate
def review_takes_comments(user, review) -> bool:
    """Comments and answers while the review is open or its feedback is being worked on."""
    return (
        review is not None
        and review.state != Review.State.WITHDRAWN
        and review.plan.status in COMMENTABLE_PLAN_STATUSES
    )


@rules.predicate
def followup_is_editable(user, follow_up) -> bool:
    return follow_up is not None and follow_up.is_editable


@rules.predicate
def followup_is_submitted(user, follow_up) -> bool:
    return follow_up is not None and follow_up.status == FollowUp.Status.SUBMITTED


@rules.predicate
def writes_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and writes_plans_of(user, follow_up.plan)


@rules.predicate
def adopts_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and adopts_plans_of(user, follow_up.plan)


@rules.predicate
def reviews_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and reviews_plans_of(user, follow_up.plan)


@rules.predicate
def reads_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and reads_plans_of(user, follow_up.plan)


def creatable_organisations(user) -> QuerySet[Organisation]:
    """The organisations this user may start a plan for (the scope of the new-plan form): their
    own (chefs and editors their municipality, consultants their region); an operator without
    such a membership any municipality or region."""
    own = plan_organisations(user)
    if not own and is_admin(user):
        return Organisation.objects.exclude(kind=Organisation.Kind.NATIONAL)
    return Organisation.objects.filter(pk__in=own)


@rules.predicate
def writes_any_plans(user) -> bool:
    return bool(plan_organisations(user))


@rules.predicate
def has_any_membership(user) -> bool:
    return bool(grants(user))


# Library plans. Adopted plans are public; drafts only for those who work with them.
rules.add_perm("plans.add_plan", is_admin | writes_any_plans)
rules.add_perm("plans.view_plan", plan_is_adopted | reads_plans_of)
rules.add_perm("plans.view_plan_internals", reads_plans_of)  # history, drafts' attachments
rules.add_perm("plans.edit_plan", plan_is_editable & writes_plans_of)
rules.add_perm("plans.adopt_plan", ~plan_is_adopted & adopts_plans_of)
rules.add_perm("plans.copy_plan", plan_is_adopted & writes_plans_of)
rules.add_perm("plans.restore_version", plan_is_editable & writes_plans_of)

# Submit a draft or revised plan for review (the plan's chef; for regional plans a consultant).
rules.add_perm("plans.submit_plan", plan_can_be_submitted & adopts_plans_of)
rules.add_perm("plans.withdraw_plan", plan_is_in_review & adopts_plans_of)
# Review: assess criteria, comment, close. Only while the plan is in review.
rules.add_perm("plans.review_plan", plan_is_in_review & reviews_plans_of)
rules.add_perm("plans.view_reviews", reads_plans_of)
rules.add_perm("plans.assess", review_is_open & reviews_the_plan_of)
rules.add_perm("plans.comment", review_takes_comments & (reviews_the_plan_of | writes_the_plan_of))
rules.add_perm("plans.start_thread", review_is_open & reviews_the_plan_of)
# Follow-ups of adopted plans.
rules.add_perm("plans.view_followups", reads_plans_of)
# Follow-ups are internal work: their export is for people with a membership (each row is
# still checked with plans.view_followup).
rules.add_perm("plans.export_followups", is_admin | has_any_membership)
rules.add_perm("plans.start_followup", plan_is_adopted & writes_plans_of)
rules.add_perm("plans.view_followup", reads_plan_of_followup)
rules.add_perm("plans.edit_followup", followup_is_editable & writes_plan_of_followup)
rules.add_perm("plans.submit_followup", followup_is_editable & adopts_plan_of_followup)
rules.add_perm("plans.acknowledge_followup", followup_is_submitted & reviews_plan_of_followup)
# The review queue and the region's overview.
rules.add_perm("plans.use_review_queue", is_admin | is_kb | has_review_duties)
rules.add_perm("plans.view_region_overview", is_admin | is_kb | is_consultant_of_region)
