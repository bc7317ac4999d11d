"""A regional consultant downloads the plan overview and the registrations from the list pages."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from calendar_app.models import Registration
from plans.models import Plan
from portal.models import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member, organisation
from tests.factories_calendar import EventFactory, RegistrationFactory
from tests.factories_plans import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_exports_the_filtered_plan_list_and_the_registrations(checked):
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    PlanFactory(title="Biblioteksplan Kalmar", status=Plan.Status.ADOPTED)
    PlanFactory(title='=HYPERLINK("http://evil.example")', organisation=organisation("0881"))
    PlanFactory(
        title="Biblioteksplan Karlstad", organisation=organisation("1780"), status=Plan.Status.ADOPTED
    )
    event = EventFactory(title="Läsfrämjande för små barn")
    RegistrationFactory(event=event, name="Åsa Öberg", email="asa@example.se")
    RegistrationFactory(event=event, name="Bo Ek", status=Registration.Status.WAITLISTED)

    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page = checked.goto(f"/planer/?region={organisation('08').pk}")
    with page.expect_download() as download_info:
        page.locator("a[href*='biblioteksplaner.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.startswith("biblioteksplaner-")
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    titles = sorted(row[4] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert titles == ['\'=HYPERLINK("http://evil.example")', "Biblioteksplan Kalmar"]

    page = checked.goto("/kalendarium/")
    with page.expect_download() as download_info:
        page.locator("a[href*='anmalningar.csv']").click()
    download = download_info.value
    assert download.suggested_filename.startswith("anmalningar-")
    text = Path(download.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Åsa Öberg" in text and "Bo Ek" in text and "Läsfrämjande för små barn" in text
