"""Reading library plans: the list and its exports, a plan's page, its PDF and attachments, the
history and the comparison of two versions. Changing a plan is in plans/edit_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from plans import exports, pdf, queries
from plans.access import plan_for
from plans.forms import PlanFilterForm
from plans.history import diff
from plans.models import Attachment, Plan, PlanVersion
from plans.review_views import review_capabilities
from plans.search import search_plans, snippet_for
from portal.documents import download_response
from portal.exports import dated_filename, export_response
from portal.htmx import render_htmx
from portal.rules import can

PAGE_SIZE = 25


def plan_capabilities(user, plan: Plan) -> dict:
    """Capability booleans for a plan's pages (asked of the permissions module)."""
    return {
        "can_edit": can(user, "plans.edit_plan", plan),
        "can_adopt": can(user, "plans.adopt_plan", plan),
        "can_copy": can(user, "plans.copy_plan", plan),
        "can_view_internals": can(user, "plans.view_plan_internals", plan),
        **review_capabilities(user, plan),
    }


def public_attachments(plan: Plan, internals: bool) -> list[Attachment]:
    """Everyone who works with the plan sees all attachments; the public only the adopted document
    (material uploaded while drafting, such as consultation answers, stays internal)."""
    if internals:
        return list(plan.attachments.all())
    return [plan.adopted_document] if plan.is_adopted and plan.adopted_document_id else []


# --- the list, search and exports ---------------------------------------------------------


def listed_plans(request: HttpRequest) -> tuple[PlanFilterForm, QuerySet[Plan], str]:
    """The plans the list shows this person with the request's filters (all pages), the bound
    filter form and the search words. The plan list and its exports share it."""
    user = request.user
    form = PlanFilterForm(request.GET or None, public=not user.is_authenticated)
    plans = Plan.objects.visible_to(user).with_listing()
    words = ""
    if form.is_valid():
        data = form.cleaned_data
        if data.get("region"):
            region = data["region"]
            plans = plans.filter(Q(organisation=region) | Q(organisation__parent=region))
        if data.get("status"):
            plans = plans.filter(status=data["status"])
        if data.get("kind"):
            plans = plans.filter(kind=data["kind"])
        if data.get("year"):
            plans = plans.filter(first_year__lte=data["year"], last_year__gte=data["year"])
        if data.get("focus"):
            plans = plans.filter(focus_areas__national=data["focus"]).distinct()
        words = data.get("q") or ""
        if words:
            plans = search_plans(plans, words)
        if data.get("sort") and not words:
            plans = plans.order_by(data["sort"], "organisation__name", "pk")
    return form, plans, words


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    """All plans the person may read (the public sees adopted plans), filtered and sorted."""
    user = request.user
    public = not user.is_authenticated
    form, plans, words = listed_plans(request)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    for plan in rows:
        plan.snippet = snippet_for(plan, words) if words else ""
    context = {
        "form": form,
        "page": page,
        "plans": rows,
        "words": words,
        "public": public,
        "can_create": can(user, "plans.add_plan"),
        "can_export_followups": can(user, "plans.export_followups"),
    }
    return render_htmx(request, "plans/plan_list.html", context, partial="results")


@require_safe
def plan_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The plan list as a table: the same plans and filters as the list, all pages."""
    _form, plans, _words = listed_plans(request)
    rows = exports.plan_rows(plans, request.user)
    return export_response(exports.PlanResource(), rows, file_format, dated_filename("biblioteksplaner"))


@login_required
@require_safe
def followups_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Every follow-up of the listed plans (same filters) that the person may read."""
    if not can(request.user, "plans.export_followups"):
        raise Http404
    _form, plans, _words = listed_plans(request)
    rows = exports.followup_rows(plans, request.user)
    return export_response(exports.FollowUpResource(), rows, file_format, dated_filename("uppfoljningar"))


# --- one plan -----------------------------------------------------------------------------


@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk)
    tree = queries.plan_tree(plan.pk)
    caps = plan_capabilities(request.user, plan)
    attachments = public_attachments(plan, caps["can_view_internals"])
    return render(request, "plans/plan_detail.html", {"plan": tree, "attachments": attachments, **caps})


@require_safe
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk)
    try:
        document = pdf.cached_plan_pdf(plan)
    except pdf.PlanPdfUnavailable as unavailable:
        context = {"plan": plan, "too_large": unavailable.too_large, **plan_capabilities(request.user, plan)}
        return render(request, "plans/pdf_unavailable.html", context, status=422)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(plan)}"'
    return response


@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    plan = plan_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, plan=plan)
    internals = can(request.user, "plans.view_plan_internals", plan)
    if not internals and not (plan.is_adopted and plan.adopted_document_id == attachment.pk):
        raise Http404
    return download_response(attachment)


# --- history ------------------------------------------------------------------------------


@login_required
@require_safe
def history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk, "plans.view_plan_internals")
    versions = plan.versions.select_related("created_by").defer("content")
    page = Paginator(versions, 50).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    return render(
        request,
        "plans/history.html",
        {
            "plan": plan,
            "page": page,
            "versions": rows,
            # The newest version (first on the first page) is the current text: nothing to restore.
            "latest_number": rows[0].number if rows and not page.has_previous() else None,
            "can_restore": can(request.user, "plans.restore_version", plan),
        },
    )


@login_required
@require_safe
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk, "plans.view_plan_internals")
    numbers = plan.versions.values_list("number", flat=True)
    try:
        old_n, new_n = int(request.GET.get("fran", "")), int(request.GET.get("till", ""))
    except ValueError:
        latest = list(numbers[:2])
        if len(latest) < 2:
            messages.info(request, _("There is only one version so far."))
            return redirect("plans:history", plan.pk)
        new_n, old_n = latest
    old = get_object_or_404(PlanVersion.objects.select_related("created_by"), plan=plan, number=old_n)
    new = get_object_or_404(PlanVersion.objects.select_related("created_by"), plan=plan, number=new_n)
    rows = diff(old.snapshot, new.snapshot)
    return render(
        request,
        "plans/compare.html",
        {
            "plan": plan,
            "old": old,
            "new": new,
            "rows": rows,
            "changes": sum(1 for r in rows if r.kind in ("added", "removed")),
        },
    )
