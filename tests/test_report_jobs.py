"""Report jobs: who requests which report and year, progress with htmx, downloads; the same data
reuses a finished job (also for requests at the same moment) and a stale job does not block a new
one."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from overview.models import ReportJob
from overview.reports import services
from overview.reports.national import NationalReport
from tests.factories_plans import adopted_plan
from tests.report_data import YEAR

pytestmark = pytest.mark.django_db


def test_same_data_reuses_the_report_and_new_data_makes_a_new_one(known_plans, kb):
    first = services.request_report("national", {"year": YEAR}, kb)
    assert services.request_report("national", {"year": YEAR}, kb).pk == first.pk
    adopted_plan("0884", first_year=2026, last_year=2029, adopted_on=date(2026, 2, 1))
    second = services.request_report("national", {"year": YEAR}, kb)
    assert second.pk != first.pk and second.data["summary"]["municipalities_with_plan"] == 5


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


def test_a_stale_job_does_not_block_the_report(known_plans, kb):
    from datetime import timedelta

    from django.utils import timezone

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


def test_consultant_requests_own_region_only(client, consultant):
    client.force_login(consultant)
    assert client.post(reverse("reports:request_regional"), {"year": YEAR, "region": "17"}).status_code == 422
    response = client.post(reverse("reports:request_regional"), {"year": YEAR, "region": "08"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.parameters == {"year": YEAR, "region": "08"}


def test_the_database_keeps_one_job_per_report_that_has_not_failed():
    from django.db import IntegrityError, transaction

    ReportJob.objects.create(kind="national", fingerprint="f", status=ReportJob.Status.FAILED)
    ReportJob.objects.create(kind="national", fingerprint="f", status=ReportJob.Status.DONE)
    ReportJob.objects.create(kind="regional", fingerprint="f")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(kind="national", fingerprint="f")


def test_a_request_that_loses_the_race_gets_the_winners_job(known_plans, kb, monkeypatch):
    """Another request creates the job between this one's look for it and its own insert."""
    look = services._current_job
    winner = []

    def another_request_wins(kind, fingerprint):
        if not winner:
            winner.append(ReportJob.objects.create(kind=kind, fingerprint=fingerprint))
            return None
        return look(kind, fingerprint)

    monkeypatch.setattr(services, "_current_job", another_request_wins)
    job = services.request_report("national", {"year": YEAR}, kb)
    assert job.pk == winner[0].pk and ReportJob.objects.count() == 1


def test_the_same_data_for_another_scope_is_another_report():
    data = {"tables": []}
    assert NationalReport.fingerprint(data, {"year": 2025}) != NationalReport.fingerprint(
        data, {"year": 2026}
    )
