"""The report kinds, by their identifier."""

from __future__ import annotations

from overview.models import ReportJob
from overview.reports.followup import FollowUpReport
from overview.reports.national import NationalReport
from overview.reports.regional import RegionalReport

REPORTS = {
    NationalReport.kind: NationalReport,
    RegionalReport.kind: RegionalReport,
    FollowUpReport.kind: FollowUpReport,
}


def may_read(user, kind: str, parameters: dict) -> bool:
    """Whether the user may ask for a report of the kind with these parameters and read it."""
    report = REPORTS.get(kind)
    return report is not None and report.may_read(user, parameters)


def readable_jobs(user, jobs: list[ReportJob]) -> list[ReportJob]:
    """The jobs the user may read, in their order; each kind checks all its jobs at once, so the
    number of queries does not grow with the number of jobs."""
    by_kind: dict[str, list[ReportJob]] = {}
    for job in jobs:
        by_kind.setdefault(job.kind, []).append(job)
    readable = {
        job.pk
        for kind, group in by_kind.items()
        if kind in REPORTS
        for job in REPORTS[kind].readable(user, group)
    }
    return [job for job in jobs if job.pk in readable]


def report_for(job_or_kind, parameters: dict | None = None):
    if isinstance(job_or_kind, ReportJob):
        return REPORTS[job_or_kind.kind](**job_or_kind.parameters)
    return REPORTS[job_or_kind](**(parameters or {}))
