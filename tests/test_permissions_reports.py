import pytest
from django.urls import reverse

from overview.models import ReportJob
from tests.matrix import PERSONAS, REPORT_URL_NAMES, assert_answer, expect

pytestmark = pytest.mark.django_db

KB_ONLY = {"kb": 200, "admin": 200}


@pytest.fixture
def follow_up(db):
    from plans.models import FollowUp
    from tests.factories_plans import adopted_plan

    plan = adopted_plan(first_year=2024, last_year=2027, sections=3, areas=1, goals=1)
    return FollowUp.objects.create(plan=plan, year=2026)


@pytest.fixture
def regional_job(db):
    return ReportJob.objects.create(
        kind="regional",
        parameters={"year": 2026, "region": "08"},
        fingerprint="r",
        data={"summary": {}},
        status=ReportJob.Status.RUNNING,
    )


@pytest.fixture
def national_job(db):
    return ReportJob.objects.create(
        kind="national",
        parameters={"year": 2026},
        fingerprint="f",
        data={"summary": {}},
        status=ReportJob.Status.RUNNING,
    )


CASES = [
    (
        "index",
        "get",
        lambda f: reverse("reports:index"),
        expect(404, anonymous="login", consultant=200, other_consultant=200, **KB_ONLY),
        None,
    ),
    (
        "request_regional",
        "post",
        lambda f: reverse("reports:request_regional"),
        expect(404, anonymous="login", consultant=422, other_consultant=422, kb=422, admin=422),
        lambda f: {"year": "x"},
    ),
    (
        "regional_job",
        "get",
        lambda f: reverse("reports:job", args=[f("regional_job").pk]),
        expect(404, anonymous="login", consultant=200, **KB_ONLY),
        None,
    ),
    (
        "request_national",
        "post",
        lambda f: reverse("reports:request_national"),
        expect(404, anonymous="login", kb=422, admin=422),
        lambda f: {"year": "x"},
    ),
    (
        "job",
        "get",
        lambda f: reverse("reports:job", args=[f("national_job").pk]),
        expect(404, anonymous="login", **KB_ONLY),
        None,
    ),
    (
        "download",
        "get",
        lambda f: reverse("reports:download", args=[f("national_job").pk, "pdf"]),
        expect(404, anonymous="login"),
        None,
    ),
]


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "expected", "data"), CASES, ids=[c[0] for c in CASES])
def test_report_permission_matrix(client_for, request, persona_name, name, method, url, expected, data):
    client = client_for(persona_name)
    fixture = request.getfixturevalue
    response = getattr(client, method)(url(fixture), data(fixture) if data else {})
    want = expected[persona_name]
    assert_answer(response, want)


def test_matrix_covers_every_report_url():
    from overview.reports.urls import urlpatterns

    assert {p.name for p in urlpatterns} == REPORT_URL_NAMES
