from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.models import ReportJob
from portal.permissions import can
from portal.reports import services
from portal.reports.forms import NationalReportForm

PERMISSIONS = {"national": "reports.national"}


def _may(user, kind: str, parameters: dict) -> bool:
    return kind in PERMISSIONS and can(user, PERMISSIONS[kind], parameters)


def _job_for(user, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob, pk=pk)
    if not _may(user, job.kind, job.parameters):
        raise Http404
    return job


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not any(_may(request.user, kind, {}) for kind in PERMISSIONS):
        raise Http404
    recent = ReportJob.objects.filter(kind__in=[k for k in PERMISSIONS if _may(request.user, k, {})]).defer(
        "data"
    )[:10]
    return render(request, "reports/index.html", {"national_form": NationalReportForm(), "recent": recent})


@login_required
@require_POST
def request_national(request: HttpRequest) -> HttpResponse:
    if not _may(request.user, "national", {}):
        raise Http404
    form = NationalReportForm(request.POST)
    if not form.is_valid():
        recent = ReportJob.objects.filter(kind="national").defer("data")[:10]
        return render(request, "reports/index.html", {"national_form": form, "recent": recent}, status=422)
    job = services.request_report("national", {"year": form.cleaned_data["year"]}, request.user)
    return redirect("reports:job", job.pk)


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request.user, pk)
    report = services.report_for(job)
    context = {"job": job, "report": report}
    if request.htmx:
        return render(request, "reports/job.html#progress", context)
    return render(request, "reports/job.html", context)


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
    name = f"{services.report_for(job).filename_base()}.{fmt}"
    response = FileResponse(field.open("rb"), content_type=content_type, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
