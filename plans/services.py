"""Changes to library plans, in one place. Each function names its side effects.

Concurrent edits are detected with optimistic locking: every editable row has a `version`;
a save is a conditional UPDATE on (pk, version) and raises Conflict when someone else saved
first. This is atomic on PostgreSQL and SQLite alike. Every change records a PlanVersion
snapshot (consecutive autosaves of the same part by the same person within a few minutes are
folded into one version, so the history stays readable).
"""

from __future__ import annotations

import functools
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from plans import limits, transitions
from plans.history import record_version, snapshot
from plans.models import (
    Activity,
    Attachment,
    Goal,
    Indicator,
    IndicatorValue,
    Plan,
    PlanFocusArea,
    PlanVersion,
    Section,
)
from plans.template_sections import TEMPLATE_SECTIONS
from portal.models import FocusArea
from portal.richtext import sanitize
from portal.uploads import CONTENT_TYPES, sniff_document


def in_portal_language(func):
    """History summaries and generated titles are stored in the portal's language (Swedish),
    whatever language the person who made the change has chosen for the interface."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


class Conflict(Exception):
    """Someone else saved the same part first. `current` is the stored object now."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current


class NotEditable(Exception):
    """The plan is adopted or in review and cannot be changed."""


class CannotRestore(Exception):
    """The version cannot be restored as it is (its message says why, in Swedish)."""


# --- creating -----------------------------------------------------------------------------


@in_portal_language
@transaction.atomic
def create_plan(
    *, user, organisation, kind, title, first_year, last_year, start="template", source=None
) -> Plan:
    """Create a draft plan from the template, empty, or copied forward from an adopted plan.

    Side effects: records version 1. Raises IntegrityError for a duplicate title (forms check first)
    and LimitReached when the plan to copy holds more than a plan may (`plans.limits`).
    """
    plan = Plan.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        first_year=first_year,
        last_year=last_year,
        created_by=user,
        based_on=source if start == "copy" else None,
    )
    if start == "copy" and source is not None:
        _copy_content(source, plan)
        summary = _("Started as a copy of %(plan)s") % {"plan": source}
    else:
        if start == "template":
            Section.objects.bulk_create(
                Section(plan=plan, position=i, heading=h, body=b, updated_by=user)
                for i, (h, b) in enumerate(TEMPLATE_SECTIONS)
            )
        summary = _("Created the plan")
    record_version(plan, user, summary)
    return plan


def _copy_content(source: Plan, plan: Plan) -> None:
    data = snapshot(source)
    limits.check_content(data)
    _write_content(plan, data)


def _write_content(plan: Plan, data: dict) -> None:
    """Replace the plan's sections and focus areas with those in a snapshot."""
    plan.sections.all().delete()
    plan.focus_areas.all().delete()
    Section.objects.bulk_create(
        Section(plan=plan, position=i, heading=s["heading"], body=sanitize(s["body"]))
        for i, s in enumerate(data["sections"])
    )
    for fa_pos, fa in enumerate(data["focus_areas"]):
        focus = PlanFocusArea.objects.create(
            plan=plan,
            national_id=fa["national_id"],
            name=fa["name"],
            description=fa["description"],
            position=fa_pos,
        )
        for g_pos, g in enumerate(fa["goals"]):
            goal = Goal.objects.create(
                focus_area=focus, title=g["title"], description=g["description"], position=g_pos
            )
            Activity.objects.bulk_create(
                Activity(
                    goal=goal, position=i, **{k: a[k] for k in ("what", "responsible", "timing", "status")}
                )
                for i, a in enumerate(g["activities"])
            )
            for i_pos, ind in enumerate(g["indicators"]):
                indicator = Indicator.objects.create(
                    goal=goal,
                    position=i_pos,
                    name=ind["name"],
                    unit=ind["unit"],
                    baseline_year=ind["baseline_year"],
                    baseline_value=_dec(ind["baseline_value"]),
                    target_year=ind["target_year"],
                    target_value=_dec(ind["target_value"]),
                    direction=ind["direction"],
                )
                IndicatorValue.objects.bulk_create(
                    IndicatorValue(indicator=indicator, year=int(y), value=Decimal(v))
                    for y, v in ind["values"].items()
                    if v is not None
                )


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


# --- editing ------------------------------------------------------------------------------


def _ensure_editable(plan: Plan) -> None:
    """Lock the plan row for the rest of the transaction and check it may still be changed.

    Every change to a plan goes through here, so changes to one plan are serialised: history
    numbers cannot clash and nothing slips in after the plan was adopted or submitted.
    """
    locked = Plan.objects.select_for_update().only("status").get(pk=plan.pk)
    if not locked.is_editable:
        raise NotEditable


def _conditional_update(model, pk: int, expected_version: int, **fields) -> None:
    """UPDATE … WHERE pk AND version = expected; raise Conflict with the stored row if 0 rows."""
    updated = model.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1, **fields)
    if not updated:
        current = model.objects.filter(pk=pk).first()
        raise Conflict(current)


@in_portal_language
@transaction.atomic
def save_plan_details(plan: Plan, user, *, version: int, title: str, first_year: int, last_year: int) -> None:
    _ensure_editable(plan)
    _conditional_update(
        Plan, plan.pk, version, title=title.strip(), first_year=first_year, last_year=last_year
    )
    plan.refresh_from_db()
    record_version(plan, user, _("Changed the title or period"), target="details")


@in_portal_language
@transaction.atomic
def save_section(section: Section, user, *, version: int, heading: str, body: str) -> Section:
    """Save a section if nobody else changed it since `version`; else raise Conflict."""
    _ensure_editable(section.plan)
    _conditional_update(
        Section,
        section.pk,
        version,
        heading=heading.strip(),
        body=sanitize(body),
        updated_by=user,
        updated_at=timezone.now(),
    )
    section.refresh_from_db()
    record_version(
        section.plan,
        user,
        _("Edited the section “%(heading)s”") % {"heading": section.heading},
        target=f"section:{section.pk}",
    )
    return section


@in_portal_language
@transaction.atomic
def add_section(plan: Plan, user, heading: str, body: str = "") -> Section:
    """Add a section at the end. Raises LimitReached when the plan has as many as it may."""
    _ensure_editable(plan)
    limits.check(limits.SECTIONS, plan.sections.count() + 1)
    position = (plan.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(
        plan=plan, position=position, heading=heading.strip(), body=sanitize(body), updated_by=user
    )
    record_version(plan, user, _("Added the section “%(heading)s”") % {"heading": section.heading})
    return section


# Items of the focus-area tree, by URL kind.
ITEM_MODELS = {"fokusomrade": PlanFocusArea, "mal": Goal, "insats": Activity, "nyckeltal": Indicator}


def siblings(item):
    if isinstance(item, Section):
        return Section.objects.filter(plan_id=item.plan_id)
    if isinstance(item, PlanFocusArea):
        return PlanFocusArea.objects.filter(plan_id=item.plan_id)
    if isinstance(item, Goal):
        return Goal.objects.filter(focus_area_id=item.focus_area_id)
    if isinstance(item, Activity):
        return Activity.objects.filter(goal_id=item.goal_id)
    return Indicator.objects.filter(goal_id=item.goal_id)


def describe(item) -> str:
    phrases = {
        Section: _("the section “%(name)s”"),
        PlanFocusArea: _("the focus area “%(name)s”"),
        Goal: _("the goal “%(name)s”"),
        Activity: _("the activity “%(name)s”"),
        Indicator: _("the indicator “%(name)s”"),
    }
    return phrases[type(item)] % {"name": item}


@in_portal_language
@transaction.atomic
def move(plan: Plan, user, item, direction: str) -> None:
    """Swap an item with its neighbour ('up' or 'down'); positions are renumbered 0..n."""
    _ensure_editable(plan)
    ordered = list(siblings(item).order_by("position", "pk"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered):
        if other.position != position:
            type(other).objects.filter(pk=other.pk).update(position=position)
    record_version(plan, user, _("Moved %(item)s") % {"item": describe(item)})


@in_portal_language
@transaction.atomic
def delete(plan: Plan, user, item) -> None:
    _ensure_editable(plan)
    label = describe(item)
    item.delete()
    record_version(plan, user, _("Removed %(item)s") % {"item": label})


@in_portal_language
@transaction.atomic
def save_item(plan: Plan, user, form, *, parent=None, version: int | None = None):
    """Create (when form.instance has no pk) or update a focus area, goal, activity or indicator.

    Updates are conditional on `version` (Conflict otherwise). Indicators also store their
    yearly values. A new item past a limit of `plans.limits` raises LimitReached. Side effect:
    records a plan version.
    """
    _ensure_editable(plan)
    instance = form.instance
    creating = instance.pk is None
    if creating:
        if isinstance(instance, PlanFocusArea):
            instance.plan = plan
        elif isinstance(instance, Goal):
            instance.focus_area = parent
        else:
            instance.goal = parent
        _check_room(plan, instance)
        highest = siblings(instance).aggregate(m=Max("position"))["m"]
        instance.position = 0 if highest is None else highest + 1
        instance.save()
    else:
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        _conditional_update(type(instance), instance.pk, version or 0, **fields)
        instance.refresh_from_db()
    if isinstance(instance, Indicator):
        for year, value in form.yearly_values().items():
            if value is None:
                IndicatorValue.objects.filter(indicator=instance, year=year).delete()
            else:
                IndicatorValue.objects.update_or_create(
                    indicator=instance, year=year, defaults={"value": value}
                )
    verb = _("Added %(item)s") if creating else _("Edited %(item)s")
    record_version(
        plan,
        user,
        verb % {"item": describe(instance)},
        target="" if creating else f"{type(instance).__name__}:{instance.pk}",
    )
    return instance


# The limits for a new item of the focus-area tree: under its parent, in the whole plan (and the
# path from the item to its plan).
_ROOM = {
    PlanFocusArea: (None, limits.FOCUS_AREAS, "plan"),
    Goal: (limits.GOALS_PER_FOCUS_AREA, limits.GOALS, "focus_area__plan"),
    Activity: (limits.ACTIVITIES_PER_GOAL, limits.ACTIVITIES, "goal__focus_area__plan"),
    Indicator: (limits.INDICATORS_PER_GOAL, limits.INDICATORS, "goal__focus_area__plan"),
}


def _check_room(plan: Plan, instance) -> None:
    """Raise LimitReached if adding `instance` (its parent set) takes the plan past a limit."""
    per_parent, per_plan, path = _ROOM[type(instance)]
    if per_parent is not None:
        limits.check(per_parent, siblings(instance).count() + 1)
    limits.check(per_plan, type(instance).objects.filter(**{path: plan}).count() + 1)


@in_portal_language
@transaction.atomic
def restore(plan: Plan, user, version: PlanVersion) -> PlanVersion:
    """Make an earlier version the current content. Restoring is itself a new version."""
    _ensure_editable(plan)
    data = version.snapshot
    wanted = {fa["national_id"] for fa in data["focus_areas"]}
    existing = set(FocusArea.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - existing:
        gone = ", ".join(
            sorted(
                {fa.get("national", "") for fa in data["focus_areas"] if fa["national_id"] not in existing}
            )
        )
        raise CannotRestore(
            _("Version %(number)s uses focus areas that are no longer in the national catalogue: %(names)s.")
            % {"number": version.number, "names": gone}
        )
    if (
        Plan.objects.filter(organisation_id=plan.organisation_id, title__iexact=data["title"])
        .exclude(pk=plan.pk)
        .exists()
    ):
        raise CannotRestore(
            _("Another plan of the organisation is now called “%(title)s”; rename it first.")
            % {"title": data["title"]}
        )
    try:
        limits.check_content(data)
    except limits.LimitReached as reached:
        raise CannotRestore(
            _("Version %(number)s cannot be restored: %(reason)s")
            % {"number": version.number, "reason": reached}
        ) from None
    Plan.objects.filter(pk=plan.pk).update(
        title=data["title"], first_year=data["first_year"], last_year=data["last_year"]
    )
    _write_content(plan, data)
    plan.refresh_from_db()
    return record_version(plan, user, _("Restored version %(number)s") % {"number": version.number})


# --- attachments and adoption -------------------------------------------------------------


@transaction.atomic
def add_attachment(plan: Plan, user, *, title: str, uploaded) -> Attachment:
    """Store an uploaded document (already validated by the form) under the name that
    portal.documents.document_path gives it. Raises LimitReached when the plan has as many
    attachments as it may, NotEditable when it is adopted or in review."""
    _ensure_editable(plan)
    limits.check(limits.ATTACHMENTS, plan.attachments.count() + 1)
    return _store_attachment(plan, user, title=title, uploaded=uploaded)


def _store_attachment(plan: Plan, user, *, title: str, uploaded) -> Attachment:
    return Attachment.objects.create(
        plan=plan,
        title=title.strip(),
        file=uploaded,
        original_name=uploaded.name[:255],
        content_type=CONTENT_TYPES[sniff_document(uploaded)],
        size=uploaded.size,
        uploaded_by=user,
    )


@in_portal_language
@transaction.atomic
def record_adoption(
    plan: Plan, user, *, adopted_on, adopted_by_body, decision_reference="", document=None
) -> Plan:
    """Record the political decision. The plan becomes adopted and read-only.

    Works whether or not the plan was reviewed (reports show adopted plans never reviewed).
    Side effects: stores the document as an attachment; records a plan version.
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_adopted:
        raise NotEditable
    attachment = None
    if document is not None:
        attachment = _store_attachment(
            locked,
            user,
            title=_("Adopted plan (%(body)s %(date)s)")
            % {"body": adopted_by_body, "date": formats.date_format(adopted_on, "j F Y")},
            uploaded=document,
        )
    try:
        return _adopt(plan, locked, user, attachment, adopted_on, adopted_by_body, decision_reference)
    except Exception:
        # The transaction rolls back the rows; the stored file must go too, or it is orphaned.
        if attachment is not None:
            attachment.file.delete(save=False)
        raise


def _adopt(plan, locked, user, attachment, adopted_on, adopted_by_body, decision_reference) -> Plan:
    transitions.adopt(
        locked,
        user,
        adopted_on=adopted_on,
        adopted_by_body=adopted_by_body.strip(),
        decision_reference=decision_reference.strip(),
        adopted_document=attachment,
    )
    plan.refresh_from_db()
    record_version(
        plan,
        user,
        _("Recorded the adoption: %(body)s, %(date)s")
        % {"body": adopted_by_body, "date": formats.date_format(adopted_on, "j F Y")},
    )
    return plan
