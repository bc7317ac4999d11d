"""How a plan's history is stored (issue 14, item 6: every change stored a full snapshot; 10,000
changes made a 257 MB versions table). Sections, goals and focus areas are stored once per plan
and versions refer to them, so the history grows with the changes, not with the plan; reading a
version, the diff and restoring work as before; existing versions are converted by a migration."""

import json

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from plans import history, services
from plans.models import Plan, PlanVersionPart, Section
from tests.factories_plans import build_plan

pytestmark = pytest.mark.django_db

TEXT = "<p>" + "Biblioteken i kommunen arbetar med läsfrämjande och digital delaktighet. " * 55 + "</p>"


def history_bytes(plan: Plan) -> int:
    """What the plan's history takes in the database: every row of its history tables, as JSON."""
    total = 0
    for model in apps.get_app_config("plans").get_models():
        if model.__name__.startswith("PlanVersion"):
            for row in model.objects.filter(plan=plan).values():
                total += len(json.dumps(row, default=str, ensure_ascii=False).encode())
    return total


def _alternate_edits(plan: Plan, user, count: int) -> None:
    """`count` changes, each a new version: small edits to two sections in turn."""
    first, second = plan.sections.order_by("position")[:2]
    for n in range(count):
        section = Section.objects.select_related("plan").get(pk=(first, second)[n % 2].pk)
        services.save_section(
            section, user, version=section.version, heading=section.heading, body=f"{TEXT}<p>Ändring {n}</p>"
        )


def test_the_history_grows_with_the_change_not_with_the_plan(chef):
    plan = build_plan(sections=10, areas=4, goals=4)
    Section.objects.filter(plan=plan).update(body=TEXT)
    history.record_version(plan, chef, "Texterna skrivna")
    plan_size = len(json.dumps(plan.versions.first().snapshot, ensure_ascii=False).encode())
    before = history_bytes(plan)
    _alternate_edits(plan, chef, 20)
    assert plan.versions.count() == 22
    per_change = (history_bytes(plan) - before) / 20
    assert plan_size > 50_000
    assert per_change < len(TEXT.encode()) + 2_000  # about one section's text, not the whole plan


def test_every_version_reads_back_as_it_was_saved(client, chef):
    plan = build_plan(sections=3, areas=2, goals=2)
    expected = {1: history.snapshot(plan)}
    for n in range(4):
        section = Section.objects.select_related("plan").filter(plan=plan).order_by("position")[n % 3]
        services.save_section(
            section, chef, version=section.version, heading=f"Rubrik {n}", body=f"<p>{n}</p>"
        )
        expected[plan.versions.first().number] = history.snapshot(plan)
    goal = plan.focus_areas.first().goals.first()
    goal.title = "Nytt mål"
    goal.save()
    history.record_version(plan, chef, "Bytte namn på ett mål")
    expected[plan.versions.first().number] = history.snapshot(plan)
    for version in plan.versions.all():
        assert version.snapshot == expected[version.number]
    client.force_login(chef)
    diff = client.get(reverse("plans:compare", args=[plan.pk]) + "?fran=1&till=6").content.decode()
    assert "Nytt mål" in diff and "Rubrik 3" in diff


def test_folded_autosaves_leave_no_parts_behind(chef):
    plan = build_plan(sections=2, areas=1, goals=1)
    section = Section.objects.select_related("plan").filter(plan=plan).first()
    for text in ("a", "ab", "abc", "abcd"):
        section = services.save_section(
            section, chef, version=section.version, heading="H", body=f"<p>{text}</p>"
        )
    assert plan.versions.count() == 2
    used = set()
    for version in plan.versions.all():
        used |= PlanVersionPart.objects.ids_in(version.content)
    assert set(PlanVersionPart.objects.filter(plan=plan).values_list("pk", flat=True)) == used
    assert plan.versions.first().snapshot["sections"][0]["body"] == "<p>abcd</p>"


def test_restoring_reuses_the_stored_parts(client, chef):
    plan = build_plan(sections=2, areas=1, goals=1)
    _alternate_edits(plan, chef, 2)
    parts = PlanVersionPart.objects.filter(plan=plan).count()
    client.force_login(chef)
    response = client.post(reverse("plans:restore", args=[plan.pk, 1]))
    assert response.status_code == 302
    assert PlanVersionPart.objects.filter(plan=plan).count() == parts
    restored = plan.versions.first()
    assert restored.number == 4 and restored.snapshot == plan.versions.get(number=1).snapshot
    assert [s.body for s in plan.sections.all()] == [s["body"] for s in restored.snapshot["sections"]]
    assert client.get(reverse("plans:history", args=[plan.pk])).status_code == 200


def test_a_deleted_plan_takes_its_history_with_it(chef):
    plan = build_plan(sections=2, areas=1, goals=1)
    _alternate_edits(plan, chef, 2)
    plan.delete()
    assert not PlanVersionPart.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_existing_versions_and_joins_them_back():
    before, after = (
        [("plans", "0003_attachment_document_path")],
        [("plans", "0004_plan_versions_stored_as_shared_parts")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldPlan, OldVersion = old_apps.get_model("plans", "Plan"), old_apps.get_model("plans", "PlanVersion")
        Organisation = old_apps.get_model("portal", "Organisation")
        plan = OldPlan.objects.create(
            organisation=Organisation.objects.get(code="0880"),
            kind="municipal",
            title="Gammal plan",
            first_year=2026,
            last_year=2029,
        )
        goal = {"title": "Mål", "description": "", "activities": [], "indicators": []}
        area = {
            "national_id": 1,
            "national": "Läsfrämjande",
            "name": "Läsa",
            "description": "",
            "goals": [goal],
        }
        snapshots = [
            {
                "title": "Gammal plan",
                "first_year": 2026,
                "last_year": 2029,
                "sections": [
                    {"heading": "Inledning", "body": TEXT},
                    {"heading": "Mål", "body": f"<p>{n}</p>"},
                ],
                "focus_areas": [area],
            }
            for n in range(3)
        ]
        for number, snapshot in enumerate(snapshots, start=1):
            OldVersion.objects.create(plan=plan, number=number, summary="Ändrade", snapshot=snapshot)

        executor.loader.build_graph()
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        Version, Part = (
            new_apps.get_model("plans", "PlanVersion"),
            new_apps.get_model("plans", "PlanVersionPart"),
        )
        contents = [v.content for v in Version.objects.filter(plan_id=plan.pk).order_by("number")]
        assert all(isinstance(ref, int) for c in contents for ref in c["sections"] + c["focus_areas"])
        # the introduction, the three texts of "Mål", the goal and the focus area: six parts, not 3 × 4
        assert Part.objects.filter(plan_id=plan.pk).count() == 6
        assert [PlanVersionPart.objects.expand(c) for c in contents] == snapshots

        executor.loader.build_graph()
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        OldVersion = old_apps.get_model("plans", "PlanVersion")
        assert [
            v.snapshot for v in OldVersion.objects.filter(plan_id=plan.pk).order_by("number")
        ] == snapshots
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
