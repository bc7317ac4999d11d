"""Requesting and building reports. Building runs in a background task (django.tasks: the
database queue of django-tasks-db in production, the immediate backend in tests and `make run`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import ReportJob
from portal.reports.followup import FollowUpReport
from portal.reports.national import NationalReport
from portal.reports.regional import RegionalReport

log = logging.getLogger(__name__)

REPORTS = {
    NationalReport.kind: NationalReport,
    RegionalReport.kind: RegionalReport,
    FollowUpReport.kind: FollowUpReport,
}
STALE_AFTER = timedelta(minutes=30)


def report_for(job_or_kind, parameters: dict | None = None):
    if isinstance(job_or_kind, ReportJob):
        return REPORTS[job_or_kind.kind](**job_or_kind.parameters)
    return REPORTS[job_or_kind](**(parameters or {}))


def request_report(kind: str, parameters: dict, user) -> ReportJob:
    """Collect the report's data now; reuse a job with the same data, or queue a new one.

    Side effects: creates a ReportJob and enqueues `build_report` (in the same transaction, so a
    worker only sees committed jobs).
    """
    report = report_for(kind, parameters)
    with translation.override("sv"):
        data = report.collect()
    fingerprint = report.fingerprint(data)
    # A job whose worker died (out of memory, a redeploy) must not block the report for ever.
    stale = timezone.now() - STALE_AFTER
    ReportJob.objects.filter(
        status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING], created_at__lt=stale
    ).update(status=ReportJob.Status.FAILED, error="stale", finished_at=timezone.now())
    reusable = (
        ReportJob.objects.filter(kind=kind, fingerprint=fingerprint)
        .exclude(status=ReportJob.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        return reusable
    from portal.reports.tasks import build_report

    with transaction.atomic():
        with translation.override("sv"):
            waiting = _("Waiting for a free worker")
        job = ReportJob.objects.create(
            kind=kind,
            parameters=parameters,
            fingerprint=fingerprint,
            data=data,
            requested_by=user,
            step=waiting,
        )
        build_report.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job_id: int, progress: int, step: str, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(progress=progress, step=step, **fields)


def build(job_id: int) -> None:
    """Render a queued job's PDF and XLSX from its stored data. Safe to run twice."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ReportJob.objects.get(pk=job_id)
    report = report_for(job)
    try:
        with translation.override("sv"):
            _progress(job_id, 10, _("Typesetting the PDF"))
            pdf, pages = report.render_pdf(job.data)
            _progress(job_id, 70, _("Writing the spreadsheet"))
            xlsx = report.render_xlsx(job.data)
            _progress(job_id, 90, _("Saving the files"))
        base = report.filename_base()
        job.pdf.save(f"{base}-{job.fingerprint[:8]}.pdf", ContentFile(pdf), save=False)
        job.xlsx.save(f"{base}-{job.fingerprint[:8]}.xlsx", ContentFile(xlsx), save=False)
        job.page_count = pages
        job.status, job.progress, job.step, job.finished_at = ReportJob.Status.DONE, 100, "", timezone.now()
        job.save(update_fields=["pdf", "xlsx", "page_count", "status", "progress", "step", "finished_at"])
    except Exception as error:  # a failed report must say so, not hang at "being produced"
        log.exception("report %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
