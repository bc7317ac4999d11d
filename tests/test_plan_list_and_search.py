"""The plan list: what the public and each person sees, its filters, htmx results, the word search
with highlighted snippets, and its queries."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from plans import history
from plans.models import Plan, Section
from tests.factories import organisation
from tests.factories_plans import build_plan, focus_area

pytestmark = pytest.mark.django_db


def test_public_sees_only_adopted_plans(client):
    adopted = build_plan(status=Plan.Status.ADOPTED, title="Antagen plan")
    draft = build_plan(title="Hemligt utkast")
    html = client.get(reverse("plans:list")).content.decode()
    assert "Antagen plan" in html and "Hemligt utkast" not in html
    assert client.get(reverse("plans:detail", args=[adopted.pk])).status_code == 200
    assert client.get(reverse("plans:detail", args=[draft.pk])).status_code == 404


def test_consultant_sees_region_drafts_but_not_other_regions(client, consultant):
    build_plan(title="Kalmars utkast")

    build_plan(title="Karlstads utkast", organisation=organisation("1780"))
    client.force_login(consultant)
    html = client.get(reverse("plans:list")).content.decode()
    assert "Kalmars utkast" in html and "Karlstads utkast" not in html


def test_filters_by_region_status_year_and_focus(client, kb):

    build_plan(title="Kalmar 2026", status=Plan.Status.ADOPTED, first_year=2026, last_year=2029)
    build_plan(
        title="Karlstad 2020", organisation=organisation("1780"), first_year=2020, last_year=2023, areas=0
    )
    client.force_login(kb)
    region = organisation("08").pk
    html = client.get(reverse("plans:list"), {"region": region}).content.decode()
    assert "Kalmar 2026" in html and "Karlstad 2020" not in html
    html = client.get(reverse("plans:list"), {"year": 2021}).content.decode()
    assert "Karlstad 2020" in html and "Kalmar 2026" not in html
    html = client.get(
        reverse("plans:list"), {"focus": focus_area("lasframjande-och-spraklig-mangfald").pk}
    ).content.decode()
    assert "Kalmar 2026" in html and "Karlstad 2020" not in html
    html = client.get(reverse("plans:list"), {"status": "adopted"}).content.decode()
    assert "Kalmar 2026" in html and "Karlstad 2020" not in html


def test_htmx_filter_returns_only_the_results(client, kb):
    build_plan(title="Kalmar 2026")
    client.force_login(kb)
    response = client.get(reverse("plans:list"), {"q": ""}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="plan-results"') and "<html" not in html


def field_html(html: str, name: str) -> str:
    """The markup of the filter form's field `name`: from its wrapper to the next field's."""
    at = html.index(f'id="id_{name}"')
    start = html.rindex('<div class="field', 0, at)
    end = html.find('<div class="field', at)
    return html[start : end if end != -1 else html.index("</form>", at)]


@pytest.mark.parametrize(
    ("name", "value", "kept"),
    [
        ("year", "1700", 'value="1700"'),
        ("region", "abc", None),
        ("sort", "password", None),
        ("q", "x" * 500, 'value="' + "x" * 500 + '"'),
    ],
)
def test_bad_filter_values_do_not_break_the_list(client, kb, name, value, kept):
    """Each bad value: a message at its own field, what was typed kept, the plans still listed."""
    build_plan(title="Kalmar 2026", areas=0)
    client.force_login(kb)
    response = client.get(reverse("plans:list"), {name: value})
    html = response.content.decode()
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [name]
    assert escape(errors[name][0]) in field_html(html, name)
    if kept:
        assert kept in field_html(html, name)  # what the person typed stays in the field
    assert "Kalmar 2026" in html  # the list is not emptied by a filter it cannot use


def test_a_page_past_the_end_shows_the_last_page(client, kb):
    build_plan(title="Kalmar 2026", areas=0)
    client.force_login(kb)
    response = client.get(reverse("plans:list"), {"sida": "999"})
    assert response.status_code == 200 and response.context["page"].number == 1
    assert "Kalmar 2026" in response.content.decode()


def test_search_finds_inflected_words_with_highlighted_snippets(client, kb):
    plan = build_plan(title="Plan med bibliotek", status=Plan.Status.ADOPTED)
    Section.objects.filter(plan=plan).update(
        body="<p>Bibliotek för alla invånare, även <script>x</script></p>"
    )
    history.record_version(plan, None, "test")
    build_plan(title="Annan plan", sections=0, areas=0)
    Plan.objects.filter(title="Annan plan").update(search_text="Inget om saken")
    client.force_login(kb)
    query = "bibliotekens" if connection.vendor == "postgresql" else "bibliotek"
    html = client.get(reverse("plans:list"), {"q": query}).content.decode()
    assert "Plan med bibliotek" in html and "Annan plan" not in html
    assert "<mark>" in html.lower()
    assert "<script>x" not in html


def test_plan_list_queries_do_not_grow(client, kb, count_queries):
    client.force_login(kb)
    build_plan(sections=0, areas=0)
    few = count_queries(client, reverse("plans:list"))
    for _ in range(12):
        build_plan(sections=0, areas=0)
    many = count_queries(client, reverse("plans:list"))
    assert few == many
