"""Requesting and building reports. Building runs in a background task (django.tasks: the
database queue of django-tasks-db in production, the immediate backend in tests and `make run`)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from overview.models import ReportJob
from overview.reports.registry import report_for
from overview.reports.tasks import build_report

STALE_AFTER = timedelta(minutes=30)


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
