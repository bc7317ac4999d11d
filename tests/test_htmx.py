"""Every page that htmx may ask for a partial answers all three ways alike: the whole page for a
plain request and for an htmx history restore (Back after htmx pushed the URL, with no snapshot
in htmx's cache), the partial for other htmx requests, and always `Vary: HX-Request`."""

import pytest
from django.urls import reverse
from django.utils.cache import has_vary_header

from overview.models import ReportJob
from tests.factories_calendar import EventFactory, NetworkFactory
from tests.factories_plans import build_plan

pytestmark = pytest.mark.django_db

PLAIN = {}
HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def _job(f):
    job = ReportJob.objects.create(
        kind="national", parameters={"year": 2026}, fingerprint="x", data={"summary": {}}, progress=40
    )
    return reverse("reports:job", args=[job.pk])


def _new_goal_form(f):
    plan = build_plan(areas=1, goals=0, activities=0, indicators=0)
    area = plan.focus_areas.get()
    return reverse("plans:item_add", args=[plan.pk, "mal"]) + f"?under={area.pk}"


# (name, persona, url, what the partial contains)
PAGES = [
    ("plan list", "anonymous", lambda f: reverse("plans:list"), 'id="plan-results"'),
    ("calendar list", "anonymous", lambda f: reverse("calendar_app:list"), 'id="results"'),
    ("calendar month", "anonymous", lambda f: reverse("calendar_app:month", args=[2027, 4]), 'id="results"'),
    ("network list", "anonymous", lambda f: reverse("network:list"), 'id="results"'),
    ("report progress", "kb", _job, 'id="report-progress"'),
    ("plan item form", "chef", _new_goal_form, 'id="form-new-mal-'),
]


@pytest.fixture
def listed(db):
    """Something for every list to show."""
    build_plan(status="adopted", title="Antagen plan")
    EventFactory(title="Vårkonferens")
    NetworkFactory(name="Barnbibliotekarier i Kalmar län")


@pytest.mark.parametrize(
    ("headers", "whole_page"),
    [(PLAIN, True), (HTMX, False), (HISTORY_RESTORE, True)],
    ids=["plain", "htmx", "history-restore"],
)
@pytest.mark.parametrize(("name", "persona_name", "url", "marker"), PAGES, ids=[p[0] for p in PAGES])
def test_partial_pages_answer_htmx_history_restore_with_the_whole_page(
    client_for, request, listed, name, persona_name, url, marker, headers, whole_page
):
    client = client_for(persona_name)
    response = client.get(url(request.getfixturevalue), headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert marker in html
    assert ("<html" in html) is whole_page
    assert ('<header class="site-header">' in html) is whole_page
    assert has_vary_header(response, "HX-Request")
