"""Plan status transitions, reviews, comments and notifications (plans/reviews.py)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans import history, reviews, services
from plans.models import Plan, Review, ReviewComment, Section, StatusChange
from plans.template_sections import TEMPLATE_SECTIONS
from portal.models import Notification, QualityCriterion
from tests.factories import organisation
from tests.factories_plans import PlanFactory, adopted_plan, build_plan
from tests.factories_reviews import assess_all, reviewed_plan, submitted_plan

pytestmark = pytest.mark.django_db


def test_catalogues_are_seeded_with_swedish_defaults():
    names = set(QualityCriterion.objects.values_list("name", flat=True))
    assert {
        "Mätbara mål",
        "Barn och unga",
        "Skolbibliotek",
        "Samverkan",
        "Omfattar alla bibliotekstyper",
    } <= names


def test_submit_locks_the_plan_opens_a_review_and_notifies_the_regions_consultants(
    chef, consultant, other_consultant, django_capture_on_commit_callbacks
):
    plan = build_plan(areas=1, goals=1)
    with django_capture_on_commit_callbacks(execute=True):
        review = reviews.submit(plan, chef)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW and not plan.is_editable
    assert review.round == 1 and review.reviewing_organisation.code == "08"
    assert review.version_number == plan.versions.order_by("-number").first().number
    change = StatusChange.objects.get(plan=plan)
    assert (change.from_status, change.to_status, change.by) == ("draft", "in_review", chef)
    assert Notification.objects.filter(user=consultant).count() == 1
    assert not Notification.objects.filter(user=other_consultant).exists()
    assert [m.to for m in mail.outbox] == [[consultant.email]]
    assert "Kalmar" in mail.outbox[0].subject


def test_regional_plans_go_to_kb(consultant, kb, django_capture_on_commit_callbacks):
    plan = build_plan(
        areas=1,
        goals=1,
        organisation=__import__("tests.factories").factories.organisation("08"),
        kind="regional",
    )
    with django_capture_on_commit_callbacks(execute=True):
        review = reviews.submit(plan, consultant)
    assert review.reviewing_organisation.code == "KB"
    assert Notification.objects.filter(user=kb).exists()
    assert not reviews.reviews_plans_of_org(consultant, plan.organisation)


def test_submitting_an_empty_plan_is_refused_and_changes_nothing(chef):
    plan = PlanFactory()
    Section.objects.create(plan=plan, heading="Inledning", body="<p> </p>")
    with pytest.raises(reviews.TransitionError, match="tom"):
        reviews.submit(plan, chef)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not Review.objects.exists() and not StatusChange.objects.exists()


def test_a_plan_with_only_the_templates_guidance_is_empty(chef):
    """The template's sections hold guidance, not the plan's text: untouched, there is nothing
    for a reviewer to read. Written in one section (or given a goal), it can be submitted."""
    plan = services.create_plan(
        user=chef,
        organisation=organisation("0880"),
        kind=Plan.Kind.MUNICIPAL,
        title="Biblioteksplan",
        first_year=2027,
        last_year=2030,
        start="template",
    )
    assert plan.sections.count() == len(TEMPLATE_SECTIONS)
    with pytest.raises(reviews.TransitionError, match="tom"):
        reviews.submit(plan, chef)
    assert not Review.objects.exists()
    section = plan.sections.first()
    # Saved again through the editor (the markup re-sanitised, headings changed): still guidance.
    services.save_section(section, chef, version=section.version, heading="Syfte", body=section.body + " ")
    with pytest.raises(reviews.TransitionError, match="tom"):
        reviews.submit(plan, chef)
    section.refresh_from_db()
    services.save_section(
        section, chef, version=section.version, heading="Syfte", body="<p>Planen gäller Kalmar kommun.</p>"
    )
    assert reviews.submit(plan, chef).round == 1


def test_submitting_an_empty_plan_through_the_url_shows_a_swedish_message(client, chef):
    plan = PlanFactory()
    client.force_login(chef)
    response = client.post(reverse("plans:submit", args=[plan.pk]), follow=True)
    assert response.status_code == 200
    assert "Planen är tom" in response.content.decode()


def test_editors_cannot_submit_and_nobody_submits_twice(chef, editor):
    plan = build_plan(areas=1, goals=1)
    with pytest.raises(reviews.TransitionError):
        reviews.submit(plan, editor)
    reviews.submit(plan, chef)
    with pytest.raises(reviews.TransitionError, match="redan"):
        reviews.submit(plan, chef)
    assert Review.objects.count() == 1


def test_in_review_plans_cannot_be_edited(client, chef):
    plan = submitted_plan(chef)
    section = plan.sections.first()
    client.force_login(chef)
    response = client.post(
        reverse("plans:section_save", args=[plan.pk, section.pk]),
        {f"s{section.pk}-heading": "Ny", f"s{section.pk}-body": "<p>Ändrad</p>", f"s{section.pk}-version": 1},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.heading != "Ny"


def test_withdraw_returns_the_plan_to_draft(chef):
    plan = submitted_plan(chef)
    reviews.withdraw(plan, chef)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.reviews.get().state == Review.State.WITHDRAWN
    assert list(plan.status_changes.values_list("to_status", flat=True)) == ["in_review", "draft"]


def test_closing_needs_every_criterion(chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    first = QualityCriterion.objects.first()
    reviews.save_assessments(review, consultant, {first.pk: ("met", "Tydligt")})
    with pytest.raises(reviews.TransitionError, match="Inte bedömda ännu"):
        reviews.close_review(review, consultant, outcome="ready", summary="Bra")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW


def test_close_review_notifies_the_chef_and_the_first_edit_starts_the_revision(
    chef, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = reviewed_plan(chef, consultant)
    assert plan.status == Plan.Status.REVIEWED
    review = plan.reviews.get()
    assert review.is_closed and review.reviewer == consultant and review.outcome == "minor"
    assert Notification.objects.filter(user=chef, url=review.get_absolute_url()).exists()
    assert any(m.to == [chef.email] and "Bra plan" in m.body for m in mail.outbox)
    section = plan.sections.first()
    services.save_section(
        section, chef, version=section.version, heading=section.heading, body="<p>Ny text</p>"
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVISED
    assert list(plan.status_changes.values_list("to_status", flat=True)) == [
        "in_review",
        "reviewed",
        "revised",
    ]


def test_a_reviewed_plan_must_be_revised_before_resubmission(chef, consultant):
    plan = reviewed_plan(chef, consultant)
    with pytest.raises(reviews.TransitionError, match="Revidera"):
        reviews.submit(plan, chef)


def test_resubmission_opens_round_two_with_a_diff_and_answered_comments(chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    section = plan.sections.first()
    thread = reviews.add_comment(review, consultant, body="Beskriv barnens behov.", section=section)
    reviews.add_comment(review, consultant, body="Hela planen: lägg till uppföljning.")
    assess_all(review)
    reviews.close_review(review, consultant, outcome="major", summary="Behöver arbete.")
    reviews.add_comment(review, chef, body="Vi har lagt till ett stycke.", parent=thread)
    reviews.set_resolved(thread, chef, True)
    section.refresh_from_db()
    services.save_section(
        section,
        chef,
        version=section.version,
        heading=section.heading,
        body="<p>Barnens behov analyseras.</p>",
    )
    second = reviews.submit(plan, chef)
    assert second.round == 2
    previous = reviews.since_last_review(second)
    assert previous.review == review and previous.changes > 0
    assert any(r.kind == "added" and "Barnens behov" in r.text for r in previous.rows)
    answered = {t.body: (t.answered, t.is_resolved) for t in previous.threads}
    assert answered == {
        "Beskriv barnens behov.": (True, True),
        "Hela planen: lägg till uppföljning.": (False, False),
    }


def test_only_the_reviewer_starts_threads_and_replies_must_belong_to_the_review(chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    with pytest.raises(reviews.TransitionError):
        reviews.add_comment(review, chef, body="Egen tråd")
    other = submitted_plan(chef)
    foreign = reviews.add_comment(other.reviews.get(), consultant, body="Annan plan")
    with pytest.raises(reviews.TransitionError):
        reviews.add_comment(review, chef, body="Svar", parent=foreign)
    assert ReviewComment.objects.count() == 1


def _first_round_closed_second_open(chef, consultant):
    """Round 1 closed with feedback (minor changes), the plan revised and in review again."""
    plan = reviewed_plan(chef, consultant)
    first = plan.reviews.get()
    section = Section.objects.select_related("plan").filter(plan=plan).first()
    services.save_section(section, chef, version=section.version, heading="Ny rubrik", body="<p>Ny text</p>")
    second = reviews.submit(plan, chef)
    return plan, first, second


def test_a_closed_round_takes_no_more_review_steps_while_the_next_is_open(client, chef, consultant):
    plan, first, second = _first_round_closed_second_open(chef, consultant)
    criterion = QualityCriterion.objects.filter(is_active=True).first()
    ratings = dict(first.assessments.values_list("criterion_id", "rating"))
    with pytest.raises(reviews.TransitionError, match="bedömningarna kan inte längre ändras"):
        reviews.save_assessments(first, consultant, {criterion.pk: ("not_met", "Ändrad bedömning")})
    with pytest.raises(reviews.TransitionError, match="Granskningen är redan avslutad"):
        reviews.close_review(first, consultant, outcome="major", summary="Om igen")
    with pytest.raises(reviews.TransitionError):
        reviews.add_comment(first, consultant, body="En ny tråd i en gammal omgång")
    client.force_login(consultant)
    for data in ({"outcome": "major", "summary": "Om igen"}, {}):  # a stale tab, with or without a choice
        response = client.post(reverse("plans:review_close", args=[plan.pk, first.pk]), data)
        assert response.status_code == 409
        assert "Granskningen är redan avslutad." in response.content.decode()
    first.refresh_from_db()
    assert (first.state, first.outcome, first.summary) == (
        Review.State.CLOSED,
        Review.Outcome.MINOR,
        "Bra plan, några förbättringar.",
    )
    assert dict(first.assessments.values_list("criterion_id", "rating")) == ratings
    assert not first.comments.exists()
    plan.refresh_from_db()
    second.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW and second.is_open


def test_a_withdrawn_round_takes_no_more_comments(chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    thread = reviews.add_comment(review, consultant, body="Beskriv målgrupperna.")
    reviews.withdraw(plan, chef)
    with pytest.raises(reviews.TransitionError, match="kan inte längre ändras"):
        reviews.set_resolved(thread, chef, True)
    with pytest.raises(reviews.TransitionError):
        reviews.add_comment(review, chef, body="Svar", parent=thread)
    thread.refresh_from_db()
    assert not thread.is_resolved and not thread.replies.exists()


def test_adoption_records_a_status_change_and_ends_an_open_round(chef):
    from datetime import date

    plan = submitted_plan(chef)
    services.record_adoption(plan, chef, adopted_on=date(2026, 3, 1), adopted_by_body="Kommunfullmäktige")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED
    assert plan.status_changes.last().to_status == "adopted"
    assert plan.reviews.get().state == Review.State.WITHDRAWN


@pytest.mark.parametrize("action", ["assess", "review_close", "comment"])
def test_a_consultant_of_another_region_gets_404_and_nothing_is_saved(client, chef, other_consultant, action):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    client.force_login(other_consultant)
    response = client.post(
        reverse(f"plans:{action}", args=[plan.pk, review.pk]),
        {"body": "x", "outcome": "ready", "summary": "x"},
    )
    assert response.status_code == 404
    assert not review.assessments.exists() and not review.comments.exists()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW


def test_nobody_skips_a_step_by_posting_to_a_url(client, chef, consultant):
    plan = build_plan(areas=1, goals=1)
    client.force_login(consultant)
    # A consultant cannot submit a municipality's plan …
    assert client.post(reverse("plans:submit", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    # … and a chef cannot close her own review.
    reviews.submit(plan, chef)
    review = plan.reviews.get()
    assess_all(review)
    client.force_login(chef)
    response = client.post(
        reverse("plans:review_close", args=[plan.pk, review.pk]), {"outcome": "ready", "summary": "Klart"}
    )
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW
    # … and withdrawing a plan that is not in review does nothing.
    reviews.withdraw(plan, chef)
    response = client.post(reverse("plans:withdraw", args=[plan.pk]), follow=True)
    assert "inte under granskning" in response.content.decode()


def test_review_page_shows_feedback_beside_the_plan_text(client, chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    section = plan.sections.first()
    reviews.add_comment(review, consultant, body="Utveckla avsnittet.", section=section)
    client.force_login(consultant)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Spara bedömningarna" in page and "Avsluta granskningen" in page
    assess_all(review)
    reviews.close_review(review, consultant, outcome="minor", summary="Sammanfattning")
    client.force_login(chef)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Utveckla avsnittet." in page and section.heading in page
    assert "Uppfyllt" in page and "Sammanfattning" in page
    assert "Skicka svaret" in page and "Spara bedömningarna" not in page


def test_htmx_resolve_returns_the_thread_fragment(client, chef, consultant):
    plan = submitted_plan(chef)
    review = plan.reviews.get()
    thread = reviews.add_comment(review, consultant, body="Fråga", section=plan.sections.first())
    client.force_login(chef)
    response = client.post(
        reverse("plans:comment_resolve", args=[plan.pk, review.pk, thread.pk]),
        {"resolved": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith("<article") and "Löst" in body
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == chef


def test_a_new_round_starts_from_the_last_rounds_assessments(client, chef, consultant):
    plan = submitted_plan(chef)
    first = plan.reviews.get()
    assess_all(first, rating="partly")
    reviews.close_review(first, consultant, outcome="minor", summary="Ok")
    plan.refresh_from_db()
    history.record_version(plan, chef, "Reviderade")
    second = reviews.submit(plan, chef)
    client.force_login(consultant)
    page = client.get(second.get_absolute_url()).content.decode()
    import re

    criterion = QualityCriterion.objects.first()
    checked = re.findall(rf'<input type="radio" name="rating_{criterion.pk}" value="(\w+)"[^>]*checked', page)
    assert checked == ["partly"]
    assert not second.assessments.exists()  # only a starting point until the reviewer saves


def _race(*calls):
    """Run the calls at the same moment in threads; returns 'ok' or the exception class name."""
    import threading

    from django.db import connections

    start = threading.Barrier(len(calls))
    outcome = []

    def run(call):
        try:
            start.wait()
            call()
            outcome.append("ok")
        except reviews.TransitionError:
            outcome.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcome)


@pytest.mark.django_db(transaction=True)
def test_racing_submissions_and_acknowledgements_happen_once():
    """Two chefs submit at once; two consultants acknowledge at once: exactly one wins each."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("The race needs real concurrent connections (PostgreSQL, as in CI).")
    from datetime import date

    from plans import followups
    from plans.models import FollowUp
    from portal.models import Role
    from tests.factories import member

    chefs = [member(Role.CHEF, "0880"), member(Role.CHEF, "0880")]
    consultants = [member(Role.CONSULTANT, "08"), member(Role.CONSULTANT, "08")]
    plan = build_plan(areas=1, goals=1, indicators=0)
    assert _race(*(lambda u=u: reviews.submit(Plan.objects.get(pk=plan.pk), u) for u in chefs)) == [
        "ok",
        "refused",
    ]
    assert Review.objects.filter(plan=plan).count() == 1
    assert StatusChange.objects.filter(plan=plan, to_status="in_review").count() == 1

    year = timezone.localdate().year
    adopted = adopted_plan(
        first_year=year - 1,
        last_year=year + 1,
        adopted_on=date(year - 1, 2, 1),
        adopted_by_body="KF",
        by=chefs[0],
        sections=3,
        areas=1,
        goals=1,
        indicators=0,
    )
    goal = adopted.focus_areas.get().goals.get()
    follow_up = followups.save(
        adopted,
        chefs[0],
        year - 1,
        followups.FollowUpData(narrative="Bra år", goals={goal.pk: ("achieved", "")}),
        submit=True,
    )
    results = _race(
        *(lambda u=u: followups.acknowledge(FollowUp.objects.get(pk=follow_up.pk), u) for u in consultants)
    )
    assert results == ["ok", "refused"]
    assert StatusChange.objects.filter(follow_up=follow_up, to_status="acknowledged").count() == 1
