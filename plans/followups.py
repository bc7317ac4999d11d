"""Annual follow-ups (uppföljning) of adopted plans, in one place. Each function names its
side effects. Transitions: draft → submitted → acknowledged, or submitted → completion
requested → submitted …; every one checked by the permissions module and recorded as a
StatusChange on the plan (with the follow-up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import FollowUp, Goal, GoalFollowUp, Indicator, IndicatorFollowUp, Plan
from plans.transitions import TransitionError, record_status_change
from portal.notifications import notify, owners_of, reviewers_of
from portal.rules import can, consultant_region_ids, is_admin, is_kb, plan_organisations


class Incomplete(Exception):
    """Submitting needs every goal's status, every indicator's value and a narrative."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("incomplete")
        self.errors = errors


def due_year(today=None) -> int:
    """A year is followed up once it has ended: in 2026 the 2025 follow-up is due."""
    return (today or timezone.localdate()).year - 1


def check_year(plan: Plan, year: int) -> None:
    """Raise TransitionError with a clear message for a year that cannot be followed up."""
    if not plan.is_adopted:
        raise TransitionError(_("Only an adopted plan is followed up."))
    if not plan.first_year <= year <= plan.last_year:
        raise TransitionError(
            _("%(year)s is outside the plan's period %(period)s. Choose a year within the period.")
            % {"year": year, "period": plan.period}
        )
    if year > timezone.localdate().year:
        raise TransitionError(_("A follow-up can only be filed for a year that has begun."))


def years_to_follow_up(plan: Plan) -> list[int]:
    this_year = timezone.localdate().year
    return [y for y in range(plan.first_year, plan.last_year + 1) if y <= this_year]


def goals_and_indicators(plan: Plan) -> tuple[list[Goal], list[Indicator]]:
    goals = list(
        Goal.objects.filter(focus_area__plan=plan)
        .select_related("focus_area")
        .order_by("focus_area__position", "focus_area__pk", "position", "pk")
    )
    indicators = list(
        Indicator.objects.filter(goal__focus_area__plan=plan)
        .select_related("goal")
        .order_by("goal__focus_area__position", "goal__position", "goal__pk", "position", "pk")
    )
    return goals, indicators


@dataclass
class FollowUpData:
    narrative: str = ""
    goals: dict[int, tuple[str, str]] = field(default_factory=dict)  # goal id → (status, comment)
    values: dict[int, Decimal | None] = field(default_factory=dict)  # indicator id → value


@transaction.atomic
def save(plan: Plan, user, year: int, data: FollowUpData, *, submit: bool = False) -> FollowUp:
    """Save the follow-up of `plan` for `year` as a draft, or submit it.

    Side effects: creates the follow-up on first save; stores goal statuses, indicator values
    and the narrative. On submit: draft/completion requested → submitted, status change
    recorded, the reviewers (region's consultants; KB for a regional plan) notified. Raises
    TransitionError or Incomplete and then stores nothing.
    """
    locked = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("organisation", "organisation__parent")
        .get(pk=plan.pk)
    )
    check_year(locked, year)
    follow_up = FollowUp.objects.filter(plan=locked, year=year).first()
    if follow_up is None:
        if not can(user, "plans.start_followup", locked):
            raise TransitionError(_("You cannot file follow-ups for this plan."))
        follow_up = FollowUp.objects.create(plan=locked, year=year, updated_by=user)
        record_status_change(locked, user, "", FollowUp.Status.DRAFT, follow_up=follow_up)
    follow_up.plan = locked
    if not can(user, "plans.edit_followup", follow_up):
        raise TransitionError(
            _("The follow-up for %(year)s has been submitted and can no longer be changed.") % {"year": year}
        )
    goals, indicators = goals_and_indicators(locked)
    for goal in goals:
        status, comment = data.goals.get(goal.pk, ("", ""))
        GoalFollowUp.objects.update_or_create(
            follow_up=follow_up, goal=goal, defaults={"status": status or "", "comment": comment.strip()}
        )
    for indicator in indicators:
        IndicatorFollowUp.objects.update_or_create(
            follow_up=follow_up, indicator=indicator, defaults={"value": data.values.get(indicator.pk)}
        )
    FollowUp.objects.filter(pk=follow_up.pk).update(narrative=data.narrative.strip(), updated_by=user)
    follow_up.narrative = data.narrative.strip()
    if submit:
        if not can(user, "plans.submit_followup", follow_up):
            raise TransitionError(_("Only the library chef submits the follow-up. It has not been saved."))
        errors = {}
        cancelled = {
            g.pk for g in goals if data.goals.get(g.pk, ("", ""))[0] == GoalFollowUp.Status.CANCELLED
        }
        for goal in goals:
            if not data.goals.get(goal.pk, ("", ""))[0]:
                errors[f"goal_{goal.pk}_status"] = _("Choose the goal's status.")
        for indicator in indicators:
            if indicator.goal_id not in cancelled and data.values.get(indicator.pk) is None:
                errors[f"indicator_{indicator.pk}"] = _("Enter the year's value.")
        if not data.narrative.strip():
            errors["narrative"] = _("Write a short narrative of the year.")
        if errors:
            raise Incomplete(errors)
        from_status = follow_up.status
        FollowUp.objects.filter(pk=follow_up.pk).update(
            status=FollowUp.Status.SUBMITTED, submitted_at=timezone.now()
        )
        follow_up.status = FollowUp.Status.SUBMITTED
        record_status_change(locked, user, from_status, FollowUp.Status.SUBMITTED, follow_up=follow_up)
        notify(
            reviewers_of(locked.organisation),
            text=_("%(org)s has submitted the follow-up for %(year)s of “%(plan)s”.")
            % {"org": locked.organisation.name, "year": year, "plan": locked.title},
            url=follow_up.get_absolute_url(),
        )
    follow_up.refresh_from_db()
    return follow_up


def _lock_follow_up(follow_up: FollowUp) -> FollowUp:
    Plan.objects.select_for_update().filter(pk=follow_up.plan_id).first()
    return (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__organisation")
        .get(pk=follow_up.pk)
    )


@transaction.atomic
def acknowledge(follow_up: FollowUp, user, note: str = "") -> FollowUp:
    """The reviewer confirms the follow-up: submitted → acknowledged.

    Side effects: status change recorded; the plan's chefs notified (portal and e-mail).
    """
    locked = _lock_follow_up(follow_up)
    if locked.status == FollowUp.Status.ACKNOWLEDGED:
        raise TransitionError(_("This follow-up has already been acknowledged."))
    if not can(user, "plans.acknowledge_followup", locked):
        raise TransitionError(_("Only a submitted follow-up can be acknowledged."))
    FollowUp.objects.filter(pk=locked.pk).update(
        status=FollowUp.Status.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=user,
        reviewer_note=note.strip(),
    )
    record_status_change(
        locked.plan, user, locked.status, FollowUp.Status.ACKNOWLEDGED, note, follow_up=locked
    )
    notify(
        owners_of(locked.plan.organisation),
        text=_("The follow-up for %(year)s of “%(plan)s” has been acknowledged.")
        % {"year": locked.year, "plan": locked.plan.title},
        url=locked.get_absolute_url(),
        context={"summary": note.strip()},
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def request_completion(follow_up: FollowUp, user, note: str) -> FollowUp:
    """The reviewer asks for more: submitted → completion requested (editable again).

    Side effects: the note is stored; status change recorded; the plan's chefs notified.
    """
    locked = _lock_follow_up(follow_up)
    if not note.strip():
        raise TransitionError(_("Write what needs to be completed."))
    if locked.status == FollowUp.Status.ACKNOWLEDGED:
        raise TransitionError(_("This follow-up has already been acknowledged."))
    if not can(user, "plans.acknowledge_followup", locked):
        raise TransitionError(_("Only a submitted follow-up can be sent back for completion."))
    FollowUp.objects.filter(pk=locked.pk).update(
        status=FollowUp.Status.COMPLETION, reviewer_note=note.strip()
    )
    record_status_change(locked.plan, user, locked.status, FollowUp.Status.COMPLETION, note, follow_up=locked)
    notify(
        owners_of(locked.plan.organisation),
        text=_("Please complete the follow-up for %(year)s of “%(plan)s”.")
        % {"year": locked.year, "plan": locked.plan.title},
        url=locked.get_absolute_url(),
        context={"summary": note.strip()},
    )
    locked.refresh_from_db()
    return locked


# --- dashboard -----------------------------------------------------------------------------


@dataclass
class Reminder:
    plan: Plan
    year: int
    follow_up: FollowUp | None


def reminders(user) -> list[Reminder]:
    """Follow-ups due for the user's organisations: last year's, for adopted plans covering it,
    not yet submitted (or sent back for completion). Two queries."""
    org_ids = plan_organisations(user)
    if not org_ids:
        return []
    year = due_year()
    plans = list(
        Plan.objects.adopted()
        .filter(organisation_id__in=org_ids, first_year__lte=year, last_year__gte=year)
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
    existing = {f.plan_id: f for f in FollowUp.objects.filter(plan__in=plans, year=year)}
    out = []
    for plan in plans:
        follow_up = existing.get(plan.pk)
        if follow_up is None or follow_up.is_editable:
            out.append(Reminder(plan, year, follow_up))
    return out


def awaiting_acknowledgement(user):
    """Submitted follow-ups the user acknowledges (region's municipalities; KB: regions)."""

    qs = FollowUp.objects.filter(status=FollowUp.Status.SUBMITTED).select_related(
        "plan", "plan__organisation"
    )
    if is_admin(user):
        return qs.order_by("submitted_at")
    scope = Q(plan__organisation__parent_id__in=consultant_region_ids(user))
    if is_kb(user):
        scope |= Q(plan__organisation__kind="region")
    return qs.filter(scope).order_by("submitted_at")
