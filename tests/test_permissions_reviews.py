"""The URL × role matrix for reviews, follow-ups, catalogues, notifications and the
development staircase (legend in tests/matrix.py). Every view × every persona,
with the exact answer; a separate test per transition checks that a refused post changed nothing."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import followups
from plans.models import FollowUp, Plan, Review, ReviewComment
from portal.models import Notification, QualityCriterion, StaircaseArea, StaircaseAssessment
from tests.factories_plans import adopted_plan, build_plan
from tests.factories_reviews import assess_all, reviewed_plan, submitted_plan
from tests.matrix import (
    LOGGED_IN_OK,
    PERSONAS,
    PORTAL_URL_NAMES,
    READERS,
    REVIEW_URL_NAMES,
    WRITERS,
    Effect,
    assert_answer,
    expect,
    happened,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
REGION_STAFF = {"consultant": 200, "kb": 200, "admin": 200}


@pytest.fixture
def draft(db):
    return build_plan(areas=1, goals=1, activities=1, indicators=1)


@pytest.fixture
def in_review(chef):
    return submitted_plan(chef)


@pytest.fixture
def assessed(in_review):
    assess_all(in_review.reviews.get())
    return in_review


@pytest.fixture
def reviewed(chef, consultant):
    plan = reviewed_plan(chef, consultant)
    return plan


@pytest.fixture
def thread(reviewed, consultant):
    review = reviewed.reviews.get()
    from plans.models import ReviewComment

    return ReviewComment.objects.create(review=review, author=consultant, body="Utveckla detta.")


@pytest.fixture
def adopted(chef):
    return adopted_plan(
        first_year=THIS_YEAR - 2,
        last_year=THIS_YEAR + 1,
        adopted_on=date(THIS_YEAR - 2, 1, 15),
        by=chef,
        sections=3,
        areas=1,
        goals=1,
        activities=1,
        indicators=1,
    )


def _complete(plan):
    goals, indicators = followups.goals_and_indicators(plan)
    from decimal import Decimal

    return followups.FollowUpData(
        narrative="Ett bra år.",
        goals={g.pk: ("in_progress", "") for g in goals},
        values={i.pk: Decimal("12.5") for i in indicators},
    )


@pytest.fixture
def submitted_follow_up(adopted, chef):
    return followups.save(adopted, chef, THIS_YEAR - 1, _complete(adopted), submit=True)


@pytest.fixture
def chef_notification(chef):
    return Notification.objects.create(user=chef, text="Test", url="/oversikt/")


def _first_area():
    return StaircaseArea.objects.filter(is_active=True).order_by("pk").first()


def _plan_url(name, fixture, *extra):
    return lambda f: reverse(f"plans:{name}", args=[f(fixture).pk, *extra])


def _review_url(name, fixture):
    return lambda f: reverse(f"plans:{name}", args=[f(fixture).pk, f(fixture).reviews.get().pk])


CASES = [
    (
        "review_queue",
        "get",
        lambda f: reverse("plans:review_queue"),
        expect(404, anonymous="login", consultant=200, other_consultant=200, kb=200, admin=200),
        None,
    ),
    (
        "region_overview",
        "get",
        lambda f: reverse("plans:region_overview", args=["08"]),
        expect(404, anonymous="login", **REGION_STAFF),
        None,
    ),
    (
        "submit",
        "post",
        _plan_url("submit", "draft"),
        # Readers who may not submit get a message, and nothing changes.
        expect(
            404,
            anonymous="login",
            chef="redirect",
            editor="refused",
            consultant="refused",
            kb="refused",
            admin="redirect",
        ),
        None,
    ),
    (
        "withdraw",
        "post",
        _plan_url("withdraw", "in_review"),
        expect(
            404,
            anonymous="login",
            chef="redirect",
            editor="refused",
            consultant="refused",
            kb="refused",
            admin="redirect",
        ),
        None,
    ),
    ("reviews", "get", _plan_url("reviews", "in_review"), expect(404, anonymous="login", **READERS), None),
    ("review", "get", _review_url("review", "in_review"), expect(404, anonymous="login", **READERS), None),
    (
        "assess",
        "post",
        _review_url("assess", "in_review"),
        expect(404, anonymous="login", consultant="redirect", admin="redirect"),
        lambda f: {f"rating_{QualityCriterion.objects.first().pk}": "met"},
    ),
    (
        "review_close",
        "post",
        _review_url("review_close", "assessed"),
        expect(404, anonymous="login", consultant="redirect", admin="redirect"),
        lambda f: {"outcome": "minor", "summary": "Några förbättringar."},
    ),
    (
        "comment",
        "post",
        _review_url("comment", "reviewed"),
        expect(404, anonymous="login", consultant="redirect", **WRITERS),
        lambda f: {"body": "Svar", "parent": f("thread").pk},
    ),
    (
        "comment_resolve",
        "post",
        lambda f: reverse(
            "plans:comment_resolve", args=[f("reviewed").pk, f("reviewed").reviews.get().pk, f("thread").pk]
        ),
        expect(404, anonymous="login", consultant="redirect", **WRITERS),
        lambda f: {"resolved": "1"},
    ),
    ("followups", "get", _plan_url("followups", "adopted"), expect(404, anonymous="login", **READERS), None),
    (
        "followup",
        "get",
        _plan_url("followup", "adopted", THIS_YEAR - 1),
        expect(404, anonymous="login", **READERS),
        None,
    ),
    (
        "followup_save",
        "post",
        _plan_url("followup", "adopted", THIS_YEAR - 1),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {"narrative": "Utkast", "save": "1"},
    ),
    (
        "followup_acknowledge",
        "post",
        lambda f: reverse(
            "plans:followup_acknowledge", args=[f("submitted_follow_up").plan_id, THIS_YEAR - 1]
        ),
        expect(404, anonymous="login", consultant="redirect", admin="redirect"),
        None,
    ),
    (
        "followup_completion",
        "post",
        lambda f: reverse(
            "plans:followup_completion", args=[f("submitted_follow_up").plan_id, THIS_YEAR - 1]
        ),
        expect(404, anonymous="login", consultant="redirect", admin="redirect"),
        lambda f: {"note": "Komplettera nyckeltalen."},
    ),
    ("catalogues", "get", lambda f: reverse("catalogues"), LOGGED_IN_OK, None),
    (
        "catalogue_add",
        "get",
        lambda f: reverse("catalogue_add", args=["kvalitetskriterier"]),
        expect(404, anonymous="login", kb=200, admin=200),
        None,
    ),
    (
        "catalogue_edit",
        "post",
        lambda f: reverse("catalogue_edit", args=["kvalitetskriterier", QualityCriterion.objects.first().pk]),
        expect(404, anonymous="login", kb="redirect", admin="redirect"),
        lambda f: {
            "name": "Bygger på en analys av behov",
            "description": "Ny text",
            "sort_order": 10,
            "is_active": "on",
        },
    ),
    ("notifications", "get", lambda f: reverse("notifications"), LOGGED_IN_OK, None),
    (
        "notification_open",
        "post",
        lambda f: reverse("notification_open", args=[f("chef_notification").pk]),
        expect(404, anonymous="login", chef="redirect"),
        None,
    ),
    (
        "notifications_read",
        "post",
        lambda f: reverse("notifications_read"),
        expect("redirect", anonymous="login"),
        None,
    ),
    (
        "staircase",
        "get",
        lambda f: reverse("staircase", args=["0880"]),
        expect(404, anonymous="login", **READERS),
        None,
    ),
    (
        "staircase_post",
        "post",
        lambda f: reverse("staircase", args=["0880"]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {f"level_{_first_area().pk}": "2"},
    ),
    (
        "staircase_region",
        "get",
        lambda f: reverse("staircase_region", args=["08"]),
        expect(404, anonymous="login", **REGION_STAFF),
        None,
    ),
]


def _status(f, name):
    return Plan.objects.get(pk=f(name).pk).status


def _follow_up_status(f):
    return FollowUp.objects.get(pk=f("submitted_follow_up").pk).status


EFFECTS = {
    "submit": Effect(lambda f, r, user: _status(f, "draft") == Plan.Status.IN_REVIEW),
    "withdraw": Effect(lambda f, r, user: _status(f, "in_review") == Plan.Status.DRAFT),
    "assess": Effect(
        lambda f, r, user: (
            f("in_review")
            .reviews.get()
            .assessments.filter(criterion=QualityCriterion.objects.first(), rating="met")
            .exists()
        )
    ),
    "review_close": Effect(lambda f, r, user: f("assessed").reviews.get().state == Review.State.CLOSED),
    "comment": Effect(lambda f, r, user: f("thread").replies.filter(body="Svar", author=user).exists()),
    "comment_resolve": Effect(
        lambda f, r, user: ReviewComment.objects.get(pk=f("thread").pk).resolved_at is not None
    ),
    "followup_save": Effect(
        lambda f, r, user: FollowUp.objects.filter(
            plan=f("adopted"), year=THIS_YEAR - 1, narrative="Utkast"
        ).exists()
    ),
    "followup_acknowledge": Effect(lambda f, r, user: _follow_up_status(f) == FollowUp.Status.ACKNOWLEDGED),
    "followup_completion": Effect(lambda f, r, user: _follow_up_status(f) == FollowUp.Status.COMPLETION),
    "catalogue_edit": Effect(
        lambda f, r, user: QualityCriterion.objects.filter(
            name="Bygger på en analys av behov", description="Ny text"
        ).exists()
    ),
    "notification_open": Effect(
        lambda f, r, user: Notification.objects.get(pk=f("chef_notification").pk).read_at is not None
    ),
    "notifications_read": Effect(
        lambda f, r, user: (
            user is not None and not Notification.objects.filter(user=user, read_at__isnull=True).exists()
        ),
        given=lambda f, user: Notification.objects.create(user=user, text="Ny", url="/oversikt/"),
    ),
    "staircase_post": Effect(
        lambda f, r, user: StaircaseAssessment.objects.filter(
            organisation__code="0880", area=_first_area(), level=2
        ).exists()
    ),
}


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "expected", "data"), CASES, ids=[c[0] for c in CASES])
def test_review_permission_matrix(
    client_for, persona, request, persona_name, name, method, url, expected, data
):
    fixture = request.getfixturevalue
    target = url(fixture)
    payload = data(fixture) if data else {}
    client = client_for(persona_name)
    response, done = happened(
        EFFECTS, name, fixture, persona(persona_name), lambda: getattr(client, method)(target, payload)
    )
    assert_answer(response, expected[persona_name], f"{name} as {persona_name}", done)


@pytest.mark.parametrize("persona_name", ["editor", "consultant", "kb", "other_chef", "no_role"])
def test_only_the_chef_or_admin_can_submit(client_for, draft, persona_name):
    client_for(persona_name).post(reverse("plans:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT and not draft.reviews.exists()


@pytest.mark.parametrize("persona_name", ["editor", "consultant", "kb"])
def test_only_the_chef_or_admin_can_withdraw(client_for, in_review, persona_name):
    client_for(persona_name).post(reverse("plans:withdraw", args=[in_review.pk]))
    in_review.refresh_from_db()
    assert in_review.status == Plan.Status.IN_REVIEW


def test_matrix_names_every_new_url():
    covered = {c[0] for c in CASES} | {"followup", "staircase"}
    assert REVIEW_URL_NAMES | PORTAL_URL_NAMES <= covered | {"followup_save", "staircase_post"}
