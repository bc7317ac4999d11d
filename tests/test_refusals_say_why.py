"""Every refusal says why, in Swedish, on the page the person sees (issue 14, item 13): no 4xx
answer whose form is not shown, no empty POST that shows the form again without a message."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import followups, reviews
from plans.models import FollowUp, Plan
from portal.models import Invitation, QualityCriterion
from tests.factories import InvitationFactory
from tests.factories_plans import PlanFactory, SectionFactory, adopted_plan, build_plan
from tests.factories_reviews import assess_all, submitted_plan
from tests.plan_forms import post_section

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
REQUIRED = "Detta fält måste fyllas i."


# --- reviews ----------------------------------------------------------------------------------


@pytest.fixture
def closed_review(chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    assess_all(review)
    reviews.close_review(review, consultant, outcome="minor", summary="Bra plan.")
    return plan, review


@pytest.mark.parametrize("data", [{"outcome": "ready", "summary": "En gång till."}, {}])
def test_a_second_close_of_a_review_says_it_is_already_closed(client, consultant, closed_review, data):
    plan, review = closed_review
    client.force_login(consultant)
    response = client.post(reverse("plans:review_close", args=[plan.pk, review.pk]), data)
    assert response.status_code == 409
    assert "Granskningen är redan avslutad." in response.content.decode()
    review.refresh_from_db()
    assert review.summary == "Bra plan."


def test_assessing_a_closed_review_says_it_is_already_closed(client, consultant, closed_review):
    plan, review = closed_review
    criterion = QualityCriterion.objects.filter(is_active=True).first()
    client.force_login(consultant)
    response = client.post(
        reverse("plans:assess", args=[plan.pk, review.pk]), {f"rating_{criterion.pk}": "nonsense"}
    )
    assert response.status_code == 409
    assert "Granskningen är redan avslutad." in response.content.decode()


def test_closing_a_withdrawn_review_says_it_was_withdrawn(client, chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    reviews.withdraw(plan, chef)
    client.force_login(consultant)
    response = client.post(
        reverse("plans:review_close", args=[plan.pk, review.pk]), {"outcome": "ready", "summary": "Klart."}
    )
    assert response.status_code == 409
    assert "Granskningen har dragits tillbaka" in response.content.decode()


# --- adoption and other forms posted empty ----------------------------------------------------


def test_an_empty_post_to_the_adoption_form_says_what_is_missing(client, chef):
    plan = build_plan()
    client.force_login(chef)
    response = client.post(reverse("plans:adopt", args=[plan.pk]), {})
    assert response.status_code == 422
    page = response.content.decode()
    assert "error-summary" in page and REQUIRED in page
    assert "Beslutsdatum" in page and "Beslutande organ" in page
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_an_empty_post_to_the_new_plan_form_says_what_is_missing(client, chef):
    client.force_login(chef)
    response = client.post(reverse("plans:create"), {})
    page = response.content.decode()
    assert "error-summary" in page and REQUIRED in page
    assert not Plan.objects.exists()


def test_an_empty_post_to_the_invitation_form_says_what_is_missing(client, chef):
    client.force_login(chef)
    response = client.post(reverse("invite", args=["0880"]), {})
    page = response.content.decode()
    assert "error-summary" in page and REQUIRED in page
    assert not Invitation.objects.exists()


def test_an_empty_post_to_the_account_form_of_an_invitation_says_what_is_missing(client):
    invitation = InvitationFactory(first_name="", last_name="")
    response = client.post(reverse("invitation_accept", args=[invitation.token]), {})
    page = response.content.decode()
    assert "error-summary" in page and REQUIRED in page
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_empty_post_to_the_import_upload_says_a_file_is_needed(client, kb):
    client.force_login(kb)
    response = client.post(reverse("imports:upload", args=["statistik"]), {})
    assert response.status_code == 422
    page = response.content.decode()
    assert "error-summary" in page and "Välj en fil att importera." in page


# --- plan editing -----------------------------------------------------------------------------


def test_an_over_long_section_without_javascript_says_it_was_not_saved_and_keeps_the_text(client, chef):
    section = SectionFactory(plan=PlanFactory(), heading="Inledning", body="<p>Före.</p>")
    client.force_login(chef)
    body = "<p>" + "å" * 200_001 + "</p>"
    response = post_section(client, section.plan, section, section.version, body=body)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Inte sparat:" in page and "Senast sparat" not in page
    assert "som mest 200000 tecken" in page
    assert "å" * 200_001 in page  # what was typed is still in the form
    section.refresh_from_db()
    assert section.body == "<p>Före.</p>"


@pytest.mark.parametrize("htmx", [True, False])
def test_a_title_conflict_says_so_beside_the_form_and_shows_what_was_sent(client, chef, htmx):
    plan = PlanFactory(title="Biblioteksplan 2026–2029")
    stale = plan.version
    client.force_login(chef)
    url = reverse("plans:details_save", args=[plan.pk])
    data = {"first_year": "2026", "last_year": "2029", "version": stale}
    assert client.post(url, {**data, "title": "Först sparad"}).status_code == 302
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, {**data, "title": "Min egen titel"}, headers=headers)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan ändrade titel eller period medan du redigerade." in page
    assert "Det du skickade: ”Min egen titel”, 2026–2029." in page
    plan.refresh_from_db()
    assert plan.title == "Först sparad"


# --- follow-ups -------------------------------------------------------------------------------


def test_an_acknowledgement_with_a_note_too_long_is_refused_with_a_message(client, chef, consultant):
    plan = adopted_plan(
        first_year=THIS_YEAR - 2,
        last_year=THIS_YEAR + 1,
        adopted_on=date(THIS_YEAR - 2, 1, 15),
        by=chef,
        areas=1,
        goals=1,
        activities=1,
        indicators=1,
    )
    goals, indicators = followups.goals_and_indicators(plan)
    data = followups.FollowUpData(
        narrative="Ett bra år.",
        goals={g.pk: ("achieved", "") for g in goals},
        values={i.pk: Decimal("3") for i in indicators},
    )
    follow_up = followups.save(plan, chef, THIS_YEAR - 1, data, submit=True)
    client.force_login(consultant)
    url = reverse("plans:followup_acknowledge", args=[plan.pk, THIS_YEAR - 1])
    response = client.post(url, {"note": "x" * 4001}, follow=True)
    assert "som mest 4000 tecken" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.SUBMITTED
