"""The report tests' known data set, and reading the tables of a report's collected data."""

from datetime import date

from plans.models import Plan, PlanFocusArea
from portal.models import FocusArea
from tests.factories import organisation
from tests.factories_plans import PlanFactory, adopted_plan

YEAR = 2026  # the year the reports cover; the data set below is built around it


def known_plans() -> Plan:
    """Kalmar län (08, 12 municipalities): Kalmar in force, Nybro expired 2024 (still current),
    Västervik expired 2023 (not current); Borgholm adopted mid-2026 for 2026–2029 (current in 2026,
    not in 2025). Gotland (09) has both a municipal and a regional plan. Region Kalmar län has a
    regional plan ending 2026 (expiring). Region Norrbotten (25) has nothing. Returns Kalmar's plan
    (it has one focus area, "Öppna bibliotek")."""
    kalmar = adopted_plan("0880", first_year=2024, last_year=2027, adopted_on=date(2023, 11, 27))
    adopted_plan("0881", first_year=2021, last_year=2024, adopted_on=date(2020, 12, 1))
    adopted_plan(
        "0883",
        first_year=2020,
        last_year=2023,
        adopted_on=date(2019, 12, 16),
        title="Biblioteksplan Västervik",
    )
    adopted_plan("0885", first_year=2026, last_year=2029, adopted_on=date(2026, 6, 15))
    adopted_plan("0980", first_year=2025, last_year=2028, adopted_on=date(2025, 3, 1))
    adopted_plan("09", first_year=2025, last_year=2028, adopted_on=date(2025, 3, 1), kind=Plan.Kind.REGIONAL)
    adopted_plan(
        "08",
        first_year=2023,
        last_year=2026,
        adopted_on=date(2022, 12, 8),
        kind=Plan.Kind.REGIONAL,
        title="Regional biblioteksplan Kalmar län",
    )
    PlanFactory(organisation=organisation("0882"), title="Utkast Oskarshamn")  # a draft
    area = FocusArea.objects.get(slug="tillganglighet")
    PlanFocusArea.objects.create(plan=kalmar, national=area, name="Öppna bibliotek")
    return kalmar


def table_rows(data, key):
    """The rows of the table `key` (as in the XLSX)."""
    return next(t for t in data["tables"] if t["key"] == key)["rows"]


def table_groups(data, key):
    """The names of the table `key` grouped by label (as the PDF prints them)."""
    return {g["label"]: g["items"] for g in next(t for t in data["tables"] if t["key"] == key)["groups"]}
