"""The report kinds, by their identifier."""

from __future__ import annotations

from overview.reports.followup import FollowUpReport
from overview.reports.national import NationalReport
from overview.reports.regional import RegionalReport
from portal.models import ReportJob

REPORTS = {
    NationalReport.kind: NationalReport,
    RegionalReport.kind: RegionalReport,
    FollowUpReport.kind: FollowUpReport,
}


def report_for(job_or_kind, parameters: dict | None = None):
    if isinstance(job_or_kind, ReportJob):
        return REPORTS[job_or_kind.kind](**job_or_kind.parameters)
    return REPORTS[job_or_kind](**(parameters or {}))
