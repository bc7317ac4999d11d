"""The national report: figures checked against a known data set (`known_plans`), in the XLSX
and the PDF."""

import io
from datetime import date

import openpyxl
import pytest
from django.utils import translation
from pypdf import PdfReader

from overview.models import ReportJob
from overview.reports import services
from overview.reports.national import NationalReport
from plans.models import Plan, PlanFocusArea
from portal.models import Organisation
from tests.factories import organisation
from tests.factories_plans import adopted_plan
from tests.report_data import YEAR, table_groups, table_rows

pytestmark = pytest.mark.django_db


def test_national_figures(known_plans):
    from django.utils import translation

    with translation.override("sv"):
        data = NationalReport(YEAR).collect()
    summary = data["summary"]
    # Current municipal plans in 2026: Kalmar, Nybro (expired 2024), Borgholm, Gotland = 4 of 290.
    assert summary["municipalities_with_plan"] == 4
    assert summary["municipal_share"] == "1,4\xa0%"
    # Regional: Gotland and Kalmar län.
    assert summary["regions_with_plan"] == 2
    regions = {row[0]: row for row in table_rows(data, "regions")}
    assert regions["08"][2:6] == [12, 3, 25.0, "Ja"]
    assert regions["09"][2:6] == [1, 1, 100.0, "Ja"]
    assert regions["25"][2:6] == [14, 0, 0.0, "Nej"]
    # Trend: Borgholm (a plan from 2026) does not count for 2025; Västervik counts in 2025.
    trend = {row[0]: row for row in table_rows(data, "trend")}
    assert trend["2025"][1] == 4  # Kalmar, Nybro, Västervik, Gotland
    assert trend["2026"][1] == 4  # Kalmar, Nybro, Borgholm, Gotland
    # Expiring within a year: the regional plan of Kalmar län (ends 2026).
    assert [row[2] for row in table_rows(data, "expiring")] == ["Regional biblioteksplan Kalmar län"]
    # Organisations without a current plan: Västervik, Oskarshamn (draft) and Norrbotten are listed.
    missing = {row[0]: row for row in table_rows(data, "missing")}
    assert {"0883", "0882", "25", "2584"} <= set(missing)
    assert "0880" not in missing and "0980" not in missing and "09" not in missing
    assert missing["0883"][2:] == ["Region Kalmar län", "Biblioteksplan Västervik", "2020–2023", "Antagen"]
    assert missing["25"][2:] == ["Regional plan", "–", "–", "Ingen plan i portalen"]
    # The PDF prints both lists grouped by region: municipalities in code order, regions last.
    expiring = table_groups(data, "expiring")
    assert expiring == {"Regionala biblioteksplaner": ["Region Kalmar län"]}
    groups = table_groups(data, "missing")
    assert list(groups)[0] == "Region Stockholm" and list(groups)[-1] == "Regionala biblioteksplaner"
    kalmar_lan = groups["Region Kalmar län"]
    assert "Västervik (plan för 2020–2023)" in kalmar_lan  # adopted, expired more than two years ago
    assert "Oskarshamn (ny plan för 2026–2029: utkast)" in kalmar_lan
    assert "Mönsterås" in kalmar_lan  # a bare name: no plan in the portal
    assert not {"Kalmar", "Nybro", "Borgholm"} & {item.split(" (")[0] for item in kalmar_lan}
    assert "Region Norrbotten" in groups["Regionala biblioteksplaner"]
    assert sum(len(items) for items in groups.values()) == len(missing)
    status = {row[0]: row[1] for row in table_rows(data, "status")}
    assert status["Antagen och gällande"] == 5  # Kalmar, Borgholm, Gotland (m), Gotland (r), Kalmar län (r)
    assert status["Utgången, fortfarande aktuell"] == 1  # Nybro
    assert status["Utgången för mer än två år sedan"] == 1  # Västervik
    assert status["En ny plan håller på att tas fram"] == 1  # Oskarshamn
    assert sum(status.values()) == 311
    review = {row[0]: row[1] for row in table_rows(data, "review")}
    assert review == {"Granskad före antagandet": 0, "Antagen utan granskning i portalen": 6}
    focus = {row[0]: row for row in table_rows(data, "focus")}
    assert focus["Tillgänglighet"][1:] == [1, round(100 / 6, 1)]


def test_a_plan_counts_from_the_year_it_was_adopted(db):
    """Plans whose periods cover the whole trend, adopted late: each counts only from its year
    of adoption, in the trend, the year's figures and the list of who has no current plan."""
    adopted_plan("0880", first_year=2022, last_year=2027, adopted_on=date(2024, 11, 1))
    adopted_plan("0881", first_year=2022, last_year=2026, adopted_on=date(YEAR + 1, 2, 1))
    adopted_plan("08", first_year=2022, last_year=2027, adopted_on=date(2025, 3, 1), kind=Plan.Kind.REGIONAL)
    with translation.override("sv"):
        data = NationalReport(YEAR).collect()
    trend = {row[0]: (row[1], row[3]) for row in table_rows(data, "trend")}
    assert trend == {
        "2022": (0, 0),
        "2023": (0, 0),
        "2024": (1, 0),  # Kalmar, adopted in November
        "2025": (1, 1),  # and Region Kalmar län
        "2026": (1, 1),  # Nybro's plan for 2022–2026 was adopted only in 2027
    }
    assert data["summary"]["municipalities_with_plan"] == 1
    missing = {row[0] for row in table_rows(data, "missing")}
    assert "0881" in missing and "0880" not in missing and "08" not in missing


def test_printed_lists_group_names_by_region(db):
    """Municipal plans expiring in two regions and a regional one; an organisation with two plans
    ending this year is named once; the regional plans come last. Names are escaped."""
    from django.template.loader import render_to_string

    adopted_plan("0880", first_year=2023, last_year=2026, adopted_on=date(2022, 11, 1))
    adopted_plan("0881", first_year=2023, last_year=2026, adopted_on=date(2022, 11, 1))
    # a second plan of Nybro ending 2026:
    adopted_plan("0881", first_year=2024, last_year=2026, adopted_on=date(2023, 11, 1))
    adopted_plan("1480", first_year=2023, last_year=2026, adopted_on=date(2022, 11, 1))
    adopted_plan("08", first_year=2023, last_year=2026, adopted_on=date(2022, 12, 8), kind=Plan.Kind.REGIONAL)
    Organisation.objects.filter(code="0882").update(name="Ö & <Å>")
    report = NationalReport(YEAR)
    with translation.override("sv"):
        data = report.collect()
        html = render_to_string(report.template, {"static_prefix": "static:/", **report.context(data)})
    assert list(table_groups(data, "expiring").items()) == [
        ("Region Kalmar län", ["Kalmar", "Nybro"]),
        ("Västra Götalandsregionen", ["Göteborg"]),
        ("Regionala biblioteksplaner", ["Region Kalmar län"]),
    ]
    assert len(table_rows(data, "expiring")) == 5  # the XLSX keeps every plan
    groups = table_groups(data, "missing")
    assert list(groups)[0] == "Region Stockholm" and list(groups)[-1] == "Regionala biblioteksplaner"
    assert "Ö & <Å>" in groups["Region Kalmar län"]
    assert "Ö &amp; &lt;Å&gt;" in html and "<Å>" not in html
    assert "<strong>Region Kalmar län (2)</strong> Kalmar, Nybro</li>" in html
    tables = {t["key"]: t for t in report.context(data)["tables"]}
    assert tables["expiring"]["keep"] and not tables["missing"]["keep"]  # 4 names; about 300


def test_an_empty_list_says_none(db):
    report = NationalReport(YEAR)
    with translation.override("sv"):
        data = report.collect()
        context = report.context(data)
    assert table_groups(data, "expiring") == {}
    from django.template.loader import render_to_string

    section = render_to_string("reports/_table.html", {"t": context["tables"][2]})
    assert context["tables"][2]["key"] == "expiring" and "Inga." in section and "<ul" not in section


def test_report_files_carry_the_same_figures(known_plans, kb):
    job = services.request_report("national", {"year": YEAR}, kb)
    assert job.status == ReportJob.Status.DONE and job.page_count >= 5
    workbook = openpyxl.load_workbook(io.BytesIO(job.xlsx.read()))
    sheet = workbook["Aktuella planer per region"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["08"][2:6] == (12, 3, 25, "Ja")
    assert "Utveckling över tid" in workbook.sheetnames
    missing = workbook["Organisationer utan aktuell pla"]  # Excel allows 31 characters
    assert [c.value for c in missing[1]] == [
        "Kod",
        "Organisation",
        "Region",
        "Senaste plan i portalen",
        "Period",
        "Status",
    ]
    assert (
        "0883",
        "Västervik",
        "Region Kalmar län",
        "Biblioteksplan Västervik",
        "2020–2023",
        "Antagen",
    ) in set(missing.iter_rows(min_row=2, values_only=True))
    reader = PdfReader(io.BytesIO(job.pdf.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "4 av 290 kommuner (1,4 %) har en aktuell antagen biblioteksplan" in " ".join(text.split())
    assert "Innehåll" in text
    flat = " ".join(text.split())
    assert "Regionala biblioteksplaner (1) Region Kalmar län" in flat  # expiring within a year
    assert "Planerna gäller till och med 2026." in flat
    assert "Västervik (plan för 2020–2023)" in flat and "Region Norrbotten" in flat  # no current plan
    assert "XLSX-filen har listan som tabell, med koder." in flat
    assert reader.metadata.title == "Nationell uppföljning av biblioteksplaner 2026"


def test_same_data_gives_the_same_pdf(known_plans):
    """Same text, same pages. (Byte for byte the embedded font subsets differ between renders, so
    the portal serves the cached file for the same data: see the test above.)"""
    report = NationalReport(YEAR)
    from django.utils import translation

    with translation.override("sv"):
        data = report.collect()
    first, second = (PdfReader(io.BytesIO(report.render_pdf(data)[0])) for _ in range(2))
    assert [p.extract_text() for p in first.pages] == [p.extract_text() for p in second.pages]


def test_xlsx_neutralises_formulas(db):
    report = NationalReport(YEAR)
    data = {
        "tables": [
            {
                "key": "x",
                "title": "Test",
                "headers": ["a"],
                "rows": [['=HYPERLINK("x")'], ["+1"], ["@SUM(A1)"], [5]],
            }
        ]
    }
    sheet = openpyxl.load_workbook(io.BytesIO(report.render_xlsx(data)))["Test"]
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ['\'=HYPERLINK("x")', "'+1", "'@SUM(A1)", 5]


def test_national_report_queries_are_bounded(known_plans, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        NationalReport(YEAR).collect()


def test_national_report_counts_reviews_criteria_indicators_and_staircase(known_plans):
    from decimal import Decimal

    from django.utils import translation

    from plans.models import Assessment, FollowUp, Goal, Indicator, IndicatorFollowUp, Review
    from portal.models import QualityCriterion, StaircaseArea, StaircaseAssessment

    review = Review.objects.create(
        plan=known_plans,
        reviewing_organisation=organisation("08"),
        version_number=1,
        state=Review.State.CLOSED,
    )
    children = QualityCriterion.objects.get(name__icontains="Barn och unga")
    Assessment.objects.create(review=review, criterion=children, rating="partly")
    goal = Goal.objects.create(focus_area=PlanFocusArea.objects.get(plan=known_plans), title="Fler lån")
    indicator = Indicator.objects.create(
        goal=goal, name="Lån per invånare", baseline_value=Decimal("5"), target_value=Decimal("6")
    )
    follow_up = FollowUp.objects.create(plan=known_plans, year=YEAR)
    IndicatorFollowUp.objects.create(follow_up=follow_up, indicator=indicator, value=Decimal("6.2"))
    area = StaircaseArea.objects.first()
    StaircaseAssessment.objects.create(organisation=organisation("0880"), area=area, year=YEAR, level=2)
    StaircaseAssessment.objects.create(organisation=organisation("0881"), area=area, year=YEAR, level=3)
    with translation.override("sv"):
        data = NationalReport(YEAR).collect()
    assert {row[0]: row[1] for row in table_rows(data, "review")}["Granskad före antagandet"] == 1
    criteria = {row[0]: row[1:] for row in table_rows(data, "criteria")}
    assert criteria[children.name] == [0, 1, 0, 0.0]
    indicators = {row[0]: row[1] for row in table_rows(data, "indicators")}
    assert indicators == {
        "Rapporterade nyckeltalsvärden": 1,
        "Bättre än utgångsläget": 1,
        "Målvärdet nått": 1,
    }
    assert {row[0]: row[1:] for row in table_rows(data, "staircase")}[area.name] == [2, 2.5]


def test_national_report_key_figures_from_the_library_statistics(db):
    """Imported key figures of the municipalities: the latest year up to the report's."""
    from decimal import Decimal

    from portal.models import IndicatorDefinition, StatisticValue

    visits = IndicatorDefinition.objects.get(name="Fysiska besök per invånare")
    for code, year, value in [
        ("0880", 2025, "4.00"),
        ("0881", 2025, "5.00"),
        ("0980", 2025, "9.00"),  # Gotland, the municipality
        ("09", 2025, "100"),  # Region Gotland: not a municipality, not counted
        ("0880", 2024, "1"),  # an older year: not shown
        ("0880", 2027, "99"),  # after the report's year: not shown
    ]:
        StatisticValue.objects.create(
            organisation=organisation(code), indicator=visits, year=year, value=Decimal(value)
        )
    with translation.override("sv"):
        data = NationalReport(YEAR).collect()
    figures = next(t for t in data["tables"] if t["key"] == "figures")
    assert figures["title"] == "Kommunernas nyckeltal, 2025"
    assert figures["rows"] == [["Fysiska besök per invånare", "besök/invånare", 3, 6.0, 4.0, 9.0]]
