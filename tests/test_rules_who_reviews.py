"""Who reviews whom, answered once (`Organisation.reviewer_role`, `portal.rules.reviews_plans_of_org`)
and asked by the rules, the notifications and the review records alike."""

import pytest

from plans.models import Plan, Review
from plans.queries import review_queue
from portal.models import Role
from portal.notifications import owners_of, reviewers_of
from portal.rules import answers_for, can, reviews_plans_of_org
from tests.factories import MembershipFactory, member, organisation
from tests.factories_reviews import submitted_plan

pytestmark = pytest.mark.django_db

# persona -> (reviews Kalmar's plans, reviews Region Kalmar län's plans)
EXPECTED = {
    "chef": (False, False),
    "editor": (False, False),
    "consultant": (True, False),
    "other_chef": (False, False),
    "other_consultant": (False, False),
    "kb": (False, True),
    "admin": (True, True),
    "no_role": (False, False),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_who_reviews_a_municipality_and_a_region(persona, name):
    user = persona(name)
    municipal, regional = EXPECTED[name]
    assert reviews_plans_of_org(user, organisation("0880")) is municipal
    assert reviews_plans_of_org(user, organisation("08")) is regional
    assert reviews_plans_of_org(user, organisation("KB")) is False


def test_a_consultant_who_edits_in_another_region_does_not_review_there(chef):
    """A consultant of Värmland who is also an editor in Kalmar municipality reviews Värmland's
    municipalities, never Kalmar's (its region is Kalmar län)."""
    user = member(Role.CONSULTANT, "17")
    MembershipFactory(user=user, organisation=organisation("0880"), role=Role.EDITOR)
    assert reviews_plans_of_org(user, organisation("1780"))
    assert not reviews_plans_of_org(user, organisation("0880"))
    plan = submitted_plan(chef)
    assert not can(user, "plans.review_plan", plan)
    assert can(user, "plans.view_plan", plan)  # as an editor of Kalmar, yes


def test_the_review_queue_lists_what_the_person_reviews(persona, chef, other_chef):
    """The queue (a queryset) and the rule agree for every persona and for a consultant of
    Värmland who is also an editor in Kalmar: Karlstad's plan, never Kalmar's."""
    submitted_plan(chef)
    submitted_plan(other_chef, organisation=organisation("1780"))
    submitted_plan(member(Role.CONSULTANT, "08"), organisation=organisation("08"), kind=Plan.Kind.REGIONAL)
    two_regions = member(Role.CONSULTANT, "17")
    MembershipFactory(user=two_regions, organisation=organisation("0880"), role=Role.EDITOR)
    for user in [*(persona(name) for name in EXPECTED), two_regions]:
        queued = {review.plan.organisation.code for review in review_queue(user)}
        reviewed = {
            review.plan.organisation.code
            for review in Review.objects.filter(state=Review.State.OPEN).select_related("plan__organisation")
            if reviews_plans_of_org(user, review.plan.organisation)
        }
        assert queued == reviewed, user
    assert {review.plan.organisation.code for review in review_queue(two_regions)} == {"1780"}


def test_reviewing_organisation_and_roles_follow_the_kind():
    kalmar, region, kb = organisation("0880"), organisation("08"), organisation("KB")
    assert (kalmar.reviewing_organisation(), kalmar.reviewer_role, kalmar.owner_role) == (
        region,
        Role.CONSULTANT,
        Role.CHEF,
    )
    assert (region.reviewing_organisation(), region.reviewer_role, region.owner_role) == (
        kb,
        Role.KB,
        Role.CONSULTANT,
    )
    assert (kb.reviewing_organisation(), kb.reviewer_role) == (None, None)


def test_notifications_reach_the_reviewers_and_the_owners(chef, editor, consultant, other_consultant, kb):
    assert reviewers_of(organisation("0880")) == [consultant]
    assert reviewers_of(organisation("08")) == [kb]
    assert owners_of(organisation("0880")) == [chef]
    assert owners_of(organisation("08")) == [consultant]


def test_only_the_owner_role_answers_for_plans(chef, editor, consultant, admin):
    kalmar, region = organisation("0880"), organisation("08")
    assert answers_for(chef, kalmar) and not answers_for(editor, kalmar)
    assert answers_for(consultant, region) and not answers_for(consultant, kalmar)
    assert answers_for(admin, kalmar)
    regional = Plan(organisation=region, status=Plan.Status.DRAFT)
    assert can(consultant, "plans.adopt_plan", regional)
