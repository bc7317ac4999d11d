import pytest
from django.core.management import call_command

from plans.models import FollowUp, Plan, Review
from portal.models import StaircaseAssessment

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_reviews_in_every_state_follow_ups_for_two_years_and_staircase_levels():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert set(Review.objects.values_list("state", flat=True)) == {"open", "closed", "withdrawn"}
    assert set(Plan.objects.values_list("status", flat=True)) >= {"draft", "in_review", "reviewed", "adopted"}
    assert Review.objects.filter(round=2, state="open").exists()
    assert len(set(FollowUp.objects.values_list("year", flat=True))) == 2
    assert set(FollowUp.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "completion",
        "acknowledged",
    }
    assert StaircaseAssessment.objects.values("year").distinct().count() == 2
    counts = (Review.objects.count(), FollowUp.objects.count(), StaircaseAssessment.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Review.objects.count(), FollowUp.objects.count(), StaircaseAssessment.objects.count()) == counts
