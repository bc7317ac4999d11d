"""Simultaneous requests for the same report share one job (PostgreSQL, real threads)."""

import pytest
from django.db import connection

from overview.models import ReportJob
from overview.reports import services
from tests.concurrency import call_at_once
from tests.report_data import YEAR

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite serialises all writers, so it cannot show the race "
        "(set DATABASE_URL=postgres://... to run it).",
    ),
]


def test_three_simultaneous_requests_of_the_national_report_make_one_job(known_plans, kb):
    result = call_at_once(services.request_report, [("national", {"year": YEAR}, kb)] * 3)
    assert result["errors"] == []
    assert len({job.pk for job in result["results"]}) == 1
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE and job.pdf and job.xlsx
