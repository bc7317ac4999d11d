"""Import pages: choose a kind, upload a file, look at the preview (a dry run), confirm."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.forms import PortalForm
from portal.imports import services
from portal.imports.base import MAX_BYTES, MAX_ROWS, ImportFileError
from portal.imports.registry import BY_KIND, Importer, importers_for
from portal.imports.samples import template_for
from portal.models import ImportBatch


class UploadForm(PortalForm):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8, separated by semicolons or commas) or Excel (.xlsx), at most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": gettext_lazy("Choose a file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB). An import file may be at most %(max)s MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024}
            )
        return upload


def _importer(request, kind: str) -> Importer:
    importer = BY_KIND.get(kind)
    if importer is None or not importer.may_use(request.user):
        raise Http404
    return importer


def _batch(request, pk: int) -> ImportBatch:
    """Only the person who uploaded a file sees its preview and may confirm it."""
    return get_object_or_404(ImportBatch, pk=pk, created_by=request.user)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    importers = importers_for(request.user)
    if not importers:
        raise Http404
    recent = list(ImportBatch.objects.filter(created_by=request.user).defer("content")[:10])
    for batch in recent:
        batch.kind_title = BY_KIND[batch.kind].title if batch.kind in BY_KIND else batch.kind
    return render(request, "portal/imports/index.html", {"importers": importers, "recent": recent})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer(request, kind)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.preview(importer, request.user, upload.name, upload.read())
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("imports:preview", pk=batch.pk)
    return render(
        request,
        "portal/imports/upload.html",
        {"importer": importer, "form": form, "max_rows": MAX_ROWS},
        status=422 if form.errors else 200,
    )


@login_required
@require_safe
def template_file(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    """An empty file with the right column headings and one example row."""

    importer = _importer(request, kind)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    content, content_type = template_for(importer, file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="import-{importer.kind}.{file_format}"'
    return response


@login_required
@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    importer = _importer(request, batch.kind)
    return render(request, "portal/imports/preview.html", {"batch": batch, "importer": importer})


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    importer = _importer(request, batch.kind)
    try:
        outcome = services.confirm(importer, batch, request.user)
    except services.AlreadyImported:
        messages.info(request, _("This file has already been imported or cancelled."))
        return redirect("imports:preview", pk=batch.pk)
    if outcome == services.HAS_ERRORS:
        messages.error(
            request,
            _("Nothing was imported: some rows have errors now. Correct the file and upload it again."),
        )
        return render(
            request, "portal/imports/preview.html", {"batch": batch, "importer": importer}, status=422
        )
    if outcome == services.CHANGED:
        messages.warning(
            request,
            _(
                "Nothing was imported: the data has changed since the preview, so the import would now "
                "do something else. Look at the new preview below and confirm again."
            ),
        )
        return redirect("imports:preview", pk=batch.pk)
    totals = batch.totals
    messages.success(
        request,
        _("The import is done: %(new)s created, %(update)s updated, %(skip)s unchanged.")
        % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
    )
    return redirect("imports:preview", pk=batch.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    services.cancel(batch)
    messages.info(request, _("The import was cancelled. Nothing was imported."))
    return redirect("imports:index")
