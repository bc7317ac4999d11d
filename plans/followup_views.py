"""The annual follow-up of an adopted plan: list per year, the form, acknowledgement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import followups
from plans.access import plan_for
from plans.models import FollowUp
from plans.review_forms import AcknowledgeForm, CompletionForm, FollowUpForm, FollowUpYearForm
from plans.review_views import review_capabilities
from portal.notifications import mark_read_for
from portal.rules import can, reviews_plans_of_org


@login_required
def followup_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's follow-ups by year; POST a year to start (or open) that year's follow-up."""
    plan = plan_for(request.user, pk, "plans.view_followups")
    can_start = can(request.user, "plans.start_followup", plan)
    form = FollowUpYearForm(
        request.POST if request.method == "POST" else None, initial={"year": followups.due_year()}
    )
    status = 200
    if request.method == "POST":
        if not can_start:
            raise Http404
        if form.is_valid():
            try:
                followups.check_year(plan, form.cleaned_data["year"])
            except followups.TransitionError as error:
                form.add_error("year", error.message)
            else:
                return redirect("plans:followup", plan.pk, form.cleaned_data["year"])
        status = 422
    existing = {f.year: f for f in plan.follow_ups.all()}
    years = [(y, existing.get(y)) for y in followups.years_to_follow_up(plan)] if plan.is_adopted else []
    return render(
        request,
        "plans/followup_list.html",
        {
            "plan": plan,
            "years": list(reversed(years)),
            "form": form,
            "can_start": can_start and plan.is_adopted,
            "due_year": followups.due_year(),
            **review_capabilities(request.user, plan),
            "active": "followups",
        },
        status=status,
    )


def _initial(follow_up: FollowUp | None) -> dict:
    if follow_up is None:
        return {}
    initial = {"narrative": follow_up.narrative}
    for g in follow_up.goals.all():
        initial[f"goal_{g.goal_id}_status"] = g.status
        initial[f"goal_{g.goal_id}_comment"] = g.comment
    for i in follow_up.indicators.all():
        initial[f"indicator_{i.indicator_id}"] = i.value
    return initial


@login_required
def followup_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    plan = plan_for(request.user, pk, "plans.view_followups")
    follow_up = plan.follow_ups.filter(year=year).first()
    if follow_up is not None:
        follow_up.plan = plan
        mark_read_for(request.user, follow_up.get_absolute_url())
    try:
        followups.check_year(plan, year)
    except followups.TransitionError as error:
        if follow_up is None:
            messages.error(request, error.message)
            return redirect("plans:followups", plan.pk)
    can_edit = (
        can(request.user, "plans.edit_followup", follow_up)
        if follow_up
        else can(request.user, "plans.start_followup", plan)
    )
    goals, indicators = followups.goals_and_indicators(plan)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        goals=goals,
        indicators=indicators,
        year=year,
        initial=_initial(follow_up),
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            if (
                follow_up
                and can(request.user, "plans.view_followup", follow_up)
                and (
                    reviews_plans_of_org(request.user, plan.organisation)
                    or can(request.user, "plans.copy_plan", plan)
                )
            ):
                messages.error(request, _("The follow-up has been submitted and can no longer be changed."))
                return redirect(follow_up)
            raise Http404
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                saved = followups.save(plan, request.user, year, form.data_object(), submit=submit)
            except followups.Incomplete as incomplete:
                for name, message in incomplete.errors.items():
                    form.add_error(name, message)
                form.add_error(
                    None, _("The follow-up is not complete, so it has not been submitted or saved.")
                )
            except followups.TransitionError as error:
                form.add_error(None, error.message)
            else:
                if submit:
                    messages.success(
                        request, _("The follow-up for %(year)s has been submitted.") % {"year": year}
                    )
                else:
                    messages.success(request, _("The follow-up has been saved as a draft."))
                return redirect(saved)
        status = 422
    context = {
        "plan": plan,
        "year": year,
        "follow_up": follow_up,
        "form": form,
        "can_edit": can_edit,
        "can_submit_followup": can(
            request.user, "plans.submit_followup", follow_up or FollowUp(plan=plan, year=year)
        ),
        "can_acknowledge": follow_up is not None
        and can(request.user, "plans.acknowledge_followup", follow_up),
        "goal_rows": _read_rows(follow_up, goals, indicators) if follow_up and not can_edit else [],
        "ack_form": AcknowledgeForm(),
        "completion_form": CompletionForm(),
        "changes": follow_up.status_changes.select_related("by") if follow_up else [],
        **review_capabilities(request.user, plan),
        "active": "followups",
    }
    return render(request, "plans/followup.html", context, status=status)


def _read_rows(follow_up, goals, indicators):
    statuses = {g.goal_id: g for g in follow_up.goals.all()}
    values = {i.indicator_id: i.value for i in follow_up.indicators.all()}
    rows = []
    for goal in goals:
        rows.append(
            {
                "goal": goal,
                "entry": statuses.get(goal.pk),
                "indicators": [(i, values.get(i.pk)) for i in indicators if i.goal_id == goal.pk],
            }
        )
    return rows


def _follow_up_or_404(request, pk, year) -> FollowUp:
    plan = plan_for(request.user, pk, "plans.view_followups")
    follow_up = plan.follow_ups.filter(year=year).first()
    if follow_up is None:
        raise Http404
    follow_up.plan = plan
    if not reviews_plans_of_org(request.user, plan.organisation):
        raise Http404
    return follow_up


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    follow_up = _follow_up_or_404(request, pk, year)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():  # a note too long was dropped silently before
        for error in form.errors.get("note", []):
            messages.error(request, f"{form['note'].label}: {error}")
        return redirect(reverse("plans:followup", args=[pk, year]) + "#review-actions")
    try:
        followups.acknowledge(follow_up, request.user, form.cleaned_data["note"])
    except followups.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The follow-up has been acknowledged."))
    return redirect(follow_up)


@login_required
@require_POST
def request_completion(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    follow_up = _follow_up_or_404(request, pk, year)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what needs to be completed."))
        return redirect(reverse("plans:followup", args=[pk, year]) + "#review-actions")
    try:
        followups.request_completion(follow_up, request.user, form.cleaned_data["note"])
    except followups.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The chef has been asked to complete the follow-up."))
    return redirect(follow_up)
