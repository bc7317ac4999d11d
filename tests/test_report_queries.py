"""KB's "aktuell" rule in one place (`validity_of` and its querysets), the reports counting from
it, who may read each report kind, and the reports page's queries."""

import uuid
from datetime import date
from itertools import product

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from overview.models import ReportJob
from overview.reports.followup import FollowUpReport
from overview.reports.national import NationalReport
from overview.reports.regional import RegionalReport
from overview.reports.registry import REPORTS, may_read, readable_jobs
from plans.models import CURRENT, FollowUp, Plan, validity_of
from plans.queries import plan_rows
from tests.conftest import PERSONAS
from tests.factories import organisation
from tests.factories_plans import PlanFactory, adopted_plan, build_plan
from tests.report_data import table_rows

pytestmark = pytest.mark.django_db

YEAR = 2026
ADOPTED = Plan.Status.ADOPTED
Validity = Plan.Validity


def _adopted(code, first, last, adopted_on, kind=Plan.Kind.MUNICIPAL, **kwargs):
    return adopted_plan(code, first_year=first, last_year=last, adopted_on=adopted_on, kind=kind, **kwargs)


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "status", "adopted_on", "validity"),
    [
        (2024, 2027, ADOPTED, date(2023, 11, 1), Validity.IN_FORCE),
        (2026, 2026, ADOPTED, None, Validity.IN_FORCE),  # a plan of one year; no date recorded
        (2021, 2025, ADOPTED, date(2020, 6, 1), Validity.CURRENT_EXPIRED),
        (2021, 2024, ADOPTED, date(2020, 6, 1), Validity.CURRENT_EXPIRED),  # two years ago: current
        (2020, 2023, ADOPTED, date(2019, 6, 1), Validity.EXPIRED),  # three years ago: not
        (2027, 2030, ADOPTED, date(2026, 10, 1), Validity.UPCOMING),
        (2025, 2028, ADOPTED, date(2026, 6, 15), Validity.IN_FORCE),  # adopted during the year
        (2022, 2026, ADOPTED, date(2027, 2, 1), None),  # adopted only after the year
        (2024, 2027, Plan.Status.DRAFT, None, None),
        (2024, 2027, Plan.Status.REVIEWED, None, None),
    ],
)
def test_validity_of_follows_kbs_rule(first, last, status, adopted_on, validity):
    assert validity_of(first, last, status, YEAR, adopted_on) == validity


def test_validity_keeps_its_values_and_labels():
    """The plan list's badges and its export compare and print these."""
    assert [v.value for v in Validity] == ["in_force", "current_expired", "expired", "upcoming"]
    assert CURRENT == {Validity.IN_FORCE, Validity.CURRENT_EXPIRED}
    with translation.override("sv"):
        assert [str(v.label) for v in Validity] == [
            "Gällande",
            "Utgången, fortfarande aktuell enligt KB",
            "Utgången",
            "Ännu inte gällande",
        ]


def test_querysets_plan_and_rows_agree_with_validity_of():
    """`Plan.objects.current/in_force(year)`, `Plan.validity` and the reports' plan rows give the
    same answer as `validity_of`, for every year around plans of every kind of period."""
    codes = iter(["0880", "0881", "0882", "0883", "0884", "0885", "0860", "0861", "0862", "0821"])
    plans = [
        _adopted(next(codes), first, last, adopted_on)
        for first, last, adopted_on in [
            (2024, 2027, date(2023, 11, 1)),
            (2021, 2024, date(2020, 6, 1)),
            (2018, 2021, None),
            (2025, 2028, date(2026, 6, 15)),
            (2022, 2025, date(2025, 3, 1)),  # adopted late, in its last year
            (2027, 2030, date(2026, 10, 1)),
        ]
    ]
    plans.append(PlanFactory(organisation=organisation(next(codes)), first_year=2024, last_year=2027))
    rows = {row.id: row for row in plan_rows(Plan.objects.all())}
    for year in range(2019, 2031):
        expected = {p: validity_of(p.first_year, p.last_year, p.status, year, p.adopted_on) for p in plans}
        assert set(Plan.objects.current(year)) == {p for p, v in expected.items() if v in CURRENT}
        assert set(Plan.objects.in_force(year)) == {p for p, v in expected.items() if v == Validity.IN_FORCE}
        for plan, validity in expected.items():
            assert plan.validity(date(year, 7, 1)) == validity
            assert rows[plan.pk].validity(year) == validity


# --- the reports count from the rule ---------------------------------------------------------


@pytest.fixture
def register(db):
    """Kalmar län (08): Kalmar in force, Nybro expired 2025 (current), Västervik expired 2022 (not
    current), Borgholm's plan adopted only in 2027 for 2024–2026; Vimmerby's current plan is
    titled "–". The region has a regional plan ending 2026 and an activity plan for 2026 adopted
    in 2027."""
    _adopted("0880", 2024, 2027, date(2023, 11, 27))
    _adopted("0881", 2022, 2025, date(2021, 12, 1))
    _adopted("0883", 2019, 2022, date(2018, 12, 16))
    _adopted("0885", 2024, 2026, date(2027, 2, 1), title="Antagen i efterhand")
    _adopted("0884", 2025, 2028, date(2024, 12, 1), title="–")
    _adopted("08", 2023, 2026, date(2022, 12, 8), kind=Plan.Kind.REGIONAL, title="Regional plan")
    _adopted("08", 2026, 2026, date(2027, 1, 20), kind=Plan.Kind.ACTIVITY, title="Sen verksamhetsplan")


def test_national_report_counts_what_the_queryset_counts(register):
    with translation.override("sv"):
        data = NationalReport(YEAR).collect()
    current = Plan.objects.current(YEAR).filter(kind__in=[Plan.Kind.MUNICIPAL, Plan.Kind.REGIONAL])
    assert data["summary"]["current_plans"] == current.count() == 4  # Kalmar, Nybro, Vimmerby, 08
    assert data["summary"]["municipalities_with_plan"] == 3
    kalmar_lan = next(row for row in table_rows(data, "regions") if row[0] == "08")
    assert kalmar_lan[2:6] == [12, 3, 25.0, "Ja"]


def test_a_plan_adopted_after_the_year_does_not_count_for_it(register):
    """Not current, not in force and not expiring in a year before its adoption: the trend, the
    list of expiring plans and the regional report's own plans ask the same rule."""
    with translation.override("sv"):
        national = NationalReport(YEAR).collect()
        regional = RegionalReport(YEAR, "08").collect()
    assert [row[2] for row in table_rows(national, "expiring")] == ["Regional plan"]
    assert "0885" in {row[0] for row in table_rows(national, "missing")}
    assert [row[1] for row in table_rows(regional, "own_plans")] == ["Regional plan"]
    assert regional["summary"]["region_plans"] == 1


def test_regional_report_counts_plans_from_data_not_from_table_cells(register):
    """Vimmerby's plan is titled "–", like the empty cell of a municipality without a plan."""
    with translation.override("sv"):
        data = RegionalReport(YEAR, "08").collect()
    plans = {row[1]: row[2:5] for row in table_rows(data, "plans")}
    assert plans["Vimmerby"] == ["–", "2025–2028", "Gällande"]
    assert plans["Borgholm"] == ["–", "–", "Ingen aktuell plan"]
    with_plan = {
        p.organisation_id
        for p in Plan.objects.current(YEAR).filter(organisation__parent__code="08", kind=Plan.Kind.MUNICIPAL)
    }
    assert data["summary"]["municipalities_with_plan"] == len(with_plan) == 3  # Kalmar, Nybro, Vimmerby
    assert data["summary"]["municipal_follow_ups_due"] == 2  # Kalmar, Vimmerby: in force


# --- who may read each report kind -----------------------------------------------------------


@pytest.fixture
def follow_up(db):
    plan = build_plan(status=ADOPTED, first_year=2024, last_year=2027, areas=1, goals=1)
    return FollowUp.objects.create(plan=plan, year=YEAR)


READERS = {
    ("national", None): {"kb", "admin"},
    ("regional", "08"): {"consultant", "kb", "admin"},
    ("regional", "17"): {"other_consultant", "kb", "admin"},
    ("regional", "0880"): set(),  # a municipality is no region
    ("regional", "99"): set(),
    ("followup", None): {"chef", "editor", "consultant", "kb", "admin"},
}


@pytest.mark.parametrize(("persona_name", "case"), list(product(PERSONAS, READERS)))
def test_each_report_kind_answers_who_may_read_it(persona, follow_up, persona_name, case):
    kind, region = case
    user = persona(persona_name) or AnonymousUser()
    parameters = {
        "national": {"year": YEAR},
        "regional": {"year": YEAR, "region": region},
        "followup": {"follow_up": follow_up.pk},
    }[kind]
    expected = persona_name in READERS[case]
    assert REPORTS[kind].may_read(user, parameters) is expected
    assert may_read(user, kind, parameters) is expected
    job = ReportJob(pk=1, kind=kind, parameters=parameters)
    assert readable_jobs(user, [job]) == ([job] if expected else [])


def test_an_unknown_report_kind_is_read_by_nobody(admin):
    assert not may_read(admin, "secret", {})
    assert readable_jobs(admin, [ReportJob(pk=1, kind="secret", parameters={})]) == []


def test_report_kinds_are_registered_with_their_own_rules():
    assert REPORTS == {"national": NationalReport, "regional": RegionalReport, "followup": FollowUpReport}


# --- the reports page ------------------------------------------------------------------------


def _jobs(n: int, region: str, kind: str = "regional") -> None:
    parameters = {"year": YEAR, "region": region} if kind == "regional" else {"year": YEAR}
    ReportJob.objects.bulk_create(
        ReportJob(kind=kind, parameters=parameters, fingerprint=uuid.uuid4().hex, data={}) for _ in range(n)
    )


@pytest.mark.parametrize("persona_name", ["consultant", "kb"])
def test_reports_page_queries_do_not_grow_with_the_jobs(
    client_for, persona_name, count_queries, django_assert_num_queries
):
    """1 and 30 report jobs (the most the page looks at) take the same number of queries."""
    client = client_for(persona_name)
    _jobs(1, "08")
    one = count_queries(client, reverse("reports:index"))
    _jobs(9, "17")
    _jobs(10, "08")
    _jobs(10, "", kind="national")
    assert ReportJob.objects.count() == 30
    with django_assert_num_queries(one):
        response = client.get(reverse("reports:index"))
    recent = response.context["recent"]
    assert len(recent) == 10  # at most ten, and only those the person may read
    if persona_name == "consultant":
        assert {(job.kind, job.parameters["region"]) for job in recent} == {("regional", "08")}
