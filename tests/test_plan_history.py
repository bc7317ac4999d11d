"""A plan's history: versions, diffs and restores; autosaves of a section fold into one version;
summaries are stored in Swedish."""

import pytest
from django.urls import reverse

from plans import services
from plans.models import Plan, Section
from tests.factories_plans import PlanFactory, build_plan
from tests.plan_forms import post_section

pytestmark = pytest.mark.django_db


def test_history_diff_and_restore(client, chef):
    plan = build_plan(sections=1)
    section = plan.sections.get()
    client.force_login(chef)
    post_section(client, plan, section, section.version, heading="Avsnitt 0", body="<p>Helt ny mening.</p>")
    assert plan.versions.count() == 2
    page = client.get(reverse("plans:history", args=[plan.pk]))
    assert "Redigerade avsnittet" in page.content.decode()
    diff = client.get(reverse("plans:compare", args=[plan.pk]) + "?fran=1&till=2").content.decode()
    assert (
        "Helt ny mening." in diff and "diff-line--added" in diff and "Text 0 om bibliotekens arbete." in diff
    )
    response = client.post(reverse("plans:restore", args=[plan.pk, 1]))
    assert response.status_code == 302
    assert plan.versions.count() == 3
    assert plan.versions.first().summary == "Återställde version 1"
    assert "Text 0" in plan.sections.get().body


def test_autosaves_of_the_same_section_fold_into_one_version(chef):
    plan = build_plan(sections=1)
    section = Section.objects.select_related("plan").get(plan=plan)
    for text in ("a", "ab", "abc"):
        section = services.save_section(
            section, chef, version=section.version, heading="H", body=f"<p>{text}</p>"
        )
    assert plan.versions.count() == 2
    assert plan.versions.first().snapshot["sections"][0]["body"] == "<p>abc</p>"


def test_restore_with_a_removed_national_focus_area_is_refused_clearly(client, chef):
    plan = build_plan(areas=1, goals=1)
    version = plan.versions.get()
    snapshot = version.snapshot
    snapshot["focus_areas"][0]["national_id"] = 999_999
    version.snapshot = snapshot
    version.save()
    client.force_login(chef)
    response = client.post(reverse("plans:restore", args=[plan.pk, version.number]), follow=True)
    assert "inte längre finns i den nationella katalogen" in response.content.decode()
    assert plan.versions.count() == 1


def test_history_summaries_are_stored_in_swedish_for_english_users(client, chef):
    plan = build_plan(sections=1)
    section = plan.sections.get()
    client.force_login(chef)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    post_section(client, plan, section, section.version, heading="Avsnitt 0")
    assert plan.versions.first().summary == "Redigerade avsnittet ”Avsnitt 0”"


def _plan_with_two_versions(chef, **kwargs):
    """A plan whose only section was edited once: version 1 has "Text 0 …", version 2 "Ändrad"."""
    plan = build_plan(sections=1, **kwargs)
    section = Section.objects.select_related("plan").get(plan=plan)
    services.save_section(section, chef, version=section.version, heading="H", body="<p>Ändrad</p>")
    return plan


@pytest.mark.parametrize("status", [Plan.Status.ADOPTED, Plan.Status.IN_REVIEW])
def test_a_version_of_a_plan_that_cannot_be_changed_is_not_restored(client, chef, status):
    plan = _plan_with_two_versions(chef)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    with pytest.raises(services.NotEditable):
        services.restore(plan, chef, plan.versions.get(number=1))
    client.force_login(chef)
    history = client.get(reverse("plans:history", args=[plan.pk])).content.decode()
    assert reverse("plans:restore", args=[plan.pk, 1]) not in history  # no button either
    response = client.post(reverse("plans:restore", args=[plan.pk, 1]), follow=True)
    assert "Planen kan inte längre ändras" in response.content.decode()
    assert plan.versions.count() == 2
    assert plan.sections.get().body == "<p>Ändrad</p>"


def test_a_draft_offers_to_restore_its_earlier_versions(client, chef):
    plan = _plan_with_two_versions(chef)
    client.force_login(chef)
    history = client.get(reverse("plans:history", args=[plan.pk])).content.decode()
    assert reverse("plans:restore", args=[plan.pk, 1]) in history
    assert reverse("plans:restore", args=[plan.pk, 2]) not in history  # the current one


def test_restoring_a_title_another_plan_now_has_is_refused_clearly(client, chef):
    plan = build_plan(sections=1, title="Biblioteksplan 2026–2029")
    services.save_plan_details(
        plan, chef, version=plan.version, title="Gamla planen", first_year=2026, last_year=2029
    )
    PlanFactory(title="biblioteksplan 2026–2029")  # the same organisation, the title in other case
    client.force_login(chef)
    response = client.post(reverse("plans:restore", args=[plan.pk, 1]), follow=True)
    assert response.status_code == 200
    assert (
        "En annan av organisationens planer heter nu ”Biblioteksplan 2026–2029”" in response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.title == "Gamla planen" and plan.versions.count() == 2
