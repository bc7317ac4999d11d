from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from overview.models import ReportJob
from overview.reports import services
from overview.reports.followup import FollowUpReport
from overview.reports.forms import NationalReportForm, RegionalReportForm
from overview.reports.national import NationalReport
from overview.reports.regional import RegionalReport
from overview.reports.registry import may_read, readable_jobs, report_for
from portal.htmx import render_htmx


def _index_context(user, **forms) -> dict:
    regions = RegionalReport.regions_for(user)
    may_national = NationalReport.may_read(user, {})
    kinds = (["national"] if may_national else []) + (["regional"] if regions else [])
    recent = readable_jobs(user, list(ReportJob.objects.filter(kind__in=kinds).defer("data")[:30]))[:10]
    return {
        "national_form": forms.get("national_form") or (NationalReportForm() if may_national else None),
        "regional_form": forms.get("regional_form")
        or (RegionalReportForm(regions=regions) if regions else None),
        "recent": recent,
    }


def _job_for(user, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob, pk=pk)
    if not may_read(user, job.kind, job.parameters):
        raise Http404
    return job


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context = _index_context(request.user)
    if not (context["national_form"] or context["regional_form"]):
        raise Http404
    return render(request, "reports/index.html", context)


@login_required
@require_POST
def request_national(request: HttpRequest) -> HttpResponse:
    if not NationalReport.may_read(request.user, {}):
        raise Http404
    form = NationalReportForm(request.POST)
    if not form.is_valid():
        return render(
            request, "reports/index.html", _index_context(request.user, national_form=form), status=422
        )
    job = services.request_report("national", {"year": form.cleaned_data["year"]}, request.user)
    return redirect("reports:job", job.pk)


@login_required
@require_POST
def request_regional(request: HttpRequest) -> HttpResponse:
    regions = RegionalReport.regions_for(request.user)
    if not regions:
        raise Http404
    form = RegionalReportForm(request.POST, regions=regions)
    if not form.is_valid():
        return render(
            request, "reports/index.html", _index_context(request.user, regional_form=form), status=422
        )
    parameters = {"year": form.cleaned_data["year"], "region": form.cleaned_data["region"].code}
    job = services.request_report("regional", parameters, request.user)
    return redirect("reports:job", job.pk)


@login_required
@require_POST
def request_followup(request: HttpRequest, follow_up: int) -> HttpResponse:
    if not FollowUpReport.may_read(request.user, {"follow_up": follow_up}):
        raise Http404
    job = services.request_report("followup", {"follow_up": follow_up}, request.user)
    return redirect("reports:job", job.pk)


@login_required
@require_safe
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request.user, pk)
    report = report_for(job)
    context = {"job": job, "report": report}
    return render_htmx(request, "reports/job.html", context, partial="progress")


@login_required
@require_safe
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    job = _job_for(request.user, pk)
    if job.status != ReportJob.Status.DONE:
        raise Http404
    field, content_type = {
        "pdf": (job.pdf, "application/pdf"),
        "xlsx": (job.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }[fmt]
    name = f"{report_for(job).filename_base()}.{fmt}"
    response = FileResponse(field.open("rb"), content_type=content_type, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
