"""Submitting plans for review, the review itself, the review queue and the region's overview.
Thin views: access helper → form → one call to plans.reviews → redirect (or a partial for htmx)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plans import followups, queries, reviews
from plans.access import plan_for
from plans.models import Plan, Review, ReviewComment, StatusChange
from plans.queries import plan_tree
from plans.review_forms import AssessmentForm, CloseReviewForm, CommentForm
from plans.rules import reviews_plans_of, writes_plans_of
from portal.access import organisation_for
from portal.htmx import render_htmx
from portal.notifications import mark_read_for
from portal.rules import can


def review_capabilities(user, plan: Plan) -> dict:
    """Capability booleans for the plan header (asked of the permissions module)."""
    can_read = can(user, "plans.view_reviews", plan)
    latest = plan.reviews.order_by("-round").first() if can_read else None
    return {
        "can_submit": can(user, "plans.submit_plan", plan),
        "can_withdraw": can(user, "plans.withdraw_plan", plan),
        "can_review": can(user, "plans.review_plan", plan),
        "latest_review": latest,
        "can_view_reviews": can_read,
        "can_view_followups": can(user, "plans.view_followups", plan) and plan.is_adopted,
    }


# --- submitting -----------------------------------------------------------------------------


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk, "plans.view_plan_internals")
    try:
        review = reviews.submit(plan, request.user)
    except reviews.TransitionError as error:
        messages.error(request, error.message)
        return redirect(plan)
    messages.success(
        request,
        _("The plan has been submitted for review to %(org)s. It is locked until the feedback comes.")
        % {"org": review.reviewing_organisation.name},
    )
    return redirect(plan)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk, "plans.view_plan_internals")
    try:
        reviews.withdraw(plan, request.user)
    except reviews.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan has been withdrawn from review and can be edited again."))
    return redirect(plan)


# --- the review -----------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every review round of the plan and every status change (who, when, from, to)."""
    plan = plan_for(request.user, pk, "plans.view_reviews")
    return render(
        request,
        "plans/reviews.html",
        {
            "plan": plan,
            "reviews": plan.reviews.select_related("reviewer", "submitted_by", "reviewing_organisation"),
            "changes": StatusChange.objects.filter(plan=plan).select_related("by", "follow_up"),
            **review_capabilities(request.user, plan),
        },
    )


def _review_for(request, pk: int, review_id: int) -> tuple[Plan, Review]:
    plan = plan_for(request.user, pk, "plans.view_reviews")
    review = get_object_or_404(
        Review.objects.select_related("reviewer", "submitted_by", "reviewing_organisation"),
        pk=review_id,
        plan=plan,
    )
    review.plan = plan
    return plan, review


def _assessment_initial(review: Review) -> dict:
    """This round's assessments; in a new round, the last round's as a starting point."""
    initial = {}
    source = review.assessments.all()
    if not source.exists():
        previous = (
            Review.objects.filter(plan_id=review.plan_id, state=Review.State.CLOSED, round__lt=review.round)
            .order_by("-round")
            .first()
        )
        if previous is not None:
            source = previous.assessments.all()
    for a in source:
        initial[f"rating_{a.criterion_id}"] = a.rating
        initial[f"comment_{a.criterion_id}"] = a.comment
    return initial


def _render_review(request, plan, review, status=200, **forms) -> HttpResponse:
    user = request.user
    criteria = reviews.criteria()
    can_assess = can(user, "plans.assess", review)
    is_reviewer_side = can(user, "plans.review_plan", plan) or (
        review.is_closed and reviews_plans_of(user, plan)
    )
    all_threads = reviews.threads(review)
    general = [t for t in all_threads if t.section_id is None]
    by_section = {}
    for t in all_threads:
        if t.section_id is not None:
            by_section.setdefault(t.section_id, []).append(t)
    tree = plan_tree(plan.pk)
    sections = [(s, by_section.get(s.pk, [])) for s in tree.sections.all()]
    assessments = (
        list(review.assessments.select_related("criterion")) if (review.is_closed or is_reviewer_side) else []
    )
    context = {
        "plan": tree,
        "review": review,
        "sections": sections,
        "general_threads": general,
        "orphan_threads": [t for t in all_threads if t.section_id is None and t.section_heading],
        "assessments": assessments,
        "criteria_count": len(criteria),
        "assessed_count": sum(1 for a in assessments if a.rating),
        "previous": reviews.since_last_review(review) if is_reviewer_side or review.is_closed else None,
        "can_assess": can_assess,
        "can_close": can_assess and can(user, "plans.review_plan", plan),
        "can_comment": can(user, "plans.comment", review),
        "can_start_thread": can(user, "plans.start_thread", review),
        "assessment_form": forms.get("assessment_form")
        or (AssessmentForm(criteria=criteria, initial=_assessment_initial(review)) if can_assess else None),
        "close_form": forms.get("close_form") or CloseReviewForm(),
        "comment_form": forms.get("comment_form"),
        "comment_target": forms.get("comment_target"),
        "waiting_days": (timezone.now() - review.submitted_at).days,
        **review_capabilities(user, plan),
        "active": "review",
    }
    return render(request, "plans/review.html", context, status=status)


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    plan, review = _review_for(request, pk, review_id)
    mark_read_for(request.user, review.get_absolute_url())
    return _render_review(request, plan, review)


@login_required
@require_POST
def assess(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    plan, review = _review_for(request, pk, review_id)
    if not reviews_plans_of(request.user, plan):
        raise Http404
    form = AssessmentForm(request.POST, criteria=reviews.criteria())
    if not form.is_valid():
        return _render_review(request, plan, review, status=422, assessment_form=form)
    try:
        count = reviews.save_assessments(review, request.user, form.ratings())
    except reviews.TransitionError as error:
        messages.error(request, error.message)
        return redirect(review)
    messages.success(request, _("The assessments have been saved (%(n)s criteria assessed).") % {"n": count})
    return redirect(review.get_absolute_url() + "#criteria")


@login_required
@require_POST
def close(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    plan, review = _review_for(request, pk, review_id)
    if not reviews_plans_of(request.user, plan):
        raise Http404
    form = CloseReviewForm(request.POST)
    if not form.is_valid():
        return _render_review(request, plan, review, status=422, close_form=form)
    try:
        reviews.close_review(review, request.user, **form.cleaned_data)
    except reviews.TransitionError as error:
        form.add_error(None, error.message)
        return _render_review(request, plan, review, status=422, close_form=form)
    messages.success(request, _("The review is closed and the feedback has been sent to the chef."))
    return redirect(review)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    plan, review = _review_for(request, pk, review_id)
    if not can(request.user, "plans.comment", review):
        if reviews_plans_of(request.user, plan) or writes_plans_of(request.user, plan):
            messages.error(request, _("Comments can no longer be added to this review."))
            return redirect(review)
        raise Http404
    form = CommentForm(request.POST)
    target = request.POST.get("parent") or request.POST.get("section") or "general"
    if not form.is_valid():
        return _render_review(request, plan, review, status=422, comment_form=form, comment_target=target)
    data = form.cleaned_data
    section = plan.sections.filter(pk=data["section"]).first() if data.get("section") else None
    parent = (
        ReviewComment.objects.filter(pk=data["parent"], review=review).select_related("section").first()
        if data.get("parent")
        else None
    )
    if (data.get("section") and section is None) or (data.get("parent") and parent is None):
        raise Http404
    try:
        new = reviews.add_comment(review, request.user, body=data["body"], section=section, parent=parent)
    except reviews.TransitionError as error:
        messages.error(request, error.message)
        return redirect(review)
    messages.success(request, _("Your comment has been saved."))
    return redirect(review.get_absolute_url() + f"#kommentar-{(parent or new).pk}")


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int, review_id: int, comment_id: int) -> HttpResponse:
    plan, review = _review_for(request, pk, review_id)
    thread = get_object_or_404(ReviewComment, pk=comment_id, review=review, parent__isnull=True)
    if not can(request.user, "plans.comment", review):
        if reviews_plans_of(request.user, plan) or writes_plans_of(request.user, plan):
            messages.error(request, _("Comments can no longer be changed in this review."))
            return redirect(review)
        raise Http404
    resolved = request.POST.get("resolved") == "1"
    reviews.set_resolved(thread, request.user, resolved)
    if request.htmx:
        return _render_thread(request, plan, review, thread)
    messages.success(
        request, _("The thread is marked as resolved.") if resolved else _("The thread is open again.")
    )
    return redirect(review.get_absolute_url() + f"#kommentar-{thread.pk}")


def _render_thread(request, plan, review, thread):
    thread = next(t for t in reviews.threads(review) if t.pk == thread.pk)
    return render_htmx(
        request,
        "plans/review.html",
        {
            "plan": plan,
            "review": review,
            "thread": thread,
            "can_comment": can(request.user, "plans.comment", review),
        },
        partial="thread",
    )


# --- the queue and the region's overview ----------------------------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "plans.use_review_queue"):
        raise Http404
    now = timezone.now()
    rows = list(queries.review_queue(request.user))
    for review in rows:
        review.waiting_days = (now - review.submitted_at).days
    return render(
        request,
        "plans/review_queue.html",
        {
            "reviews": rows,
            "follow_ups": list(followups.awaiting_acknowledgement(request.user)),
        },
    )


@login_required
@require_GET
def region_overview(request: HttpRequest, code: str) -> HttpResponse:
    region = organisation_for(request.user, code)
    if not region.is_region or not can(request.user, "plans.view_region_overview", region):
        raise Http404
    year = followups.due_year()
    requested = request.GET.get("ar", "")
    if re.fullmatch(r"[0-9]{4}", requested) and 2000 <= int(requested) <= timezone.localdate().year:
        year = int(requested)
    rows = queries.region_overview(region, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "plans/region_overview.html",
        {
            "region": region,
            "rows": rows,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "with_plan": sum(1 for r in rows if r.adopted_plan and r.adopted_plan.is_current),
        },
    )
