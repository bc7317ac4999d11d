"""The national report: figures checked against a known data set, in the XLSX and the PDF."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from overview.reports import services
from overview.reports.national import NationalReport
from plans.models import Plan, PlanFocusArea
from portal.models import FocusArea, Organisation, ReportJob
from tests.factories import organisation
from tests.factories_plans import PlanFactory, adopted_plan

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def known_plans(db):
    """Kalmar län (08, 12 municipalities): Kalmar in force, Nybro expired 2024 (still current),
    Västervik expired 2023 (not current); Borgholm adopted mid-2026 for 2026–2029 (current in 2026,
    not in 2025). Gotland (09) has both a municipal and a regional plan. Region Kalmar län has a
    regional plan ending 2026 (expiring). Region Norrbotten (25) has nothing."""
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


def _rows(data, key):
    return next(t for t in data["tables"] if t["key"] == key)["rows"]


def _groups(data, key):
    return {g["label"]: g["items"] for g in next(t for t in data["tables"] if t["key"] == key)["groups"]}


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
    regions = {row[0]: row for row in _rows(data, "regions")}
    assert regions["08"][2:6] == [12, 3, 25.0, "Ja"]
    assert regions["09"][2:6] == [1, 1, 100.0, "Ja"]
    assert regions["25"][2:6] == [14, 0, 0.0, "Nej"]
    # Trend: Borgholm (adopted mid-2026) does not count for 2025; Västervik counts in 2025.
    trend = {row[0]: row for row in _rows(data, "trend")}
    assert trend["2025"][1] == 4  # Kalmar, Nybro, Västervik, Gotland
    assert trend["2026"][1] == 4  # Kalmar, Nybro, Borgholm, Gotland
    # Expiring within a year: the regional plan of Kalmar län (ends 2026).
    assert [row[2] for row in _rows(data, "expiring")] == ["Regional biblioteksplan Kalmar län"]
    # Organisations without a current plan: Västervik, Oskarshamn (draft) and Norrbotten are listed.
    missing = {row[0]: row for row in _rows(data, "missing")}
    assert {"0883", "0882", "25", "2584"} <= set(missing)
    assert "0880" not in missing and "0980" not in missing and "09" not in missing
    assert missing["0883"][2:] == ["Region Kalmar län", "Biblioteksplan Västervik", "2020–2023", "Antagen"]
    assert missing["25"][2:] == ["Regional plan", "–", "–", "Ingen plan i portalen"]
    # The PDF prints both lists grouped by region: municipalities in code order, regions last.
    expiring = _groups(data, "expiring")
    assert expiring == {"Regionala biblioteksplaner": ["Region Kalmar län"]}
    groups = _groups(data, "missing")
    assert list(groups)[0] == "Region Stockholm" and list(groups)[-1] == "Regionala biblioteksplaner"
    kalmar_lan = groups["Region Kalmar län"]
    assert "Västervik (plan för 2020–2023)" in kalmar_lan  # adopted, expired more than two years ago
    assert "Oskarshamn (ny plan för 2026–2029: utkast)" in kalmar_lan
    assert "Mönsterås" in kalmar_lan  # a bare name: no plan in the portal
    assert not {"Kalmar", "Nybro", "Borgholm"} & {item.split(" (")[0] for item in kalmar_lan}
    assert "Region Norrbotten" in groups["Regionala biblioteksplaner"]
    assert sum(len(items) for items in groups.values()) == len(missing)
    status = {row[0]: row[1] for row in _rows(data, "status")}
    assert status["Antagen och gällande"] == 5  # Kalmar, Borgholm, Gotland (m), Gotland (r), Kalmar län (r)
    assert status["Utgången, fortfarande aktuell"] == 1  # Nybro
    assert status["Utgången för mer än två år sedan"] == 1  # Västervik
    assert status["En ny plan håller på att tas fram"] == 1  # Oskarshamn
    assert sum(status.values()) == 311
    review = {row[0]: row[1] for row in _rows(data, "review")}
    assert review == {"Granskad före antagandet": 0, "Antagen utan granskning i portalen": 6}
    focus = {row[0]: row for row in _rows(data, "focus")}
    assert focus["Tillgänglighet"][1:] == [1, round(100 / 6, 1)]


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
    assert list(_groups(data, "expiring").items()) == [
        ("Region Kalmar län", ["Kalmar", "Nybro"]),
        ("Västra Götalandsregionen", ["Göteborg"]),
        ("Regionala biblioteksplaner", ["Region Kalmar län"]),
    ]
    assert len(_rows(data, "expiring")) == 5  # the XLSX keeps every plan
    groups = _groups(data, "missing")
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
    assert _groups(data, "expiring") == {}
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


def test_same_data_reuses_the_report_and_new_data_makes_a_new_one(known_plans, kb):
    first = services.request_report("national", {"year": YEAR}, kb)
    assert services.request_report("national", {"year": YEAR}, kb).pk == first.pk
    adopted_plan("0884", first_year=2026, last_year=2029, adopted_on=date(2026, 2, 1))
    second = services.request_report("national", {"year": YEAR}, kb)
    assert second.pk != first.pk and second.data["summary"]["municipalities_with_plan"] == 5


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


def test_kb_requests_the_report_and_sees_progress_then_downloads(client, kb, known_plans):
    client.force_login(kb)
    response = client.post(reverse("reports:request_national"), {"year": YEAR})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    page = client.get(reverse("reports:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert "Rapporten är klar" in page.content.decode()
    pdf = client.get(reverse("reports:download", args=[job.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_running_job_page_polls_with_htmx(client, kb):
    job = ReportJob.objects.create(
        kind="national",
        parameters={"year": YEAR},
        fingerprint="x",
        data={"summary": {}},
        status=ReportJob.Status.RUNNING,
        progress=40,
        step="Sätter PDF-dokumentet",
    )
    client.force_login(kb)
    html = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="load delay:1s"' in html and 'value="40"' in html and "Sätter PDF-dokumentet" in html
    assert client.get(reverse("reports:download", args=[job.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("year", ["1999", "3000", "tjugo", ""])
def test_bad_year_is_refused(client, kb, year):
    client.force_login(kb)
    response = client.post(reverse("reports:request_national"), {"year": year})
    assert response.status_code == 422 and not ReportJob.objects.exists()


def test_national_report_queries_are_bounded(known_plans, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        NationalReport(YEAR).collect()


def test_a_stale_job_does_not_block_the_report(known_plans, kb):
    from datetime import timedelta

    from django.utils import timezone, translation

    with translation.override("sv"):
        data = NationalReport(YEAR).collect()
    stuck = ReportJob.objects.create(
        kind="national",
        parameters={"year": YEAR},
        data=data,
        fingerprint=NationalReport.fingerprint(data),
        status=ReportJob.Status.RUNNING,
    )
    ReportJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=1))
    job = services.request_report("national", {"year": YEAR}, kb)
    assert job.pk != stuck.pk and job.status == ReportJob.Status.DONE
    stuck.refresh_from_db()
    assert stuck.status == ReportJob.Status.FAILED


# --- the regional board report -------------------------------------------------------------


def test_regional_figures(known_plans):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from calendar_app.models import Event, Registration
    from overview.reports.regional import RegionalReport
    from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory

    when = datetime(YEAR, 3, 10, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    training = EventFactory(kind=Event.Kind.TRAINING, starts_at=when, ends_at=when + timedelta(hours=6))
    network = NetworkFactory(regions=["08", "10"], name="Sydöstra samverkan")
    meeting = EventFactory(
        kind=Event.Kind.NETWORK_MEETING,
        organiser=organisation("10"),
        network=network,
        starts_at=when + timedelta(days=30),
        ends_at=when + timedelta(days=30, hours=3),
    )
    EventFactory(starts_at=when, ends_at=when + timedelta(hours=2), status=Event.Status.CANCELLED)  # not held
    EventFactory(
        organiser=organisation("17"), starts_at=when, ends_at=when + timedelta(hours=2)
    )  # another region
    RegistrationFactory(event=training, organisation=organisation("0880"), attended=True)
    RegistrationFactory(event=training, organisation=organisation("0880"), attended=False)
    RegistrationFactory(event=training, organisation=organisation("0881"), attended=True)
    RegistrationFactory(
        event=training, organisation=organisation("0880"), status=Registration.Status.WAITLISTED
    )
    RegistrationFactory(event=meeting, organisation=organisation("1080"), attended=True)  # Blekinge: outside
    with translation.override("sv"):
        data = RegionalReport(YEAR, "08").collect()
    summary = data["summary"]
    assert (summary["events"], summary["participants"], summary["attended"]) == (2, 4, 3)
    assert summary["municipalities_reached"] == 2 and summary["municipalities"] == 12
    kinds = {row[0]: row[1:] for row in _rows(data, "kinds")}
    assert kinds["Utbildning"] == [1, 3, 2] and kinds["Nätverksträff"] == [1, 1, 1]
    places = {row[1]: row[2:] for row in _rows(data, "municipalities")}
    assert places["Kalmar"] == [1, 2, 1] and places["Nybro"] == [1, 1, 1]
    assert places["Utanför regionen eller okänd"][1] == 1
    networks = {row[0]: row[1:] for row in _rows(data, "networks")}
    assert networks["Sydöstra samverkan"][2] == 1
    plans = {row[1]: row[4] for row in _rows(data, "plans")}
    assert plans["Kalmar"] == "Gällande" and plans["Nybro"] == "Utgången, fortfarande aktuell"
    assert (
        plans["Västervik"] == "Ingen aktuell plan"
        and plans["Oskarshamn"] == "En ny plan håller på att tas fram"
    )


def test_region_with_no_plans_and_no_events(kb):
    from django.utils import translation

    from overview.reports.regional import RegionalReport

    with translation.override("sv"):
        data = RegionalReport(YEAR, "25").collect()
    assert data["summary"]["events"] == 0 and data["summary"]["municipalities_with_plan"] == 0
    job = services.request_report("regional", {"year": YEAR, "region": "25"}, kb)
    assert job.status == ReportJob.Status.DONE


def test_consultant_requests_own_region_only(client, consultant):
    client.force_login(consultant)
    assert client.post(reverse("reports:request_regional"), {"year": YEAR, "region": "17"}).status_code == 422
    response = client.post(reverse("reports:request_regional"), {"year": YEAR, "region": "08"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.parameters == {"year": YEAR, "region": "08"}


# --- the follow-up report of one organisation and year -------------------------------------


def test_followup_report_figures_and_files(client, chef, other_chef):
    from decimal import Decimal

    from plans.models import FollowUp, GoalFollowUp, Indicator, IndicatorFollowUp
    from tests.factories_plans import build_plan

    plan = build_plan(
        status=Plan.Status.ADOPTED, first_year=2024, last_year=2027, areas=1, goals=1, indicators=1
    )
    indicator = Indicator.objects.get(goal__focus_area__plan=plan)
    previous = FollowUp.objects.create(plan=plan, year=2025, status=FollowUp.Status.ACKNOWLEDGED)
    IndicatorFollowUp.objects.create(follow_up=previous, indicator=indicator, value=Decimal("10"))
    follow_up = FollowUp.objects.create(
        plan=plan, year=2026, status=FollowUp.Status.SUBMITTED, narrative="Ett bra år."
    )
    GoalFollowUp.objects.create(follow_up=follow_up, goal=indicator.goal, status="achieved", comment="Klart")
    IndicatorFollowUp.objects.create(follow_up=follow_up, indicator=indicator, value=Decimal("12.5"))

    client.force_login(other_chef)
    assert client.post(reverse("reports:request_followup", args=[follow_up.pk])).status_code == 404
    client.force_login(chef)
    response = client.post(reverse("reports:request_followup", args=[follow_up.pk]))
    job = ReportJob.objects.get(kind="followup")
    assert response.status_code == 302 and job.status == ReportJob.Status.DONE
    goals = _rows(job.data, "goals")
    assert goals[0][2:] == ["Uppnått", "Klart"]
    indicators = _rows(job.data, "indicators")
    assert indicators[0][6:] == [10.0, 12.5, 25.0]
    pages = PdfReader(io.BytesIO(job.pdf.read())).pages
    assert "Uppföljning 2026" in pages[0].extract_text()  # a year, not "2 026"
    text = " ".join(pages[2].extract_text().split())
    assert "Ett bra år." in text
    sheet = openpyxl.load_workbook(io.BytesIO(job.xlsx.read()))["Nyckeltal"]
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][7] == 12.5


def test_national_report_counts_reviews_criteria_indicators_and_staircase(known_plans):
    from decimal import Decimal

    from django.utils import translation

    from plans.models import Assessment, FollowUp, Goal, Indicator, IndicatorFollowUp, PlanFocusArea, Review
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
    assert {row[0]: row[1] for row in _rows(data, "review")}["Granskad före antagandet"] == 1
    criteria = {row[0]: row[1:] for row in _rows(data, "criteria")}
    assert criteria[children.name] == [0, 1, 0, 0.0]
    indicators = {row[0]: row[1] for row in _rows(data, "indicators")}
    assert indicators == {
        "Rapporterade nyckeltalsvärden": 1,
        "Bättre än utgångsläget": 1,
        "Målvärdet nått": 1,
    }
    assert {row[0]: row[1:] for row in _rows(data, "staircase")}[area.name] == [2, 2.5]


# --- the regional report: goals, municipal follow-ups and reviews given ----------------------


def _sv(msgid: str, context: str | None = None) -> str:
    """The Swedish text of a msgid (the English msgid until its translation is compiled)."""
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("sv"):
        return pgettext(context, msgid) if context else gettext(msgid)


def _stockholm(*args) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def regional_data(known_plans, consultant):
    """Kalmar län's own plans, follow-ups and reviews for 2026, on top of `known_plans`.

    Goals: the regional plan (2023–2026) has a draft follow-up for 2026 with one goal achieved,
    one left blank and one without a row; the activity plan 2026 has one goal and no follow-up.
    A draft activity plan and a regional plan that ended in 2022 do not count.
    Municipal follow-ups 2026: Kalmar acknowledged, Borgholm draft; Nybro's plan has expired.
    Reviews by the region: Vimmerby round 1 (May, counted) and round 2 (still open), Oskarshamn
    round 1 closed 31 Dec 23:30 Stockholm time (counted) and round 2 submitted in January 2027,
    Mönsterås closed 1 Jan 2027 00:15 Stockholm time (not counted, open at year end), Kalmar
    closed 2023, a withdrawn round in 2026, and KB's review of Gotland's regional plan."""
    from plans.models import Activity, FollowUp, Goal, GoalFollowUp, Review
    from tests.factories_reviews import FollowUpFactory, ReviewFactory

    national = FocusArea.objects.get(slug="tillganglighet")
    regional = Plan.objects.get(organisation__code="08", kind=Plan.Kind.REGIONAL)
    area = PlanFocusArea.objects.create(plan=regional, national=national, name="Läsfrämjande")
    read, open_, digital = (
        Goal.objects.create(focus_area=area, title=title, position=i)
        for i, title in enumerate(["Fler barn läser", "Meröppet i alla kommuner", "Digital delaktighet"])
    )
    follow_up = FollowUpFactory(plan=regional, year=YEAR, status=FollowUp.Status.DRAFT)
    GoalFollowUp.objects.create(follow_up=follow_up, goal=read, status="achieved", comment="Klart")
    GoalFollowUp.objects.create(follow_up=follow_up, goal=open_, status="")
    last_year = FollowUpFactory(plan=regional, year=YEAR - 1, status=FollowUp.Status.ACKNOWLEDGED)
    GoalFollowUp.objects.create(follow_up=last_year, goal=open_, status="achieved")
    activity_plan = adopted_plan(
        "08",
        first_year=YEAR,
        last_year=YEAR,
        adopted_on=date(2025, 12, 4),
        kind=Plan.Kind.ACTIVITY,
        title="Verksamhetsplan 2026",
    )
    skills = Goal.objects.create(
        focus_area=PlanFocusArea.objects.create(plan=activity_plan, national=national, name="Kompetens"),
        title="Kompetensutveckling",
    )
    Activity.objects.create(goal=skills, what="Utbildningsdag om AI", responsible="Regionbiblioteket")
    Activity.objects.create(goal=skills, what="Nätverk för skolbibliotek", status="done", position=1)
    Activity.objects.create(goal=read, what="Läslov", status="ongoing")
    draft = PlanFactory(
        organisation=organisation("08"), kind=Plan.Kind.ACTIVITY, first_year=YEAR, last_year=YEAR
    )
    Goal.objects.create(
        focus_area=PlanFocusArea.objects.create(plan=draft, national=national, name="Utkast"),
        title="Utkastmål",
    )
    old = adopted_plan(
        "08",
        first_year=2019,
        last_year=2022,
        adopted_on=date(2018, 12, 1),
        kind=Plan.Kind.REGIONAL,
        title="Äldre plan",
    )
    Goal.objects.create(
        focus_area=PlanFocusArea.objects.create(plan=old, national=national, name="Gammalt"),
        title="Gammalt mål",
    )

    FollowUpFactory(plan=known_plans, year=YEAR, status=FollowUp.Status.ACKNOWLEDGED)
    FollowUpFactory(plan=known_plans, year=YEAR - 1, status=FollowUp.Status.SUBMITTED)
    FollowUpFactory(plan=Plan.objects.get(organisation__code="0885"), year=YEAR, status=FollowUp.Status.DRAFT)

    oskarshamn = Plan.objects.get(title="Utkast Oskarshamn")
    vimmerby = PlanFactory(organisation=organisation("0884"), title="Vimmerbys plan")
    monsteras = PlanFactory(organisation=organisation("0861"), title="Mönsterås plan")
    ReviewFactory(
        plan=vimmerby,
        submitted_at=_stockholm(YEAR, 5, 1, 9),
        closed_at=_stockholm(YEAR, 5, 20, 14),
        outcome=Review.Outcome.MAJOR,
        reviewer=None,
    )
    ReviewFactory(
        plan=vimmerby, round=2, submitted_at=_stockholm(YEAR, 11, 1, 9), state=Review.State.OPEN, outcome=""
    )
    ReviewFactory(
        plan=oskarshamn,
        submitted_at=_stockholm(YEAR, 12, 20, 9),
        closed_at=_stockholm(YEAR, 12, 31, 23, 30),
        reviewer=consultant,
    )
    ReviewFactory(
        plan=oskarshamn,
        round=2,
        submitted_at=_stockholm(YEAR + 1, 1, 5, 9),
        state=Review.State.OPEN,
        outcome="",
    )
    ReviewFactory(
        plan=monsteras,
        submitted_at=_stockholm(YEAR, 12, 10, 9),
        closed_at=_stockholm(YEAR + 1, 1, 1, 0, 15),  # 23:15 UTC on 31 December
        outcome=Review.Outcome.READY,
        reviewer=consultant,
    )
    ReviewFactory(plan=monsteras, round=2, submitted_at=_stockholm(YEAR + 1, 3, 1, 9), closed_at=None)
    ReviewFactory(
        plan=known_plans, submitted_at=_stockholm(2023, 10, 1, 9), closed_at=_stockholm(2023, 11, 1, 9)
    )
    ReviewFactory(
        plan=PlanFactory(organisation=organisation("0883"), title="Västerviks nya plan"),
        state=Review.State.WITHDRAWN,
        outcome="",
        submitted_at=_stockholm(YEAR, 2, 1, 9),
        closed_at=_stockholm(YEAR, 2, 10, 9),
    )
    ReviewFactory(
        plan=Plan.objects.get(organisation__code="09", kind=Plan.Kind.REGIONAL),
        reviewing_organisation=organisation("KB"),
        submitted_at=_stockholm(YEAR, 3, 1, 9),
        closed_at=_stockholm(YEAR, 4, 1, 9),
    )
    return regional


@pytest.fixture
def after_the_year(monkeypatch):
    """The clock on 15 January the year after: the year is over."""
    from django.utils import timezone

    fixed = _stockholm(YEAR + 1, 1, 15, 12)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    return fixed


def _regional(code="08"):
    from django.utils import translation

    from overview.reports.regional import RegionalReport

    with translation.override("sv"):
        return RegionalReport(YEAR, code).collect()


def test_regional_goals_and_their_follow_up(regional_data, after_the_year):
    data = _regional()
    summary = data["summary"]
    assert (summary["region_plans"], summary["goals"], summary["goals_followed_up"]) == (2, 4, 1)
    assert summary["goals_achieved"] == 1
    draft, not_started = _sv("Draft", "follow-up status"), _sv("Not started", "follow-up status")
    not_followed_up = _sv("Not followed up", "goal status")
    regional_kind, activity_kind = _sv("Regional library plan"), _sv("Regional activity plan")
    assert _rows(data, "own_plans") == [
        [regional_kind, "Regional biblioteksplan Kalmar län", "2023–2026", draft],
        [activity_kind, "Verksamhetsplan 2026", "2026", not_started],
    ]
    assert _rows(data, "goals") == [
        [regional_kind, "Läsfrämjande", "Fler barn läser", _sv("Achieved", "goal status"), "Klart"],
        [regional_kind, "Läsfrämjande", "Meröppet i alla kommuner", not_followed_up, ""],
        [regional_kind, "Läsfrämjande", "Digital delaktighet", not_followed_up, ""],
        [activity_kind, "Kompetens", "Kompetensutveckling", not_followed_up, ""],
    ]
    by_status = {row[0]: row[1:] for row in _rows(data, "goal_status")}
    assert by_status[_sv("Achieved", "goal status")] == [1, 25.0]
    assert by_status[not_followed_up] == [3, 75.0]
    assert by_status[_sv("In progress", "goal status")] == [0, 0.0]
    assert [b["value"] for b in data["charts"]["goal_status"]] == [0, 0, 1, 0, 0, 3]
    activities = _rows(data, "activities")
    assert [row[2] for row in activities] == ["Läslov", "Utbildningsdag om AI", "Nätverk för skolbibliotek"]
    assert activities[0][0] == regional_kind and activities[2][4] == _sv("Done", "activity status")


def test_regional_municipal_follow_ups(regional_data, after_the_year):
    data = _regional()
    plans = {row[1]: row for row in _rows(data, "plans")}
    assert plans["Kalmar"][5] == _sv("Acknowledged", "follow-up status")
    assert plans["Borgholm"][5] == _sv("Draft", "follow-up status")
    assert plans["Nybro"][4:] == [_sv("Expired, still current"), "–"]  # 2026 is outside its period
    assert plans["Västervik"][5] == "–" and plans["Mörbylånga"][5] == "–"
    summary = data["summary"]
    assert summary["municipal_follow_ups_due"] == 2
    assert summary["municipal_follow_ups_submitted"] == 1
    assert summary["municipal_follow_ups_acknowledged"] == 1


def test_regional_reviews_given_in_the_year(regional_data, after_the_year):
    data = _regional()
    assert _rows(data, "reviews") == [
        ["Vimmerby", "Vimmerbys plan", 1, _sv("Needs substantial revision"), "2026-05-20", "–"],
        ["Oskarshamn", "Utkast Oskarshamn", 1, _sv("Ready after minor changes"), "2026-12-31", "Maria Holm"],
    ]
    summary = data["summary"]
    assert summary["reviews_given"] == 2
    # Open at the end of the year: Vimmerby round 2 and Mönsterås (closed on 1 January).
    assert (summary["reviews_open"], summary["reviews_open_on"]) == (2, "2026-12-31")


def test_regional_open_reviews_during_the_year_are_counted_now(regional_data, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: _stockholm(YEAR, 11, 28, 12))
    summary = _regional()["summary"]
    assert (summary["reviews_open"], summary["reviews_open_on"]) == (1, "2026-11-28")


def test_regional_report_files_carry_the_new_figures(regional_data, after_the_year, kb):
    from django.utils import translation

    job = services.request_report("regional", {"year": YEAR, "region": "08"}, kb)
    assert job.status == ReportJob.Status.DONE
    workbook = openpyxl.load_workbook(io.BytesIO(job.xlsx.read()))

    def sheet_rows(title):
        return list(workbook[_sv(title).replace(":", "-")[:31]].iter_rows(min_row=2, values_only=True))

    assert sheet_rows("Reviews given") == [
        ("Vimmerby", "Vimmerbys plan", 1, _sv("Needs substantial revision"), "2026-05-20", "–"),
        ("Oskarshamn", "Utkast Oskarshamn", 1, _sv("Ready after minor changes"), "2026-12-31", "Maria Holm"),
    ]
    goals = sheet_rows("Follow-up of the region's goals")
    assert [row[2:4] for row in goals] == [
        ("Fler barn läser", _sv("Achieved", "goal status")),
        ("Meröppet i alla kommuner", _sv("Not followed up", "goal status")),
        ("Digital delaktighet", _sv("Not followed up", "goal status")),
        ("Kompetensutveckling", _sv("Not followed up", "goal status")),
    ]
    by_status = {row[0]: row[1:] for row in sheet_rows("The region's goals, by status")}
    assert by_status[_sv("Achieved", "goal status")] == (1, 25)
    assert by_status[_sv("Not followed up", "goal status")] == (3, 75)
    own_plans = sheet_rows("The region's plans in force and their follow-up")
    assert [row[3] for row in own_plans] == [
        _sv("Draft", "follow-up status"),
        _sv("Not started", "follow-up status"),
    ]
    plans = {row[1]: row[5] for row in sheet_rows("The municipalities' library plans")}
    assert plans["Kalmar"] == _sv("Acknowledged", "follow-up status") and plans["Nybro"] == "–"

    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(job.pdf.read())).pages).split()
    ).replace("\u2010 ", "")  # words hyphenated at a line end
    with translation.override("sv"):
        expected = [
            _sv(
                "%(followed)s of the %(goals)s goals in the region's plans have been followed up for "
                "the year; %(achieved)s have been achieved."
            )
            % {"followed": 1, "goals": 4, "achieved": 1},
            _sv(
                "%(submitted)s of the %(due)s municipalities whose plan is in force during the year have "
                "submitted their follow-up of the year; the region has acknowledged %(acknowledged)s of them."
            )
            % {"submitted": 1, "due": 2, "acknowledged": 1},
            _sv(
                "The region gave feedback in %(given)s plan reviews during the year; %(open)s plans were "
                "awaiting review on %(date)s."
            )
            % {"given": 2, "open": 2, "date": "2026-12-31"},
        ]
    for sentence in expected:
        assert sentence in text
    assert "Maria Holm" in text and "Fler barn läser" in text and "2026-12-31" in text
    assert "Utkastmål" not in text and "Gammalt mål" not in text


def test_regional_report_of_a_region_without_plans_or_reviews(known_plans, kb):
    data = _regional("25")
    summary = data["summary"]
    assert (summary["region_plans"], summary["goals"], summary["reviews_given"]) == (0, 0, 0)
    assert summary["municipal_follow_ups_due"] == 0 and summary["reviews_open"] == 0
    assert _rows(data, "goals") == [] and _rows(data, "reviews") == [] and _rows(data, "activities") == []
    assert all(row[1] == 0 and row[2] is None for row in _rows(data, "goal_status"))
    job = services.request_report("regional", {"year": YEAR, "region": "25"}, kb)
    assert job.status == ReportJob.Status.DONE
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(job.pdf.read())).pages).split()
    )
    assert _sv("The region has no plan in force for the year.") in text


def _grow_region(n: int, offset: int) -> None:
    """n more of everything the regional report counts per row, for region Kalmar län (08)."""
    from datetime import timedelta

    from calendar_app.models import Event
    from plans.models import Activity, FollowUp, Goal, GoalFollowUp
    from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory
    from tests.factories_reviews import FollowUpFactory, ReviewFactory

    codes = ["0821", "0834", "0840", "0860", "0861", "0862", "0880", "0881", "0882", "0883", "0884", "0885"]
    national = FocusArea.objects.get(slug="tillganglighet")
    region_plan = PlanFactory(
        organisation=organisation("08"),
        kind=Plan.Kind.ACTIVITY if offset == 0 else Plan.Kind.REGIONAL,
        status=Plan.Status.ADOPTED,
        first_year=YEAR,
        last_year=YEAR,
    )
    area = PlanFocusArea.objects.create(plan=region_plan, national=national, name=f"Område {offset}")
    follow_up = FollowUpFactory(plan=region_plan, year=YEAR, status=FollowUp.Status.SUBMITTED)
    for i in range(n):
        goal = Goal.objects.create(focus_area=area, title=f"Mål {offset}.{i}", position=i)
        Activity.objects.create(goal=goal, what=f"Insats {offset}.{i}")
        GoalFollowUp.objects.create(follow_up=follow_up, goal=goal, status="in_progress")
    for code in codes[offset : offset + n]:
        plan = PlanFactory(organisation=organisation(code), status=Plan.Status.ADOPTED, first_year=2025)
        FollowUpFactory(plan=plan, year=YEAR, status=FollowUp.Status.SUBMITTED)
        ReviewFactory(
            plan=PlanFactory(organisation=organisation(code)),
            closed_at=_stockholm(YEAR, 6, 1 + offset, 9),
        )
        when = _stockholm(YEAR, 3, 1 + offset, 9)
        network = NetworkFactory(regions=["08"])
        event = EventFactory(
            kind=Event.Kind.NETWORK_MEETING,
            network=network,
            starts_at=when,
            ends_at=when + timedelta(hours=2),
        )
        RegistrationFactory(event=event, organisation=organisation(code), attended=True)


def test_regional_report_queries_do_not_grow_with_the_data(db, after_the_year, count_queries):
    def queries(code="08") -> int:
        return count_queries.of(_regional, code)

    empty = queries("25")
    _grow_region(1, 0)
    small = queries()
    _grow_region(11, 1)
    data = _regional()
    assert data["summary"]["goals"] == 12 and data["summary"]["reviews_given"] == 12
    assert data["summary"]["municipal_follow_ups_due"] == 12 and data["summary"]["events"] == 12
    assert queries() == small == empty


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


def test_regional_report_key_figures_beside_the_national_average(db):
    from decimal import Decimal

    from overview.reports.regional import RegionalReport
    from portal.models import IndicatorDefinition, StatisticValue

    visits = IndicatorDefinition.objects.get(name="Fysiska besök per invånare")
    for code, value in [("0880", "4"), ("0881", "6"), ("1780", "11")]:  # Kalmar, Nybro; Karlstad
        StatisticValue.objects.create(
            organisation=organisation(code), indicator=visits, year=2025, value=Decimal(value)
        )
    with translation.override("sv"):
        data = RegionalReport(year=YEAR, region="08").collect()
        empty = RegionalReport(year=YEAR, region="25").collect()
    figures = next(t for t in data["tables"] if t["key"] == "figures")
    assert figures["title"] == "Kommunernas nyckeltal, 2025"
    assert figures["rows"] == [["Fysiska besök per invånare", "besök/invånare", 2, 5.0, 7.0]]
    assert next(t for t in empty["tables"] if t["key"] == "figures")["rows"] == []
