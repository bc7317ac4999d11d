"""Every status change of a plan and of a follow-up, in one place (as pretalx keeps its
submission states): the table of valid next states, the one function that moves a plan from
one state to another, and the record of each change (StatusChange: who, when, from, to).

    draft → in review → reviewed (feedback given) → [revised → in review …] → adopted

Adoption is a political decision taken outside the portal, so any state that is not adopted
may become adopted. The callers (`plans.reviews`, `plans.followups`, `plans.services`) check
who may do it and lock the row; this module checks that the step exists.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import FollowUp, Plan, Review, StatusChange

S = Plan.Status
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.IN_REVIEW, S.ADOPTED),
    S.IN_REVIEW: (S.REVIEWED, S.DRAFT, S.REVISED, S.ADOPTED),  # feedback given, or withdrawn
    S.REVIEWED: (S.REVISED, S.ADOPTED),  # the first change after feedback starts the revision
    S.REVISED: (S.IN_REVIEW, S.ADOPTED),
    S.ADOPTED: (),  # read-only; a new draft is a new plan (copy forward)
}

F = FollowUp.Status
FOLLOWUP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "": (F.DRAFT,),  # started
    F.DRAFT: (F.SUBMITTED,),
    F.SUBMITTED: (F.ACKNOWLEDGED, F.COMPLETION),
    F.COMPLETION: (F.SUBMITTED,),
    F.ACKNOWLEDGED: (),
}


class TransitionError(Exception):
    """A transition that is not allowed now; `message` is shown to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in PLAN_TRANSITIONS.get(from_status, ())


def record_status_change(plan: Plan, user, from_status: str, to_status: str, note: str = "", follow_up=None):
    """The history row of a change of a plan's (or, with `follow_up`, a follow-up's) status."""
    table = FOLLOWUP_TRANSITIONS if follow_up is not None else PLAN_TRANSITIONS
    if to_status not in table.get(from_status, ()):
        raise TransitionError(_("This step is not possible from the current status."))
    return StatusChange.objects.create(
        plan=plan,
        follow_up=follow_up,
        from_status=from_status,
        to_status=to_status,
        by=user if getattr(user, "pk", None) else None,
        note=note[:300],
    )


def set_status(plan: Plan, user, to_status: str, note: str = "", **fields) -> None:
    """Move a (locked) plan to `to_status`, with any other fields that change with it.

    Side effects: updates the row; records the StatusChange. Raises TransitionError for a step
    that is not in PLAN_TRANSITIONS."""
    from_status = plan.status
    if not can_move(from_status, to_status):
        raise TransitionError(_("This step is not possible from the current status."))
    Plan.objects.filter(pk=plan.pk).update(status=to_status, updated_at=timezone.now(), **fields)
    plan.status = to_status
    record_status_change(plan, user, from_status, to_status, note)


def start_revision(plan: Plan, user) -> bool:
    """The first change after feedback starts the revision: reviewed → revised.

    Called from `plans.history.record_version`. A conditional UPDATE, so concurrent first
    edits record the transition once. Side effect: status change recorded.
    """
    if Plan.objects.filter(pk=plan.pk, status=S.REVIEWED).update(status=S.REVISED):
        plan.status = S.REVISED
        record_status_change(plan, user, S.REVIEWED, S.REVISED)
        return True
    return False


def adopt(plan: Plan, user, **decision) -> None:
    """Record the council's decision on a (locked) plan: any state → adopted.

    Side effects: the decision fields are stored; an open review round ends (withdrawn), since
    adoption may come while a review is open; the status change is recorded."""
    if plan.status == S.ADOPTED:
        raise TransitionError(_("The plan is already adopted."))
    Review.objects.filter(plan=plan, state=Review.State.OPEN).update(
        state=Review.State.WITHDRAWN, closed_at=timezone.now()
    )
    set_status(plan, user, S.ADOPTED, **decision)
