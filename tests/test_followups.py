"""Annual follow-ups (plans/followups.py): drafts, submission, acknowledgement, bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans import followups
from plans.models import FollowUp, GoalFollowUp, IndicatorFollowUp, StatusChange
from portal.models import Notification
from tests.factories_plans import adopted_plan

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


@pytest.fixture
def adopted(chef):
    return adopted_plan(
        first_year=THIS_YEAR - 2,
        last_year=THIS_YEAR + 1,
        adopted_on=date(THIS_YEAR - 2, 1, 15),
        by=chef,
        sections=3,
        areas=1,
        goals=2,
        activities=1,
        indicators=1,
    )


def _post_data(plan, *, value="12,5", status="in_progress", narrative="Året gick bra.", submit=False):
    goals, indicators = followups.goals_and_indicators(plan)
    data = {"narrative": narrative, "submit" if submit else "save": "1"}
    for g in goals:
        data[f"goal_{g.pk}_status"] = status
        data[f"goal_{g.pk}_comment"] = "Kommentar"
    for i in indicators:
        data[f"indicator_{i.pk}"] = value
    return data


def test_chef_saves_a_draft_then_submits_with_decimal_commas(
    client, chef, consultant, adopted, django_capture_on_commit_callbacks
):
    client.force_login(chef)
    url = reverse("plans:followup", args=[adopted.pk, LAST_YEAR])
    response = client.post(url, _post_data(adopted, value="", status="", narrative=""))
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(plan=adopted, year=LAST_YEAR)
    assert follow_up.status == FollowUp.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _post_data(adopted, value="12,5", submit=True))
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.SUBMITTED and follow_up.submitted_at
    assert set(IndicatorFollowUp.objects.filter(follow_up=follow_up).values_list("value", flat=True)) == {
        Decimal("12.5")
    }
    assert GoalFollowUp.objects.filter(follow_up=follow_up, status="in_progress").count() == 2
    assert Notification.objects.filter(user=consultant).exists()
    assert mail.outbox[-1].to == [consultant.email]
    assert list(StatusChange.objects.filter(follow_up=follow_up).values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "submitted"),
    ]


def test_non_numeric_indicator_values_get_a_swedish_message_and_nothing_is_saved(client, chef, adopted):
    client.force_login(chef)
    response = client.post(
        reverse("plans:followup", args=[adopted.pk, LAST_YEAR]), _post_data(adopted, value="tolv")
    )
    assert response.status_code == 422
    assert "Ange ett tal, till exempel 12,5." in response.content.decode()
    assert not FollowUp.objects.exists()


def test_submitting_an_incomplete_follow_up_saves_nothing(client, chef, adopted):
    client.force_login(chef)
    response = client.post(
        reverse("plans:followup", args=[adopted.pk, LAST_YEAR]), _post_data(adopted, value="", submit=True)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ange årets värde." in page and "varken skickats in eller sparats" in page
    assert not FollowUp.objects.exists() and not GoalFollowUp.objects.exists()


def test_a_cancelled_goal_needs_no_indicator_value(chef, adopted):
    goals, indicators = followups.goals_and_indicators(adopted)
    data = followups.FollowUpData(
        narrative="Ett mål utgick.",
        goals={g.pk: ("cancelled", "Utgick efter beslut") for g in goals},
        values={},
    )
    follow_up = followups.save(adopted, chef, LAST_YEAR, data, submit=True)
    assert follow_up.status == FollowUp.Status.SUBMITTED


YEAR_MESSAGES = {
    "outside": f"{THIS_YEAR - 3} ligger utanför planens period {THIS_YEAR - 2}–{THIS_YEAR + 1}. "
    "Välj ett år inom perioden.",
    "future": "En uppföljning kan bara lämnas för ett år som har börjat.",
    "too_early": "Året måste vara 2000 eller senare.",
}


@pytest.mark.parametrize(
    ("year", "message"),
    [
        pytest.param(THIS_YEAR - 3, "outside", id="before-the-period"),
        pytest.param(THIS_YEAR + 1, "future", id="next-year-in-the-period"),
        pytest.param(1999, "too_early", id="1999"),
    ],
)
def test_a_year_outside_the_period_or_in_the_future_gets_a_clear_message(
    client, chef, adopted, year, message
):
    client.force_login(chef)
    response = client.post(reverse("plans:followups", args=[adopted.pk]), {"year": year})
    assert response.status_code == 422
    page = response.content.decode()
    shown = {key for key, text in YEAR_MESSAGES.items() if text in page}
    assert shown == {message}
    response = client.post(reverse("plans:followup", args=[adopted.pk, year]), _post_data(adopted))
    assert response.status_code == 302
    assert not FollowUp.objects.exists()


def test_editor_saves_drafts_but_only_the_chef_submits(client, editor, adopted):
    client.force_login(editor)
    url = reverse("plans:followup", args=[adopted.pk, LAST_YEAR])
    assert client.post(url, _post_data(adopted)).status_code == 302
    response = client.post(url, _post_data(adopted, submit=True))
    assert response.status_code == 422
    assert FollowUp.objects.get().status == FollowUp.Status.DRAFT


def test_consultant_acknowledges_once_and_a_second_time_gets_a_message(client, chef, consultant, adopted):
    follow_up = followups.save(adopted, chef, LAST_YEAR, _complete(adopted), submit=True)
    client.force_login(consultant)
    url = reverse("plans:followup_acknowledge", args=[adopted.pk, LAST_YEAR])
    client.post(url, {"note": "Tack!"})
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.ACKNOWLEDGED and follow_up.acknowledged_by == consultant
    response = client.post(url, follow=True)
    assert "Uppföljningen är redan kvitterad." in response.content.decode()
    assert StatusChange.objects.filter(follow_up=follow_up, to_status="acknowledged").count() == 1
    with pytest.raises(followups.TransitionError):
        followups.acknowledge(follow_up, consultant)


def test_completion_request_reopens_the_follow_up_for_the_chef(client, chef, consultant, adopted):
    followups.save(adopted, chef, LAST_YEAR, _complete(adopted), submit=True)
    client.force_login(consultant)
    client.post(
        reverse("plans:followup_completion", args=[adopted.pk, LAST_YEAR]), {"note": "Fler nyckeltal."}
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUp.Status.COMPLETION and follow_up.reviewer_note == "Fler nyckeltal."
    assert Notification.objects.filter(user=chef, text__contains="Komplettera").exists()
    followups.save(adopted, chef, LAST_YEAR, _complete(adopted), submit=True)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.SUBMITTED


def test_a_submitted_follow_up_cannot_be_changed(client, chef, adopted):
    followups.save(adopted, chef, LAST_YEAR, _complete(adopted), submit=True)
    client.force_login(chef)
    response = client.post(
        reverse("plans:followup", args=[adopted.pk, LAST_YEAR]), _post_data(adopted, narrative="Ändrad")
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().narrative == "Ett bra år."


def test_dashboard_reminds_the_chef_of_last_years_follow_up(client, chef, adopted):
    client.force_login(chef)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"Uppföljning {LAST_YEAR} av ”{adopted.title}”" in page
    followups.save(adopted, chef, LAST_YEAR, _complete(adopted), submit=True)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"Uppföljning {LAST_YEAR} av ”{adopted.title}”" not in page


def _complete(plan):
    goals, indicators = followups.goals_and_indicators(plan)
    return followups.FollowUpData(
        narrative="Ett bra år.",
        goals={g.pk: ("achieved", "") for g in goals},
        values={i.pk: Decimal("3") for i in indicators},
    )
