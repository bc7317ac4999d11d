from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from overview.reports import services
from overview.reports.forms import NationalReportForm, RegionalReportForm
from overview.reports.registry import report_for
from plans.models import FollowUp
from portal.htmx import render_htmx
from portal.models import Organisation, ReportJob
from portal.rules import can


def _regions_for(user):
    regions = Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("code")
    return regions.filter(pk__in=[r.pk for r in regions if can(user, "reports.regional", r)])


def _may(user, kind: str, parameters: dict) -> bool:
    if kind == "national":
        return can(user, "reports.national")
    if kind == "followup":
        follow_up = (
            FollowUp.objects.select_related("plan", "plan__organisation")
            .filter(pk=parameters.get("follow_up"))
            .first()
        )
        return follow_up is not None and can(user, "plans.view_followup", follow_up)
    if kind == "regional":
        region = Organisation.objects.filter(
            kind=Organisation.Kind.REGION, code=parameters.get("region")
        ).first()
        return region is not None and can(user, "reports.regional", region)
    return False


def _index_context(user, **forms) -> dict:
    regions = _regions_for(user)
    may_national = can(user, "reports.national")
    kinds = (["national"] if may_national else []) + (["regional"] if regions else [])
    recent = [
        job
        for job in ReportJob.objects.filter(kind__in=kinds).defer("data")[:30]
        if _may(user, job.kind, job.parameters)
    ][:10]
    return {
        "national_form": forms.get("national_form") or (NationalReportForm() if may_national else None),
        "regional_form": forms.get("regional_form")
        or (RegionalReportForm(regions=regions) if regions else None),
        "recent": recent,
    }


def _job_for(user, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob, pk=pk)
    if not _may(user, job.kind, job.parameters):
        raise Http404
    return job


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = _index_context(request.user)
    if not (context["national_form"] or context["regional_form"]):
        raise Http404
    return render(request, "reports/index.html", context)


@login_required
@require_POST
def request_national(request: HttpRequest) -> HttpResponse:
    if not _may(request.user, "national", {}):
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
    regions = _regions_for(request.user)
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
    if not _may(request.user, "followup", {"follow_up": follow_up}):
        raise Http404
    job = services.request_report("followup", {"follow_up": follow_up}, request.user)
    return redirect("reports:job", job.pk)


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request.user, pk)
    report = report_for(job)
    context = {"job": job, "report": report}
    return render_htmx(request, "reports/job.html", context, partial="progress")


@login_required
@require_GET
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
