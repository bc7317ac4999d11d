"""Editing a plan: sections (sanitised HTML, autosave over htmx, conflicts and races), the tree of
focus areas, goals, activities and indicators, plans that can no longer be changed, and the
queries of the plan's pages."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from plans import services
from plans.models import Goal, Indicator, Plan, PlanFocusArea, Section
from tests.factories_plans import build_plan, focus_area
from tests.plan_forms import post_section

pytestmark = pytest.mark.django_db

# --- sections, sanitising, conflicts --------------------------------------------------------


def test_section_save_sanitises_html(client, chef):
    plan = build_plan()
    section = plan.sections.first()
    client.force_login(chef)
    body = (
        '<p onclick="x()" style="color:red">Hej <strong>där</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">farlig</a><a href="https://www.kb.se">KB</a>'
    )
    response = post_section(client, plan, section, section.version, body=body)
    assert response.status_code == 302
    section.refresh_from_db()
    assert "script" not in section.body and "onclick" not in section.body and "style" not in section.body
    assert "javascript:" not in section.body
    assert "<strong>där</strong>" in section.body and 'href="https://www.kb.se"' in section.body


def test_htmx_autosave_returns_status_with_new_version(client, chef):
    plan = build_plan()
    section = plan.sections.first()
    client.force_login(chef)
    response = post_section(client, plan, section, section.version, **{"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{section.version + 1}"' in html and "Sparat" in html


def test_second_save_with_stale_version_gets_conflict_view(client, chef, editor):
    plan = build_plan()
    section = plan.sections.first()
    version = section.version
    client.force_login(chef)
    assert post_section(client, plan, section, version, body="<p>Annas text</p>").status_code == 302
    client.force_login(editor)
    response = post_section(client, plan, section, version, body="<p>Eriks text</p>")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Annas text" in html and "Eriks text" in html
    assert "Ingenting har skrivits över" in html
    section.refresh_from_db()
    assert section.body == "<p>Annas text</p>"


def test_conflict_over_htmx_retargets_the_section(client, chef):
    plan = build_plan()
    section = plan.sections.first()
    client.force_login(chef)
    post_section(client, plan, section, section.version)
    response = post_section(client, plan, section, section.version, **{"HX-Request": "true"})
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#section-{section.pk}"


def post_details(client, plan, version, title, **headers):
    data = {"title": title, "first_year": 2026, "last_year": 2029, "version": version}
    return client.post(reverse("plans:details_save", args=[plan.pk]), data, headers=headers)


@pytest.mark.parametrize("htmx", [False, True])
def test_saving_the_title_from_a_stale_version_gets_a_conflict(client, chef, editor, htmx):
    plan = build_plan(title="Biblioteksplan")
    version = plan.version
    client.force_login(chef)
    assert post_details(client, plan, version, "Annas titel").status_code == 302
    client.force_login(editor)
    headers = {"HX-Request": "true"} if htmx else {}
    response = post_details(client, plan, version, "Eriks titel", **headers)
    html = response.content.decode()
    assert response.status_code == 409
    assert 'value="Annas titel"' in html and 'value="Eriks titel"' not in html  # the stored title
    assert f'value="{version + 1}"' in html  # the version to save from next
    if not htmx:
        assert "Någon annan ändrade titel eller period medan du redigerade." in html
    plan.refresh_from_db()
    assert plan.title == "Annas titel" and plan.version == version + 1


@pytest.mark.django_db(transaction=True)
def test_racing_saves_on_the_same_section_exactly_one_wins():
    """Two people save the same section at the same moment from the same version."""
    if connection.vendor != "postgresql":
        pytest.skip("The race needs real concurrent connections (PostgreSQL, as in CI).")
    from portal.models import Role
    from tests.factories import member

    plan = build_plan(sections=1)
    section = plan.sections.get()
    users = [member(Role.CHEF, "0880"), member(Role.EDITOR, "0880")]
    start = threading.Barrier(2)
    outcome = []

    def save(user, text):
        from django.db import connections

        try:
            start.wait()
            services.save_section(
                Section.objects.select_related("plan").get(pk=section.pk),
                user,
                version=section.version,
                heading="Rubrik",
                body=f"<p>{text}</p>",
            )
            outcome.append("saved")
        except services.Conflict:
            outcome.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(u, f"text {i}")) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome) == ["conflict", "saved"]
    section.refresh_from_db()
    assert section.version == 2


def test_adding_moving_and_removing_sections(client, chef):
    plan = build_plan(sections=2)
    client.force_login(chef)
    client.post(reverse("plans:section_add", args=[plan.pk]), {"heading": "Bilaga: statistik"})
    headings = list(plan.sections.values_list("heading", flat=True))
    assert headings == ["Avsnitt 0", "Avsnitt 1", "Bilaga: statistik"]
    last = plan.sections.get(heading="Bilaga: statistik")
    client.post(reverse("plans:item_move", args=[plan.pk, "avsnitt", last.pk]), {"direction": "up"})
    assert list(plan.sections.values_list("heading", flat=True)) == [
        "Avsnitt 0",
        "Bilaga: statistik",
        "Avsnitt 1",
    ]
    client.post(reverse("plans:item_delete", args=[plan.pk, "avsnitt", last.pk]))
    assert list(plan.sections.values_list("heading", flat=True)) == ["Avsnitt 0", "Avsnitt 1"]


def test_saving_a_removed_section_shows_the_text_instead_of_losing_it(client, chef, editor):
    plan = build_plan(sections=2)
    section = plan.sections.first()
    client.force_login(chef)
    client.post(reverse("plans:item_delete", args=[plan.pk, "avsnitt", section.pk]))
    client.force_login(editor)
    response = post_section(
        client,
        plan,
        section,
        section.version,
        heading="Inledning",
        body="<p>Min viktiga text</p>",
        **{"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#section-{section.pk}"
    assert (
        "Min viktiga text" in response.content.decode()
        and "Lägg till som nytt avsnitt" in response.content.decode()
    )


def test_large_primary_keys_are_not_grouped_in_ids_and_attributes(client, chef):
    """A database past 999 rows must not print "section-1 512": htmx targets and anchors break."""
    plan = build_plan(sections=0, areas=0)
    Section.objects.create(pk=123456, plan=plan, position=0, heading="Inledning", body="<p>Text</p>")
    client.force_login(chef)
    html = client.get(reverse("plans:edit", args=[plan.pk])).text
    assert 'id="section-123456"' in html
    assert "123\xa0456" not in html and "123 456" not in html


# --- focus areas, goals, activities, indicators ---------------------------------------------


def test_focus_area_goal_activity_indicator_with_swedish_decimals(client, editor):
    plan = build_plan(areas=0)
    client.force_login(editor)
    client.post(
        reverse("plans:item_add", args=[plan.pk, "fokusomrade"]),
        {
            "fokusomrade-new-national": focus_area("tillganglighet").pk,
            "fokusomrade-new-name": "Öppna bibliotek",
            "fokusomrade-new-description": "Fler timmar",
        },
    )
    area = PlanFocusArea.objects.get(plan=plan)
    client.post(
        reverse("plans:item_add", args=[plan.pk, "mal"]),
        {"under": area.pk, "mal-new-title": "Längre öppettider", "mal-new-description": ""},
    )
    goal = Goal.objects.get(focus_area=area)
    client.post(
        reverse("plans:item_add", args=[plan.pk, "insats"]),
        {
            "under": goal.pk,
            "insats-new-what": "Meröppet i Rinkabyholm",
            "insats-new-responsible": "Bibliotekschef",
            "insats-new-timing": "2027",
            "insats-new-status": "planned",
        },
    )
    response = client.post(
        reverse("plans:item_add", args=[plan.pk, "nyckeltal"]),
        {
            "under": goal.pk,
            "nyckeltal-new-name": "Öppettimmar per vecka",
            "nyckeltal-new-unit": "timmar",
            "nyckeltal-new-baseline_year": "2025",
            "nyckeltal-new-baseline_value": "142,5",
            "nyckeltal-new-target_year": "2029",
            "nyckeltal-new-target_value": "190",
            "nyckeltal-new-direction": "increase",
            "nyckeltal-new-value_2026": "150,25",
            "nyckeltal-new-value_2027": "",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(goal=goal)
    assert str(indicator.baseline_value) == "142.50"
    assert {v.year: str(v.value) for v in indicator.values.all()} == {2026: "150.25"}
    assert goal.activities.get().what == "Meröppet i Rinkabyholm"
    assert plan.versions.count() == 5


def test_bad_indicator_value_keeps_everything_and_says_why(client, chef):
    plan = build_plan(areas=1, goals=1, indicators=0)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(chef)
    response = client.post(
        reverse("plans:item_add", args=[plan.pk, "nyckeltal"]),
        {
            "under": goal.pk,
            "nyckeltal-new-name": "Utlån",
            "nyckeltal-new-baseline_value": "tolv",
            "nyckeltal-new-direction": "increase",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ange ett tal, till exempel 12,5." in html and 'value="Utlån"' in html
    assert not Indicator.objects.filter(goal=goal).exists()


def test_stale_goal_edit_is_a_conflict(client, chef):
    plan = build_plan(areas=1, goals=1)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(chef)
    url = reverse("plans:item_save", args=[plan.pk, "mal", goal.pk])
    prefix = f"mal-{goal.pk}"
    first = client.post(url, {f"{prefix}-title": "Första", f"{prefix}-version": goal.version})
    second = client.post(url, {f"{prefix}-title": "Andra", f"{prefix}-version": goal.version})
    assert first.status_code == 302 and second.status_code == 409
    goal.refresh_from_db()
    assert goal.title == "Första"


def test_htmx_item_save_returns_the_refreshed_tree(client, chef):
    plan = build_plan(areas=1, goals=1)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(chef)
    prefix = f"mal-{goal.pk}"
    response = client.post(
        reverse("plans:item_save", args=[plan.pk, "mal", goal.pk]),
        {f"{prefix}-title": "Nytt namn", f"{prefix}-version": goal.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="focus-tree"' in response.content.decode() and "Nytt namn" in response.content.decode()


def test_item_of_another_plan_is_404(client, chef):
    mine = build_plan(areas=1, goals=1)
    other = build_plan(areas=1, goals=1)
    goal = Goal.objects.get(focus_area__plan=other)
    client.force_login(chef)
    assert client.get(reverse("plans:item_save", args=[mine.pk, "mal", goal.pk])).status_code == 404


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", "abc", ""])
def test_odd_ids_in_query_strings_are_404_not_500(client, chef, value):
    plan = build_plan(areas=1, goals=1)
    client.force_login(chef)
    assert client.get(reverse("plans:item_add", args=[plan.pk, "mal"]), {"under": value}).status_code == 404
    assert client.get(reverse("plans:create"), {"fran": value}).status_code == 200


# --- plans that can no longer be changed ----------------------------------------------------


def test_adopted_plan_is_read_only(client, chef):
    plan = build_plan(status=Plan.Status.ADOPTED)
    section = plan.sections.first()
    client.force_login(chef)
    response = post_section(client, plan, section, section.version, body="<p>Ändrad</p>")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    section.refresh_from_db()
    assert section.body != "<p>Ändrad</p>"
    edit = client.get(reverse("plans:edit", args=[plan.pk]))
    assert edit.status_code == 302


@pytest.mark.parametrize(
    ("status", "told"),
    [
        (
            Plan.Status.ADOPTED,
            "En antagen plan kan inte ändras. Påbörja i stället ett nytt utkast utifrån den.",
        ),
        (Plan.Status.IN_REVIEW, "Planen granskas och kan inte ändras just nu."),
    ],
)
def test_writer_opening_a_read_only_plan_for_editing_is_told_why(client, chef, status, told):
    plan = build_plan(status=status)
    client.force_login(chef)
    response = client.get(reverse("plans:edit", args=[plan.pk]), follow=True)
    assert response.redirect_chain == [(reverse("plans:detail", args=[plan.pk]), 302)]
    assert told in response.content.decode()


def test_htmx_save_to_a_read_only_plan_is_sent_to_the_plan(client, chef):
    plan = build_plan(status=Plan.Status.IN_REVIEW)
    section = plan.sections.first()
    client.force_login(chef)
    response = post_section(client, plan, section, section.version, **{"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("plans:detail", args=[plan.pk])
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "Planen kan inte längre ändras: den är antagen eller under granskning. Ingenting sparades." in page
    section.refresh_from_db()
    assert section.body != "<p>Ny text</p>"


def test_plan_submitted_while_a_writer_saves_is_not_changed(client, chef, monkeypatch):
    """Someone submits the plan between the access check and the save: the writer is told,
    nothing is saved (the service's row lock sees the new status)."""
    plan = build_plan()
    section = plan.sections.first()
    save_section = services.save_section

    def submitted_meanwhile(*args, **kwargs):
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
        return save_section(*args, **kwargs)

    monkeypatch.setattr(services, "save_section", submitted_meanwhile)
    client.force_login(chef)
    response = post_section(client, plan, section, section.version, body="<p>Ändrad</p>")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    section.refresh_from_db()
    assert section.body != "<p>Ändrad</p>"


# --- queries --------------------------------------------------------------------------------


def test_plan_pages_queries_do_not_grow_with_plan_size(client, chef, count_queries):
    small = build_plan(sections=1, areas=1, goals=1, activities=1, indicators=1)
    large = build_plan(sections=10, areas=8, goals=5, activities=3, indicators=2)
    client.force_login(chef)
    for name in ("plans:detail", "plans:edit"):
        counts = [count_queries(client, reverse(name, args=[plan.pk])) for plan in (small, large)]
        assert counts[0] == counts[1], name
