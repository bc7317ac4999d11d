"""Plan status changes go through `plans.transitions`, whose table lists every valid next
state. A step that is not in the table is refused and leaves no trace."""

import itertools
from datetime import date

import pytest

from plans import reviews, services, transitions
from plans.models import FollowUp, Plan, StatusChange
from tests.factories_plans import build_plan
from tests.factories_reviews import reviewed_plan, submitted_plan

pytestmark = pytest.mark.django_db

S = Plan.Status
VALID = {
    (S.DRAFT, S.IN_REVIEW),
    (S.DRAFT, S.ADOPTED),
    (S.IN_REVIEW, S.REVIEWED),
    (S.IN_REVIEW, S.DRAFT),
    (S.IN_REVIEW, S.REVISED),
    (S.IN_REVIEW, S.ADOPTED),
    (S.REVIEWED, S.REVISED),
    (S.REVIEWED, S.ADOPTED),
    (S.REVISED, S.IN_REVIEW),
    (S.REVISED, S.ADOPTED),
}


def test_the_table_is_the_documented_workflow():
    table = {(a, b) for a, nexts in transitions.PLAN_TRANSITIONS.items() for b in nexts}
    assert table == VALID
    assert set(transitions.PLAN_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(("from_status", "to_status"), sorted(itertools.product(S.values, S.values)))
def test_set_status_follows_the_table(chef, from_status, to_status):
    plan = build_plan(areas=0, sections=1)
    Plan.objects.filter(pk=plan.pk).update(status=from_status)
    plan.refresh_from_db()
    if (from_status, to_status) in VALID:
        transitions.set_status(plan, chef, to_status)
        plan.refresh_from_db()
        assert plan.status == to_status
        change = StatusChange.objects.get(plan=plan)
        assert (change.from_status, change.to_status, change.by) == (from_status, to_status, chef)
    else:
        with pytest.raises(transitions.TransitionError):
            transitions.set_status(plan, chef, to_status)
        plan.refresh_from_db()
        assert plan.status == from_status
        assert not StatusChange.objects.filter(plan=plan).exists()


def test_an_adopted_plan_cannot_be_adopted_again(chef):
    plan = build_plan(areas=0, status=S.ADOPTED)
    with pytest.raises(transitions.TransitionError):
        transitions.adopt(plan, chef, adopted_on=date(2026, 3, 1))
    assert not StatusChange.objects.filter(plan=plan).exists()


def test_withdrawing_after_feedback_returns_to_revised_not_draft(chef, consultant):
    plan = reviewed_plan(chef, consultant)
    services.save_plan_details(
        plan, chef, version=plan.version, title="Reviderad plan", first_year=plan.first_year, last_year=2029
    )
    plan.refresh_from_db()
    assert plan.status == S.REVISED
    reviews.submit(plan, chef)
    reviews.withdraw(plan, chef)
    plan.refresh_from_db()
    assert plan.status == S.REVISED
    assert plan.status_changes.last().from_status == S.IN_REVIEW


def test_adoption_goes_through_the_table_and_ends_the_open_round(chef):
    plan = submitted_plan(chef)
    services.record_adoption(plan, chef, adopted_on=date(2026, 3, 1), adopted_by_body="Kommunfullmäktige")
    plan.refresh_from_db()
    last = plan.status_changes.last()
    assert (last.from_status, last.to_status) == (S.IN_REVIEW, S.ADOPTED)
    assert plan.adopted_by_body == "Kommunfullmäktige"


def test_follow_up_steps_follow_their_table(chef):
    plan = build_plan(areas=0, status=S.ADOPTED)
    follow_up = FollowUp.objects.create(plan=plan, year=2026)
    transitions.record_status_change(plan, chef, "", FollowUp.Status.DRAFT, follow_up=follow_up)
    with pytest.raises(transitions.TransitionError):
        transitions.record_status_change(
            plan, chef, FollowUp.Status.DRAFT, FollowUp.Status.ACKNOWLEDGED, follow_up=follow_up
        )
    assert StatusChange.objects.filter(follow_up=follow_up).count() == 1
