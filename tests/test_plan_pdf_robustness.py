"""The plan PDF survives hostile text (issue 14, item 5): formatting nested hundreds of levels deep
prints, flattened; a plan too heavy to typeset in bounded time is refused before WeasyPrint
starts; a failure is remembered for the plan's state, and both answer with a Swedish page."""

import io
from datetime import date

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plans import limits, pdf, queries
from plans.models import Plan, Section
from portal import pdf as portal_pdf
from tests.factories_plans import adopted_plan, build_plan
from tests.plan_forms import post_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_section_nested_500_deep_in_the_editor_still_prints(client, chef):
    plan = build_plan(sections=1, areas=0)
    section = plan.sections.get()
    client.force_login(chef)
    post_section(client, plan, section, section.version, heading="Djup", body="<b>" * 500 + "ytterst")
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "ytterst" in _text(response)


def test_a_stored_text_nested_too_deep_prints_for_anyone(client):
    plan = adopted_plan(first_year=2024, last_year=2027, sections=1)
    Section.objects.filter(plan=plan).update(body="<p>" + "<b>" * 500 + "sparad text" + "</b>" * 500 + "</p>")
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert "sparad text" in _text(response)


def test_a_plan_too_heavy_to_typeset_is_refused_in_swedish_without_typesetting(client, monkeypatch):
    import weasyprint

    def typeset(*args, **kwargs):
        raise AssertionError("WeasyPrint must not start on a document this heavy")

    monkeypatch.setattr(weasyprint, "HTML", typeset)
    plan = adopted_plan(first_year=2024, last_year=2027, sections=3)
    Section.objects.filter(plan=plan).update(body="<p>Biblioteken <strong>arbetar</strong>.</p>" * 4_000)
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Planen kan inte skrivas ut som PDF" in page and "för lång" in page
    assert plan.get_absolute_url() in page


def test_a_failed_pdf_is_remembered_until_the_plan_changes(client, monkeypatch):
    plan = adopted_plan(first_year=2024, last_year=2027, sections=1)
    url = reverse("plans:pdf", args=[plan.pk])
    attempts = []

    def broken(template, context):
        attempts.append(template)
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 422
    assert "kunde inte skapas" in second.content.decode()
    assert len(attempts) == 1

    monkeypatch.undo()
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now() + timezone.timedelta(seconds=1))
    assert client.get(url).status_code == 200


def test_a_refused_pdf_is_not_weighed_again(client, monkeypatch):
    plan = adopted_plan(first_year=2024, last_year=2027, sections=1)
    monkeypatch.setattr(portal_pdf, "MAX_WEIGHT", 10)
    weighed = []
    real = portal_pdf.weight
    monkeypatch.setattr(portal_pdf, "weight", lambda html: weighed.append(1) or real(html))
    url = reverse("plans:pdf", args=[plan.pk])
    assert [client.get(url).status_code for _ in range(3)] == [422, 422, 422]
    assert len(weighed) == 1


def test_the_fullest_tree_the_limits_allow_is_light_enough_to_print():
    """A plan with every goal, activity and indicator `plans.limits` allows, and ten ordinary
    sections, is light enough to print."""
    plan = build_plan(sections=10, areas=4, goals=25, activities=4, indicators=2)
    assert (limits.GOALS.most, limits.ACTIVITIES.most, limits.INDICATORS.most) == (100, 400, 200)
    Section.objects.filter(plan=plan).update(
        body="<p>" + "Biblioteken arbetar med läsfrämjande. " * 100 + "</p>"
    )
    html = render_to_string(
        "plans/pdf/plan.html",
        {"plan": queries.plan_tree(plan.pk), "printed_on": date(2026, 1, 1), "static_prefix": "static:/"},
    )
    assert portal_pdf.weight(html) < portal_pdf.MAX_WEIGHT
