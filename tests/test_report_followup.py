"""The follow-up report of one plan and year: its figures, the PDF and the XLSX; another
municipality's chef may not request it."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from overview.models import ReportJob
from plans.models import Plan
from tests.report_data import table_rows

pytestmark = pytest.mark.django_db


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
    goals = table_rows(job.data, "goals")
    assert goals[0][2:] == ["Uppnått", "Klart"]
    indicators = table_rows(job.data, "indicators")
    assert indicators[0][6:] == [10.0, 12.5, 25.0]
    pages = PdfReader(io.BytesIO(job.pdf.read())).pages
    assert "Uppföljning 2026" in pages[0].extract_text()  # a year, not "2 026"
    text = " ".join(pages[2].extract_text().split())
    assert "Ett bra år." in text
    sheet = openpyxl.load_workbook(io.BytesIO(job.xlsx.read()))["Nyckeltal"]
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][7] == 12.5
