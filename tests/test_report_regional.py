"""The regional board report of a region and year: events, networks and the municipalities'
plans; the region's own goals and their follow-up, the municipalities' follow-ups and the reviews
the region gave."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.utils import translation
from pypdf import PdfReader

from overview.models import ReportJob
from overview.reports import services
from plans.models import Plan, PlanFocusArea
from portal.models import FocusArea
from tests.factories import organisation
from tests.factories_plans import PlanFactory, adopted_plan
from tests.report_data import YEAR, table_rows

pytestmark = pytest.mark.django_db


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
    kinds = {row[0]: row[1:] for row in table_rows(data, "kinds")}
    assert kinds["Utbildning"] == [1, 3, 2] and kinds["Nätverksträff"] == [1, 1, 1]
    places = {row[1]: row[2:] for row in table_rows(data, "municipalities")}
    assert places["Kalmar"] == [1, 2, 1] and places["Nybro"] == [1, 1, 1]
    assert places["Utanför regionen eller okänd"][1] == 1
    networks = {row[0]: row[1:] for row in table_rows(data, "networks")}
    assert networks["Sydöstra samverkan"][2] == 1
    plans = {row[1]: row[4] for row in table_rows(data, "plans")}
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


# --- the region's goals, the municipalities' follow-ups and the reviews given ---------------


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
    assert table_rows(data, "own_plans") == [
        [regional_kind, "Regional biblioteksplan Kalmar län", "2023–2026", draft],
        [activity_kind, "Verksamhetsplan 2026", "2026", not_started],
    ]
    assert table_rows(data, "goals") == [
        [regional_kind, "Läsfrämjande", "Fler barn läser", _sv("Achieved", "goal status"), "Klart"],
        [regional_kind, "Läsfrämjande", "Meröppet i alla kommuner", not_followed_up, ""],
        [regional_kind, "Läsfrämjande", "Digital delaktighet", not_followed_up, ""],
        [activity_kind, "Kompetens", "Kompetensutveckling", not_followed_up, ""],
    ]
    by_status = {row[0]: row[1:] for row in table_rows(data, "goal_status")}
    assert by_status[_sv("Achieved", "goal status")] == [1, 25.0]
    assert by_status[not_followed_up] == [3, 75.0]
    assert by_status[_sv("In progress", "goal status")] == [0, 0.0]
    assert [b["value"] for b in data["charts"]["goal_status"]] == [0, 0, 1, 0, 0, 3]
    activities = table_rows(data, "activities")
    assert [row[2] for row in activities] == ["Läslov", "Utbildningsdag om AI", "Nätverk för skolbibliotek"]
    assert activities[0][0] == regional_kind and activities[2][4] == _sv("Done", "activity status")


def test_regional_municipal_follow_ups(regional_data, after_the_year):
    data = _regional()
    plans = {row[1]: row for row in table_rows(data, "plans")}
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
    assert table_rows(data, "reviews") == [
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
    assert (
        table_rows(data, "goals") == []
        and table_rows(data, "reviews") == []
        and table_rows(data, "activities") == []
    )
    assert all(row[1] == 0 and row[2] is None for row in table_rows(data, "goal_status"))
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
