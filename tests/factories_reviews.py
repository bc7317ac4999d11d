"""Helpers for review and follow-up tests."""

from plans import reviews
from plans.models import Assessment, Plan
from portal.models import QualityCriterion
from tests.factories_plans import build_plan


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
