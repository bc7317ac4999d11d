"""KB maintains a catalogue; a chef records the development staircase; the consultant compares
the region's municipalities – every page checked with axe."""

import pytest
from django.utils import timezone

from portal.models import QualityCriterion, Role, StaircaseArea, StaircaseAssessment
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member, organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THIS_YEAR = timezone.localdate().year


def test_catalogue_and_staircase_pages(checked):
    member(Role.KB, "KB", first_name="Karin", last_name="Ekström", email="karin@kb.example.se")
    member(Role.CHEF, "0880", first_name="Anna", last_name="Lindqvist", email="anna@kalmar.example.se")
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    area = StaircaseArea.objects.first()
    StaircaseAssessment.objects.create(
        organisation=organisation("0880"), area=area, year=THIS_YEAR - 1, level=1
    )

    page = log_in(checked, "karin@kb.example.se", PASSWORD)
    page.get_by_role("link", name="Kataloger").click()
    checked.check("catalogues")
    page.get_by_role("link", name="Nytt kvalitetskriterium").click()
    checked.check("new_criterion")
    page.get_by_role("button", name="Spara").click()
    checked.check("criterion_errors")
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Namn").fill("Lättläst och tillgängliga medier")
    page.get_by_label("Beskrivning").fill("Planen beskriver utbudet av lättläst och talböcker.")
    page.get_by_role("button", name="Spara").click()
    checked.check("criterion_saved")
    assert QualityCriterion.objects.filter(name="Lättläst och tillgängliga medier").exists()
    page.get_by_role("button", name="Logga ut").click()

    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)
    page.get_by_role("link", name="Utvecklingstrappa").first.click()
    checked.check("staircase")
    page.get_by_role("group", name=area.name).get_by_label("3.", exact=False).check()
    page.get_by_label(f"Kommentar till ”{area.name}”").fill("Uppföljningen används i verksamhetsplaneringen.")
    page.get_by_role("button", name="Spara nivåerna").click()
    checked.check("staircase_saved")
    assert page.get_by_role("row", name=area.name).get_by_text("upp från 1").is_visible()
    page.get_by_role("button", name="Logga ut").click()

    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page.get_by_role("link", name="Utvecklingstrappa").first.click()
    checked.check("staircase_region")
    assert page.get_by_role("row", name="Kalmar").get_by_text("upp från 1").is_visible()
    page = checked.goto("/planer/granskning/")
    assert page.get_by_text("Inga planer väntar på granskning just nu.").is_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    checked.goto("/planer/region/08/")
