import re

import pytest

from plans.models import Indicator, Plan
from portal.models import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chef_writes_a_plan_end_to_end(checked):
    member(Role.CHEF, "0880", first_name="Anna", last_name="Lindqvist", email="anna@kalmar.example.se")
    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)

    page.get_by_role("link", name="Biblioteksplaner").first.click()
    checked.check("plan_list")
    page.get_by_role("link", name="Ny plan").click()
    checked.check("create")
    page.get_by_label("Titel").fill("Biblioteksplan för Kalmar kommun 2027–2030")
    page.get_by_label("Första år").fill("2027")
    page.get_by_label("Sista år").fill("2030")
    page.get_by_label("Kommunal biblioteksplan").check()
    page.get_by_role("button", name="Skapa planen").click()
    checked.check("edit")
    assert page.get_by_text("Planen har skapats.").is_visible()
    plan = Plan.objects.get()

    # Write in the first section with the rich-text editor; autosave shows "Sparat".
    section = plan.sections.first()
    editor = page.locator(f"#section-{section.pk} .rich-editor")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Biblioteken i Kalmar ska vara öppna för alla.")
    page.locator(f"#section-{section.pk}").get_by_role("button", name="Fetstil").click()
    page.keyboard.type(" Läsning först!")
    status = page.locator(f"#section-status-{section.pk} .save-status")
    status.filter(has_text=re.compile("Sparat")).wait_for()
    section.refresh_from_db()
    assert "öppna för alla" in section.body and "<b>" in section.body or "<strong>" in section.body

    # A focus area, a goal, an activity and an indicator (htmx, in place).
    page.get_by_role("link", name="Lägg till ett fokusområde").click()
    page.get_by_label("Nationellt fokusområde").select_option(label="Tillgänglighet")
    page.get_by_label("Namn i planen").fill("Ett bibliotek för alla")
    page.locator("#slot-add-focus").get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="1. Ett bibliotek för alla").wait_for()
    checked.check("focus_area")

    page.get_by_role("link", name="Lägg till ett mål").click()
    page.locator("#id_mal-new-title").fill("Längre öppettider på filialerna")
    page.locator("[id^=slot-add-goal]").get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name=re.compile("Längre öppettider")).wait_for()

    page.get_by_role("link", name="Lägg till en insats").click()
    page.locator("#id_insats-new-what").fill("Meröppet i Rinkabyholm")
    page.locator("#id_insats-new-responsible").fill("Bibliotekschef")
    page.locator("#id_insats-new-timing").fill("2027")
    page.locator("[id^=slot-add-]").get_by_role("button", name="Spara").click()
    page.get_by_role("cell", name="Meröppet i Rinkabyholm", exact=True).wait_for()

    page.get_by_role("link", name="Lägg till ett nyckeltal").click()
    page.locator("#id_nyckeltal-new-name").fill("Öppettimmar per vecka")
    page.locator("#id_nyckeltal-new-baseline_value").fill("142,5")
    page.locator("#id_nyckeltal-new-target_value").fill("190")
    page.locator("#id_nyckeltal-new-value_2027").fill("150")
    page.locator("[id^=slot-add-]").get_by_role("button", name="Spara").click()
    page.get_by_role("cell", name="Öppettimmar per vecka", exact=True).wait_for()
    checked.check("tree")
    assert str(Indicator.objects.get().baseline_value) == "142.50"

    # Reload: everything is still there.
    page.reload()
    checked.check("reloaded")
    assert "öppna för alla" in page.locator(f"#section-{section.pk} .rich-editor").inner_text()
    assert page.get_by_role("cell", name="Meröppet i Rinkabyholm", exact=True).is_visible()

    # History and the diff.
    page.get_by_role("link", name="Historik").click()
    checked.check("history")
    page.get_by_role("button", name="Visa ändringarna").click()
    checked.check("diff")
    assert page.get_by_text(re.compile("Öppettimmar per vecka")).first.is_visible()

    # The PDF, from the plan's own page.
    page = checked.goto(f"/planer/{plan.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_public_reads_an_adopted_plan(checked):
    from tests.factories_plans import build_plan

    plan = build_plan(
        status=Plan.Status.ADOPTED, title="Biblioteksplan för Kalmar kommun", first_year=2024, last_year=2027
    )
    page = checked.goto("/planer/")
    page.get_by_role("link", name="Biblioteksplan för Kalmar kommun").click()
    checked.check("public_plan")
    assert page.get_by_role("heading", level=1).inner_text() == "Biblioteksplan för Kalmar kommun"
    assert plan.sections.count() == 3
