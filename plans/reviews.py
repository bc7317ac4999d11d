"""Reviews: submitting, withdrawing, assessing, commenting and closing. Each function names its side effects.

draft → in review → reviewed (feedback given) → [revised → in review …] → adopted.
Every transition is checked against the permissions module (so nobody skips a step by posting
to a URL), locks the plan row (`select_for_update`, a no-op on SQLite) and is recorded as a
StatusChange (who, when, from, to) through `plans.transitions`, which holds the table of
valid next states. Adoption lives in `plans.services.record_adoption` and `transitions.adopt`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.history import diff, record_version
from plans.models import Assessment, Goal, Plan, Review, ReviewComment, Section
from plans.template_sections import TEMPLATE_SECTIONS
from plans.transitions import TransitionError, set_status
from portal.models import QualityCriterion
from portal.notifications import notify, owners_of, reviewers_of
from portal.richtext import to_text
from portal.rules import can, reviews_plans_of_org


def _lock(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("organisation", "organisation__parent")
        .get(pk=plan.pk)
    )


def _words(html: str) -> str:
    return " ".join(to_text(html).split())


# The template's guidance is not the plan's own text (compared as words, so a save that only
# re-sanitised the markup or the spacing does not count as writing).
GUIDANCE = frozenset(_words(body) for _heading, body in TEMPLATE_SECTIONS)


def is_empty(plan: Plan) -> bool:
    """No goal, and no section with text of its own (empty, or still exactly the template's
    guidance): nothing a reviewer could read."""

    if Goal.objects.filter(focus_area__plan=plan).exists():
        return False
    return not any(
        (words := _words(body)) and words not in GUIDANCE
        for body in plan.sections.values_list("body", flat=True)
    )


# --- submitting and withdrawing -------------------------------------------------------------


@transaction.atomic
def submit(plan: Plan, user) -> Review:
    """Submit a draft or revised plan for review: draft/revised → in review.

    Side effects: records the submitted content as a plan version (the version the reviewer
    reads; the plan is read-only while in review), opens a new review round, records the
    status change and notifies the reviewers (the region's consultants, or KB for a regional
    plan) in the portal and by e-mail.
    """
    locked = _lock(plan)
    if locked.status == Plan.Status.IN_REVIEW:
        raise TransitionError(_("The plan has already been submitted for review."))
    if not can(user, "plans.submit_plan", locked):
        if locked.status == Plan.Status.REVIEWED:
            raise TransitionError(_("Revise the plan after the feedback before you submit it again."))
        raise TransitionError(_("The plan cannot be submitted for review now."))
    if is_empty(locked):
        raise TransitionError(
            _("The plan is empty. Write at least one section or goal before you submit it for review.")
        )
    version = record_version(locked, user, _("Submitted for review"))
    last_round = locked.reviews.order_by("-round").values_list("round", flat=True).first() or 0
    review = Review.objects.create(
        plan=locked,
        round=last_round + 1,
        reviewing_organisation=locked.organisation.reviewing_organisation(),
        version_number=version.number,
        submitted_by=user,
    )
    set_status(locked, user, Plan.Status.IN_REVIEW)
    notify(
        reviewers_of(locked.organisation),
        text=_("%(org)s has submitted “%(plan)s” for review.")
        % {"org": locked.organisation.name, "plan": locked.title},
        url=review.get_absolute_url(),
    )
    return review


@transaction.atomic
def withdraw(plan: Plan, user) -> Plan:
    """Take a plan back from review: in review → draft (first round) or revised.

    Side effects: the open review round is marked withdrawn; status change recorded.
    """
    locked = _lock(plan)
    if not can(user, "plans.withdraw_plan", locked):
        raise TransitionError(_("The plan is not in review, so it cannot be withdrawn."))
    review = locked.reviews.filter(state=Review.State.OPEN).first()
    had_feedback = locked.reviews.filter(state=Review.State.CLOSED).exists()
    if review is not None:
        Review.objects.filter(pk=review.pk).update(state=Review.State.WITHDRAWN, closed_at=timezone.now())
    set_status(
        locked, user, Plan.Status.REVISED if had_feedback else Plan.Status.DRAFT, _("Withdrawn from review")
    )
    return locked


# --- reviewing ------------------------------------------------------------------------------


def criteria():
    return list(QualityCriterion.objects.filter(is_active=True))


def _lock_review(review: Review) -> tuple[Review, Plan]:
    plan = _lock(review.plan)
    review = Review.objects.select_related("plan").get(pk=review.pk)
    review.plan = plan
    return review, plan


@transaction.atomic
def save_assessments(review: Review, user, ratings: dict[int, tuple[str, str]]) -> int:
    """Store the reviewer's assessment per criterion: {criterion_id: (rating, comment)}.

    A blank rating with a blank comment removes an earlier assessment. Side effect: the user
    becomes the review's reviewer if nobody was. Returns how many criteria are assessed.
    """
    review, plan = _lock_review(review)
    if not can(user, "plans.assess", review):
        raise TransitionError(_("This review is closed; its assessments can no longer be changed."))
    known = {c.pk for c in criteria()}
    for criterion_id, (rating, comment) in ratings.items():
        if criterion_id not in known:
            continue
        if not rating and not comment.strip():
            Assessment.objects.filter(review=review, criterion_id=criterion_id).delete()
            continue
        Assessment.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"rating": rating, "comment": comment.strip()}
        )
    if review.reviewer_id is None:
        Review.objects.filter(pk=review.pk).update(reviewer=user)
    return Assessment.objects.filter(review=review).count()


@transaction.atomic
def close_review(review: Review, user, *, outcome: str, summary: str) -> Review:
    """Give the feedback: in review → reviewed.

    Requires an assessment of every active quality criterion. Side effects: the review is
    closed with outcome and summary; status change recorded; the plan's chefs (the region's
    consultants for a regional plan) and the submitter are notified in the portal and by e-mail.
    """
    review, plan = _lock_review(review)
    if not review.is_open:
        raise TransitionError(_("This review has already been closed."))
    if not can(user, "plans.review_plan", plan):
        raise TransitionError(_("You cannot close this review."))
    missing = [
        c.name for c in criteria() if not review.assessments.filter(criterion=c).exclude(rating="").exists()
    ]
    if missing:
        raise TransitionError(
            _("Assess every quality criterion before you close the review. Not yet assessed: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    if outcome not in Review.Outcome.values or not summary.strip():
        raise TransitionError(_("Choose an outcome and write a summary."))
    now = timezone.now()
    Review.objects.filter(pk=review.pk).update(
        state=Review.State.CLOSED,
        closed_at=now,
        outcome=outcome,
        summary=summary.strip(),
        reviewer=review.reviewer or user,
    )
    review.refresh_from_db()
    set_status(plan, user, Plan.Status.REVIEWED, review.get_outcome_display())
    recipients = owners_of(plan.organisation)
    if review.submitted_by is not None:
        recipients.append(review.submitted_by)
    notify(
        recipients,
        text=_("%(reviewer)s has given feedback on “%(plan)s”: %(outcome)s.")
        % {
            "reviewer": review.reviewing_organisation.name,
            "plan": plan.title,
            "outcome": review.get_outcome_display(),
        },
        url=review.get_absolute_url(),
        context={"summary": review.summary},
    )
    return review


@transaction.atomic
def add_comment(
    review: Review, user, *, body: str, section: Section | None = None, parent=None
) -> ReviewComment:
    """A new thread anchored to a section (reviewers, while the review is open) or an answer
    in a thread (reviewers and the plan's writers). Side effect: the other side is notified."""
    review, plan = _lock_review(review)
    if not can(user, "plans.comment", review):
        raise TransitionError(_("Comments can no longer be added to this review."))
    body = body.strip()
    if not body:
        raise TransitionError(_("Write a comment first."))
    if parent is not None:
        if parent.review_id != review.pk or parent.parent_id is not None:
            raise TransitionError(_("That comment does not belong to this review."))
        section = parent.section
    elif not can(user, "plans.start_thread", review):
        raise TransitionError(_("Only the reviewer starts new comment threads, while the review is open."))
    if section is not None and section.plan_id != plan.pk:
        raise TransitionError(_("That section does not belong to this plan."))
    comment = ReviewComment.objects.create(
        review=review,
        section=section,
        section_heading=section.heading if section else "",
        parent=parent,
        author=user,
        body=body,
    )
    if parent is not None:
        if reviews_plans_of_org(user, plan.organisation):
            recipients = owners_of(plan.organisation)
        else:
            recipients = [review.reviewer] if review.reviewer else reviewers_of(plan.organisation)
        recipients = [u for u in recipients if u.pk != user.pk]
        notify(
            recipients,
            text=_("%(name)s answered a comment on “%(plan)s”.")
            % {"name": user.get_full_name(), "plan": plan.title},
            url=review.get_absolute_url() + f"#kommentar-{parent.pk}",
        )
    return comment


@transaction.atomic
def set_resolved(comment: ReviewComment, user, resolved: bool) -> ReviewComment:
    """Mark a thread resolved (or open again). Either side may do it."""
    review, _plan = _lock_review(comment.review)
    if not can(user, "plans.comment", review):
        raise TransitionError(_("Comments can no longer be changed in this review."))
    root = comment if comment.parent_id is None else comment.parent
    ReviewComment.objects.filter(pk=root.pk).update(
        resolved_at=timezone.now() if resolved else None, resolved_by=user if resolved else None
    )
    root.refresh_from_db()
    return root


# --- reading --------------------------------------------------------------------------------


def threads(review: Review) -> list[ReviewComment]:
    """Root comments with their replies prefetched (2 queries)."""

    return list(
        review.comments.filter(parent__isnull=True)
        .select_related("author", "resolved_by", "section")
        .prefetch_related(Prefetch("replies", queryset=ReviewComment.objects.select_related("author")))
    )


@dataclass
class Previous:
    review: Review
    rows: list
    changes: int
    threads: list


def since_last_review(review: Review) -> Previous | None:
    """For a resubmission: the diff between the version the last feedback was given on and the
    version now submitted, and the last round's comment threads (answered? resolved?)."""
    previous = (
        Review.objects.filter(plan_id=review.plan_id, state=Review.State.CLOSED, round__lt=review.round)
        .select_related("reviewer")
        .order_by("-round")
        .first()
    )
    if previous is None:
        return None
    versions = {
        v.number: v.snapshot
        for v in review.plan.versions.filter(number__in=[previous.version_number, review.version_number])
    }
    old, new = versions.get(previous.version_number), versions.get(review.version_number)
    rows = diff(old, new) if old and new else []
    previous_threads = threads(previous)
    for thread in previous_threads:
        answers = [r for r in thread.replies.all() if r.author_id != previous.reviewer_id]
        thread.answered = bool(answers)
    return Previous(previous, rows, sum(1 for r in rows if r.kind != "same"), previous_threads)
