"""Helpers for review and follow-up tests."""

import factory

from plans import reviews
from plans.models import Assessment, FollowUp, Plan, Review
from portal.models import QualityCriterion
from tests.factories_plans import PlanFactory, adopted_plan, build_plan


def submitted_plan(user, **kwargs) -> Plan:
    plan = build_plan(areas=1, goals=1, activities=1, indicators=1, **kwargs)
    reviews.submit(plan, user)
    plan.refresh_from_db()
    return plan


def assess_all(review, rating=Assessment.Rating.MET, comment="Bra"):
    for criterion in QualityCriterion.objects.filter(is_active=True):
        Assessment.objects.update_or_create(
            review=review, criterion=criterion, defaults={"rating": rating, "comment": comment}
        )


def reviewed_plan(chef, consultant, **kwargs) -> Plan:
    plan = submitted_plan(chef, **kwargs)
    review = plan.reviews.get()
    assess_all(review)
    reviews.close_review(review, consultant, outcome="minor", summary="Bra plan, några förbättringar.")
    plan.refresh_from_db()
    return plan


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review round given by the plan's region (closed with feedback unless told otherwise)."""

    class Meta:
        model = Review

    plan = factory.SubFactory(PlanFactory)
    round = 1
    reviewing_organisation = factory.LazyAttribute(lambda o: o.plan.organisation.parent)
    version_number = 1
    state = Review.State.CLOSED
    outcome = Review.Outcome.MINOR
    summary = "Bra plan."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    plan = factory.LazyFunction(lambda: adopted_plan(first_year=2026, last_year=2029))
    year = 2026
    status = FollowUp.Status.DRAFT
