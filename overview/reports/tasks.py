"""Building reports in the background (django.tasks: the database queue of django-tasks-db in
production, the immediate backend in tests and `make run`). Progress is kept on the job."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from overview.models import ReportJob
from overview.reports.registry import report_for

log = logging.getLogger(__name__)


@task()
def build_report(job_id: int) -> None:
    """Background: render a report job's PDF and XLSX."""
    build(job_id)


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
