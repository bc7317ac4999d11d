"""Changing library plans: creating and copying forward, the edit page with its details,
sections and focus-area tree, attachments, restoring a version, and recording the adoption.

Every view that changes a plan looks it up with editable_plan_for under @edits_plan (404 for
outsiders; a writer of an adopted plan or one in review is told so and sent to the plan), binds a
form, makes one call to plans.services and redirects, or answers htmx with a partial.
Reading plans is in plans/plan_views.py.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from plans import queries, services
from plans.access import editable_plan_for, edits_plan, plan_for
from plans.forms import (
    ActivityForm,
    AdoptionForm,
    AttachmentForm,
    FocusAreaForm,
    GoalForm,
    IndicatorForm,
    NewSectionForm,
    PlanCreateForm,
    PlanMetaForm,
    SectionForm,
)
from plans.limits import LimitReached
from plans.models import Activity, Goal, Indicator, Plan, PlanFocusArea, PlanVersion, Section
from plans.plan_views import plan_capabilities
from plans.rules import creatable_organisations
from portal.htmx import render_htmx
from portal.richtext import sanitize
from portal.rules import can, can_create_plan_for
from portal.validators import strip_control_characters


def _int_or_none(value) -> int | None:
    """A database id from a query string, or None (never a 500 for "²" or 5,000 digits)."""
    return int(value) if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value) else None


# --- creating -----------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    organisations = creatable_organisations(request.user)
    if not organisations:
        raise Http404
    initial = {}
    if "fran" in request.GET:
        source_id = _int_or_none(request.GET["fran"])
        source = (
            Plan.objects.adopted().filter(pk=source_id, organisation__in=organisations).first()
            if source_id
            else None
        )
        if source:
            initial = {
                "start": PlanCreateForm.START_COPY,
                "source": source.pk,
                "organisation": source.organisation_id,
                "kind": source.kind,
                "title": source.title,
                "first_year": source.last_year + 1,
                "last_year": source.last_year + 1 + (source.last_year - source.first_year),
            }
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_create_plan_for(request.user, data["organisation"]):
            raise Http404
        try:
            plan = services.create_plan(
                user=request.user,
                organisation=data["organisation"],
                kind=data["kind"],
                title=data["title"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                start=data["start"],
                source=data["source"],
            )
        except IntegrityError:
            form.add_error("title", _("The organisation already has a plan with this title."))
        except LimitReached as reached:
            form.add_error("source", str(reached))
        else:
            messages.success(request, _("The plan has been created. Write it section by section below."))
            return redirect("plans:edit", plan.pk)
    return render(request, "plans/plan_create.html", {"form": form})


@login_required
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk, "plans.copy_plan")
    return redirect(reverse("plans:create") + f"?fran={plan.pk}")


# --- the edit page and the plan's title and period ----------------------------------------


def _details_form(plan: Plan) -> PlanMetaForm:
    """The title-and-period form, filled in as `plan` is stored."""
    return PlanMetaForm(
        plan=plan,
        initial={
            "title": plan.title,
            "first_year": plan.first_year,
            "last_year": plan.last_year,
            "version": plan.version,
        },
    )


def _section_form(section: Section, prefix: str) -> SectionForm:
    """A section's form, filled in as the section is stored."""
    return SectionForm(
        initial={"heading": section.heading, "body": section.body, "version": section.version}, prefix=prefix
    )


def _edit_context(request, plan: Plan, **extra) -> dict:
    tree = queries.plan_tree(plan.pk)
    return {
        "plan": tree,
        "meta_form": _details_form(tree),
        "section_forms": [
            (section, _section_form(section, f"s{section.pk}")) for section in tree.sections.all()
        ],
        "new_section_form": NewSectionForm(),
        "new_focus_form": FocusAreaForm(prefix="new-focus"),
        "attachment_form": AttachmentForm(),
        "attachments": list(plan.attachments.all()),
        **plan_capabilities(request.user, plan),
        **extra,
    }


@login_required
@require_safe
@edits_plan
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    return render(request, "plans/plan_edit.html", _edit_context(request, plan))


def _details_response(
    request, plan: Plan, form: PlanMetaForm, *, status=200, saved=False, conflict: dict | None = None
) -> HttpResponse:
    """The title-and-period form: the partial for htmx, else the whole edit page. After a
    conflict, `conflict` holds what the person sent, shown beside the stored values."""
    extra = {"meta_form": form, "details_conflict": conflict}
    if request.htmx:
        context = {"plan": plan, "saved": saved, **extra}
        return render_htmx(request, "plans/plan_edit.html", context, partial="details", status=status)
    return render(request, "plans/plan_edit.html", _edit_context(request, plan, **extra), status=status)


@login_required
@require_POST
@edits_plan
def plan_details_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    form = PlanMetaForm(request.POST, plan=plan)
    if not form.is_valid():
        return _details_response(request, plan, form, status=422)
    data = form.cleaned_data
    try:
        services.save_plan_details(
            plan,
            request.user,
            version=data["version"],
            title=data["title"],
            first_year=data["first_year"],
            last_year=data["last_year"],
        )
    except services.Conflict as conflict:
        return _details_response(
            request, plan, _details_form(conflict.current), status=409, conflict=form.cleaned_data
        )
    except IntegrityError:
        form.add_error("title", _("The organisation already has a plan with this title."))
        return _details_response(request, plan, form, status=422)
    if not request.htmx:
        messages.success(request, _("The title and period have been saved."))
        return redirect("plans:edit", plan.pk)
    plan.refresh_from_db()
    return _details_response(request, plan, _details_form(plan), saved=True)


# --- sections -----------------------------------------------------------------------------


@login_required
@edits_plan
def section_save(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    """Show (GET) or save (POST) one section. htmx saves as the person types and gets the
    save status back; a conflict or a removed section replaces the section with a view of both."""
    plan = editable_plan_for(request, pk)
    section = Section.objects.filter(pk=section_id, plan=plan).first()
    prefix = f"s{section_id}"
    if section is None:
        if request.method != "POST":
            raise Http404
        return _section_removed(request, plan, section_id, prefix)
    if request.method != "POST":
        context = {"plan": plan, "section": section, "form": _section_form(section, prefix)}
        return render(request, "plans/section_edit.html", context)
    form = SectionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _section_invalid(request, plan, section, form)
    mine = form.cleaned_data
    try:
        section = services.save_section(
            section, request.user, version=mine["version"], heading=mine["heading"], body=mine["body"]
        )
    except services.Conflict as conflict:
        if conflict.current is None:
            return _section_removed(request, plan, section_id, prefix)
        return _section_conflict(request, plan, conflict.current, mine, prefix)
    if not request.htmx:
        messages.success(
            request, _("The section “%(heading)s” has been saved.") % {"heading": section.heading}
        )
        return redirect(reverse("plans:edit", args=[plan.pk]) + f"#section-{section.pk}")
    context = {"plan": plan, "section": section, "form": _section_form(section, prefix), "saved": True}
    return render_htmx(request, "plans/includes/section_form.html", context, partial="section-status")


def _section_invalid(request, plan: Plan, section: Section, form: SectionForm) -> HttpResponse:
    if request.htmx:
        context = {"plan": plan, "section": section, "form": form, "invalid": True}
        return render_htmx(
            request, "plans/includes/section_form.html", context, partial="section-status", status=422
        )
    context = {"plan": plan, "section": section, "form": form, "invalid": True}
    return render(request, "plans/section_edit.html", context, status=422)


def _section_conflict(request, plan: Plan, current: Section, mine: dict, prefix: str) -> HttpResponse:
    """Someone else saved the section first: both versions side by side, nothing overwritten."""
    context = {
        "plan": plan,
        "section": current,
        "mine": mine,
        "mine_body_clean": sanitize(mine["body"]),
        "form": SectionForm(
            initial={"heading": mine["heading"], "body": sanitize(mine["body"]), "version": current.version},
            prefix=prefix,
        ),
    }
    response = render_htmx(request, "plans/section_conflict.html", context, partial="conflict", status=409)
    if request.htmx:
        reswap(retarget(response, f"#section-{current.pk}"), "outerHTML")
    return response


def _section_removed(request, plan: Plan, section_id: int, prefix: str) -> HttpResponse:
    """The section was removed (or the plan restored) while someone wrote in it: show their
    text so nothing is lost, with a way to add it as a new section."""
    heading = request.POST.get(f"{prefix}-heading", "")[:200]
    body = sanitize(request.POST.get(f"{prefix}-body", ""))
    context = {
        "plan": plan,
        "section_id": section_id,
        "heading": heading,
        "body": body,
        "form": NewSectionForm(initial={"heading": heading}),
    }
    response = render_htmx(request, "plans/section_removed.html", context, partial="removed", status=409)
    if request.htmx:
        reswap(retarget(response, f"#section-{section_id}"), "outerHTML")
    return response


@login_required
@require_POST
@edits_plan
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    form = NewSectionForm(request.POST)
    if form.is_valid():
        # `body` comes only from the restore of a removed section (section_removed.html): the text
        # the person wrote, kept as it was except for control characters (the form checks the heading).
        body = strip_control_characters(request.POST.get("body", ""))
        try:
            section = services.add_section(plan, request.user, form.cleaned_data["heading"], body=body)
        except LimitReached as reached:
            form.add_error("heading", str(reached))
    if not form.is_valid():
        return render(
            request, "plans/plan_edit.html", _edit_context(request, plan, new_section_form=form), status=422
        )
    messages.success(request, _("The section “%(heading)s” has been added.") % {"heading": section.heading})
    return redirect(reverse("plans:edit", args=[plan.pk]) + f"#section-{section.pk}")


# --- focus areas, goals, activities, indicators (one set of views for all four) -----------

ITEMS = {
    "fokusomrade": (PlanFocusArea, FocusAreaForm, None),
    "mal": (Goal, GoalForm, "fokusomrade"),
    "insats": (Activity, ActivityForm, "mal"),
    "nyckeltal": (Indicator, IndicatorForm, "mal"),
}
SECTION_KIND = "avsnitt"

ITEM_HEADINGS = {
    "fokusomrade": (gettext_lazy("New focus area"), gettext_lazy("Edit the focus area")),
    "mal": (gettext_lazy("New goal"), gettext_lazy("Edit the goal")),
    "insats": (gettext_lazy("New activity"), gettext_lazy("Edit the activity")),
    "nyckeltal": (gettext_lazy("New indicator"), gettext_lazy("Edit the indicator")),
}


def _item(plan: Plan, kind: str, item_id: int):
    if kind == SECTION_KIND:
        return get_object_or_404(Section, pk=item_id, plan=plan)
    model = ITEMS[kind][0]
    lookup = {
        PlanFocusArea: "plan",
        Goal: "focus_area__plan",
        Activity: "goal__focus_area__plan",
        Indicator: "goal__focus_area__plan",
    }[model]
    return get_object_or_404(model, pk=item_id, **{lookup: plan})


def _item_form(kind, plan, data=None, instance=None, prefix=None, initial=None):
    form_class = ITEMS[kind][1]
    kwargs = {"data": data, "instance": instance, "prefix": prefix, "initial": initial}
    if form_class is IndicatorForm:
        kwargs["plan"] = plan
    return form_class(**kwargs)


def _focus_tree_response(request, plan: Plan) -> HttpResponse:
    context = {"plan": queries.plan_tree(plan.pk), "can_edit": True}
    return render_htmx(request, "plans/plan_edit.html", context, partial="focus-tree")


def _render_item_form(request, plan, kind, form, instance, parent, status=200) -> HttpResponse:
    if instance is not None:
        action = reverse("plans:item_save", args=[plan.pk, kind, instance.pk])
        form_id, anchor = f"{kind}-{instance.pk}", f"{kind}-{instance.pk}"
    else:
        action = reverse("plans:item_add", args=[plan.pk, kind])
        form_id = f"new-{kind}-{parent.pk if parent else 0}"
        anchor = "focus-areas"
    context = {
        "plan": plan,
        "form": form,
        "kind": kind,
        "instance": instance,
        "parent": parent,
        "action": action,
        "form_id": form_id,
        "anchor": anchor,
        "heading": ITEM_HEADINGS[kind][instance is not None],
    }
    response = render_htmx(request, "plans/item_form_page.html", context, partial="item-form", status=status)
    if request.htmx and status != 200:
        reswap(retarget(response, f"#form-{form_id}"), "outerHTML")
    return response


@login_required
@edits_plan
def item_save(request: HttpRequest, pk: int, kind: str, item_id: int | None = None) -> HttpResponse:
    """Show (GET) or save (POST) a new (item_id None, parent from `under`) or existing item of
    the focus-area tree. htmx gets the form as a fragment and the refreshed tree after saving."""
    if kind not in ITEMS:
        raise Http404
    plan = editable_plan_for(request, pk)
    instance = _item(plan, kind, item_id) if item_id else None
    parent = None
    if instance is None and ITEMS[kind][2]:
        under = _int_or_none((request.POST if request.method == "POST" else request.GET).get("under"))
        if under is None:
            raise Http404
        parent = _item(plan, ITEMS[kind][2], under)
    prefix = f"{kind}-{item_id or 'new'}"
    if request.method != "POST":
        initial = {"version": instance.version} if instance else {}
        form = _item_form(kind, plan, None, instance, prefix=prefix, initial=initial)
        return _render_item_form(request, plan, kind, form, instance, parent)
    form = _item_form(kind, plan, request.POST, instance, prefix=prefix)
    if not form.is_valid():
        return _render_item_form(request, plan, kind, form, instance, parent, status=422)
    try:
        saved = services.save_item(
            plan, request.user, form, parent=parent, version=form.cleaned_data.get("version")
        )
    except LimitReached as reached:
        form.add_error(None, str(reached))
        return _render_item_form(request, plan, kind, form, instance, parent, status=422)
    except services.Conflict as conflict:
        current = conflict.current
        if current is None:
            messages.error(request, _("Someone else removed this while you were editing."))
            return redirect("plans:edit", plan.pk)
        form = _item_form(kind, plan, None, current, prefix=prefix, initial={"version": current.version})
        form.conflict = True
        return _render_item_form(request, plan, kind, form, current, parent, status=409)
    if request.htmx:
        return _focus_tree_response(request, plan)
    messages.success(request, _("Saved: %(item)s.") % {"item": services.describe(saved)})
    return redirect(reverse("plans:edit", args=[plan.pk]) + f"#{kind}-{saved.pk}")


@login_required
@require_POST
@edits_plan
def item_move(request: HttpRequest, pk: int, kind: str, item_id: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    item = _item(plan, kind, item_id)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.move(plan, request.user, item, direction)
    if request.htmx and kind != SECTION_KIND:
        return _focus_tree_response(request, plan)
    anchor = "section" if kind == SECTION_KIND else kind
    return redirect(reverse("plans:edit", args=[plan.pk]) + f"#{anchor}-{item.pk}")


@login_required
@require_POST
@edits_plan
def item_delete(request: HttpRequest, pk: int, kind: str, item_id: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    item = _item(plan, kind, item_id)
    label = services.describe(item)
    services.delete(plan, request.user, item)
    if request.htmx and kind != SECTION_KIND:
        return _focus_tree_response(request, plan)
    messages.success(request, _("Removed: %(item)s.") % {"item": label})
    return redirect("plans:edit", plan.pk)


# --- restoring a version, attachments, adoption -------------------------------------------


@login_required
@require_POST
@edits_plan
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    version = get_object_or_404(PlanVersion, plan=plan, number=number)
    try:
        new = services.restore(plan, request.user, version)
    except services.CannotRestore as problem:
        messages.error(request, str(problem))
        return redirect("plans:history", plan.pk)
    messages.success(
        request,
        _("Version %(old)s has been restored as version %(new)s.") % {"old": number, "new": new.number},
    )
    return redirect("plans:history", plan.pk)


@login_required
@require_POST
@edits_plan
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                plan, request.user, title=form.cleaned_data["title"], uploaded=form.cleaned_data["file"]
            )
        except LimitReached as reached:
            form.add_error("file", str(reached))
    if not form.is_valid():
        return render(
            request, "plans/plan_edit.html", _edit_context(request, plan, attachment_form=form), status=422
        )
    messages.success(request, _("The attachment has been uploaded."))
    return redirect(reverse("plans:edit", args=[plan.pk]) + "#attachments")


@login_required
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the council's decision: the plan becomes adopted, public and read-only."""
    plan = plan_for(request.user, pk, "plans.view_plan_internals")
    if not can(request.user, "plans.adopt_plan", plan):
        if plan.is_adopted:
            messages.info(request, _("The adoption of this plan has already been recorded."))
            return redirect(plan)
        raise Http404
    posted = request.method == "POST"
    form = AdoptionForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_adoption(plan, request.user, **form.cleaned_data)
        except services.NotEditable:
            messages.info(request, _("The adoption of this plan has already been recorded."))
        else:
            messages.success(
                request, _("The adoption has been recorded. The plan is now read-only and public.")
            )
        return redirect(plan)
    return render(
        request,
        "plans/adopt.html",
        {"plan": plan, "form": form, "bodies": AdoptionForm.BODIES},
        status=422 if form.errors else 200,
    )
