"""The URL × role matrix for library plans (legend in tests/matrix.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import services
from plans.models import Goal, Plan
from tests.factories_plans import adopted_plan, build_plan
from tests.matrix import (
    PERSONAS,
    PLAN_URL_NAMES,
    READERS,
    REVIEW_URL_NAMES,
    WRITERS,
    Effect,
    assert_answer,
    expect,
    happened,
)
from tests.pdfs import PDF_BYTES

pytestmark = pytest.mark.django_db

PDF = PDF_BYTES


@pytest.fixture
def draft(db):
    return build_plan(areas=1, goals=1, activities=1, indicators=1)


@pytest.fixture
def adopted(db):
    return adopted_plan(first_year=2024, last_year=2027, sections=3, areas=1, goals=1)


@pytest.fixture
def draft_attachment(draft):
    return services.add_attachment(draft, None, title="Underlag", uploaded=SimpleUploadedFile("a.pdf", PDF))


def _goal(plan):
    return Goal.objects.filter(focus_area__plan=plan).first()


def _section(plan):
    return plan.sections.first()


CASES = [
    ("list", "get", lambda f: reverse("plans:list"), expect(200), None),
    # the list's exports: everyone gets the plans they may see (rows: tests/test_exports.py)
    ("export", "get", lambda f: reverse("plans:export", args=["csv"]), expect(200), None),
    ("export xlsx", "get", lambda f: reverse("plans:export", args=["xlsx"]), expect(200), None),
    (
        "followups_export",
        "get",
        lambda f: reverse("plans:followups_export", args=["csv"]),
        expect(200, anonymous="login", no_role=404),
        None,
    ),
    (
        "followups_export xlsx",
        "get",
        lambda f: reverse("plans:followups_export", args=["xlsx"]),
        expect(200, anonymous="login", no_role=404),
        None,
    ),
    (
        "create",
        "get",
        lambda f: reverse("plans:create"),
        expect(200, anonymous="login", kb=404, no_role=404),
        None,
    ),
    (
        "detail_draft",
        "get",
        lambda f: reverse("plans:detail", args=[f("draft").pk]),
        expect(404, **READERS),
        None,
    ),
    ("detail_adopted", "get", lambda f: reverse("plans:detail", args=[f("adopted").pk]), expect(200), None),
    ("pdf_draft", "get", lambda f: reverse("plans:pdf", args=[f("draft").pk]), expect(404, **READERS), None),
    ("pdf_adopted", "get", lambda f: reverse("plans:pdf", args=[f("adopted").pk]), expect(200), None),
    (
        "edit_draft",
        "get",
        lambda f: reverse("plans:edit", args=[f("draft").pk]),
        expect(404, anonymous="login", chef=200, editor=200, admin=200),
        None,
    ),
    (
        "edit_adopted",
        "get",
        lambda f: reverse("plans:edit", args=[f("adopted").pk]),
        expect(404, anonymous="login", **WRITERS),
        None,
    ),
    (
        "details_save",
        "post",
        lambda f: reverse("plans:details_save", args=[f("draft").pk]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {"title": "Ny titel", "first_year": 2026, "last_year": 2029, "version": f("draft").version},
    ),
    (
        "section_add",
        "post",
        lambda f: reverse("plans:section_add", args=[f("draft").pk]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {"heading": "Nytt"},
    ),
    (
        "section_get",
        "get",
        lambda f: reverse("plans:section_save", args=[f("draft").pk, _section(f("draft")).pk]),
        expect(404, anonymous="login", chef=200, editor=200, admin=200),
        None,
    ),
    (
        "section_save",
        "post",
        lambda f: reverse("plans:section_save", args=[f("draft").pk, _section(f("draft")).pk]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {
            f"s{_section(f('draft')).pk}-heading": "H",
            f"s{_section(f('draft')).pk}-body": "<p>x</p>",
            f"s{_section(f('draft')).pk}-version": _section(f("draft")).version,
        },
    ),
    (
        "item_add_form",
        "get",
        lambda f: (
            reverse("plans:item_add", args=[f("draft").pk, "insats"]) + f"?under={_goal(f('draft')).pk}"
        ),
        expect(404, anonymous="login", chef=200, editor=200, admin=200),
        None,
    ),
    (
        "item_add",
        "post",
        lambda f: reverse("plans:item_add", args=[f("draft").pk, "mal"]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {"under": _goal(f("draft")).focus_area_id, "mal-new-title": "Nytt mål"},
    ),
    (
        "item_save",
        "post",
        lambda f: reverse("plans:item_save", args=[f("draft").pk, "mal", _goal(f("draft")).pk]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {f"mal-{_goal(f('draft')).pk}-title": "Ändrat", f"mal-{_goal(f('draft')).pk}-version": 1},
    ),
    (
        "item_move",
        "post",
        lambda f: reverse("plans:item_move", args=[f("draft").pk, "avsnitt", _section(f("draft")).pk]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {"direction": "down"},
    ),
    (
        "item_delete",
        "post",
        lambda f: reverse("plans:item_delete", args=[f("draft").pk, "mal", _goal(f("draft")).pk]),
        expect(404, anonymous="login", **WRITERS),
        None,
    ),
    (
        "history",
        "get",
        lambda f: reverse("plans:history", args=[f("draft").pk]),
        expect(404, anonymous="login", **READERS),
        None,
    ),
    (
        "history_adopted",
        "get",
        lambda f: reverse("plans:history", args=[f("adopted").pk]),
        expect(404, anonymous="login", **READERS),
        None,
    ),
    (
        "compare",
        "get",
        lambda f: reverse("plans:compare", args=[f("draft").pk]) + "?fran=1&till=1",
        expect(404, anonymous="login", **READERS),
        None,
    ),
    (
        "restore",
        "post",
        lambda f: reverse("plans:restore", args=[f("draft").pk, 1]),
        expect(404, anonymous="login", **WRITERS),
        None,
    ),
    (
        "attachment_add",
        "post",
        lambda f: reverse("plans:attachment_add", args=[f("draft").pk]),
        expect(404, anonymous="login", **WRITERS),
        lambda f: {"title": "Bilaga", "file": SimpleUploadedFile("b.pdf", PDF)},
    ),
    (
        "attachment_download",
        "get",
        lambda f: reverse("plans:attachment_download", args=[f("draft").pk, f("draft_attachment").pk]),
        expect(404, **READERS),
        None,
    ),
    (
        "adopt",
        "get",
        lambda f: reverse("plans:adopt", args=[f("draft").pk]),
        expect(404, anonymous="login", chef=200, admin=200),
        None,
    ),
    (
        "adopt_post",
        "post",
        lambda f: reverse("plans:adopt", args=[f("draft").pk]),
        expect(404, anonymous="login", chef="redirect", admin="redirect"),
        lambda f: {"adopted_on": "2026-01-10", "adopted_by_body": "Kommunfullmäktige"},
    ),
    (
        "copy",
        "get",
        lambda f: reverse("plans:copy", args=[f("adopted").pk]),
        expect(404, anonymous="login", **WRITERS),
        None,
    ),
]


def _draft_now(f):
    return Plan.objects.get(pk=f("draft").pk)


EFFECTS = {
    # GETs that redirect: the writer of an adopted plan is sent to its page, a copy to the form
    "edit_adopted": Effect(lambda f, r, user: r.get("Location") == f("adopted").get_absolute_url()),
    "copy": Effect(
        lambda f, r, user: r.get("Location") == reverse("plans:create") + f"?fran={f('adopted').pk}"
    ),
    "details_save": Effect(lambda f, r, user: _draft_now(f).title == "Ny titel"),
    "section_add": Effect(lambda f, r, user: f("draft").sections.filter(heading="Nytt").exists()),
    "section_save": Effect(
        lambda f, r, user: f("draft").sections.filter(heading="H", body="<p>x</p>").exists()
    ),
    "item_add": Effect(
        lambda f, r, user: Goal.objects.filter(focus_area__plan=f("draft"), title="Nytt mål").exists()
    ),
    "item_save": Effect(
        lambda f, r, user: Goal.objects.filter(focus_area__plan=f("draft"), title="Ändrat").exists()
    ),
    "item_move": Effect(  # the first of the three sections moved down one step
        lambda f, r, user: (
            list(f("draft").sections.values_list("heading", flat=True))
            == ["Avsnitt 1", "Avsnitt 0", "Avsnitt 2"]
        )
    ),
    "item_delete": Effect(lambda f, r, user: not Goal.objects.filter(focus_area__plan=f("draft")).exists()),
    "restore": Effect(
        lambda f, r, user: f("draft").versions.filter(summary="Återställde version 1").exists()
    ),
    "attachment_add": Effect(lambda f, r, user: f("draft").attachments.filter(title="Bilaga").exists()),
    "adopt_post": Effect(lambda f, r, user: _draft_now(f).status == Plan.Status.ADOPTED),
}


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "expected", "data"), CASES, ids=[c[0] for c in CASES])
def test_plan_permission_matrix(
    client_for, persona, request, persona_name, name, method, url, expected, data
):
    client = client_for(persona_name)
    fixture = request.getfixturevalue
    payload = data(fixture) if data else {}
    target = url(fixture)
    response, done = happened(
        EFFECTS, name, fixture, persona(persona_name), lambda: getattr(client, method)(target, payload)
    )
    assert_answer(response, expected[persona_name], f"{name} as {persona_name}", done)


def test_another_municipalitys_chef_cannot_touch_by_changing_the_url(client, other_chef, draft):
    client.force_login(other_chef)
    section = _section(draft)
    before = section.body
    response = client.post(
        reverse("plans:section_save", args=[draft.pk, section.pk]),
        {f"s{section.pk}-heading": "Hackad", f"s{section.pk}-body": "x", f"s{section.pk}-version": 1},
    )
    assert response.status_code == 404
    section.refresh_from_db()
    assert section.body == before


def test_matrix_covers_every_plan_url():
    from plans.urls import urlpatterns

    assert {p.name for p in urlpatterns} == PLAN_URL_NAMES | REVIEW_URL_NAMES
