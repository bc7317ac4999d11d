"""Requesting and building reports. Building runs in a background task (django.tasks: the
database queue of django-tasks-db in production, the immediate backend in tests and `make run`)."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from overview.models import ReportJob
from overview.reports.registry import report_for
from overview.reports.tasks import build_report

STALE_AFTER = timedelta(minutes=30)
ATTEMPTS = 3  # a job that fails just as another request looks for it costs a round


def request_report(kind: str, parameters: dict, user) -> ReportJob:
    """Collect the report's data now; reuse the job with the same scope and data, or queue a new
    one. Requests that arrive at the same moment all get the same job: the database allows one
    job that has not failed per kind and fingerprint, and the requests that lose the race to
    create it return the winner's job.

    Side effects: marks stale jobs as failed; creates a ReportJob and enqueues `build_report`
    (in the same transaction, so a worker only sees committed jobs).
    """
    report = report_for(kind, parameters)
    with translation.override("sv"):
        data = report.collect()
    fingerprint = report.fingerprint(data, parameters)
    # A job whose worker died (out of memory, a redeploy) must not block the report for ever.
    stale = timezone.now() - STALE_AFTER
    ReportJob.objects.filter(
        status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING], created_at__lt=stale
    ).update(status=ReportJob.Status.FAILED, error="stale", finished_at=timezone.now())
    for _attempt in range(ATTEMPTS - 1):
        job = _current_job(kind, fingerprint)
        if job is not None:
            return job
        try:
            return _create_job(kind, parameters, fingerprint, data, user)
        except IntegrityError:
            continue  # another request created it since we looked (`report_job_once`)
    return _current_job(kind, fingerprint) or _create_job(kind, parameters, fingerprint, data, user)


def _create_job(kind: str, parameters: dict, fingerprint: str, data: dict, user) -> ReportJob:
    with translation.override("sv"):
        waiting = _("Waiting for a free worker")
    with transaction.atomic():
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


def _current_job(kind: str, fingerprint: str) -> ReportJob | None:
    """The job for this data that has not failed (at most one: `report_job_once`)."""
    return (
        ReportJob.objects.filter(kind=kind, fingerprint=fingerprint)
        .exclude(status=ReportJob.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
