"""Changes to library plans, in one place. Each function names its side effects.

Concurrent edits are detected with optimistic locking: every editable row has a `version`;
a save is a conditional UPDATE on (pk, version) and raises Conflict when someone else saved
first. This is atomic on PostgreSQL and SQLite alike. Every change records a PlanVersion
snapshot (consecutive autosaves of the same part by the same person within a few minutes are
folded into one version, so the history stays readable).
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

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
from portal.richtext import sanitize, to_text
from portal.uploads import CONTENT_TYPES, sniff_document

FOLD_AUTOSAVES_WITHIN = timedelta(minutes=10)


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


# --- loading ------------------------------------------------------------------------------


def plan_tree(plan_id: int) -> Plan:
    """The plan with everything below it, in a fixed number of queries (7)."""
    return (
        Plan.objects.select_related("organisation", "organisation__parent", "adopted_document")
        .prefetch_related(
            "sections",
            Prefetch(
                "focus_areas",
                queryset=PlanFocusArea.objects.select_related("national").prefetch_related(
                    "goals__activities",
                    Prefetch("goals__indicators", queryset=Indicator.objects.prefetch_related("values")),
                ),
            ),
        )
        .get(pk=plan_id)
    )


def snapshot(plan: Plan) -> dict:
    """The plan's content as plain JSON (for history, diff and restore)."""
    plan = plan_tree(plan.pk)
    return {
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "sections": [{"heading": s.heading, "body": s.body} for s in plan.sections.all()],
        "focus_areas": [
            {
                "national_id": fa.national_id,
                "national": fa.national.name,
                "name": fa.name,
                "description": fa.description,
                "goals": [
                    {
                        "title": g.title,
                        "description": g.description,
                        "activities": [
                            {
                                "what": a.what,
                                "responsible": a.responsible,
                                "timing": a.timing,
                                "status": a.status,
                            }
                            for a in g.activities.all()
                        ],
                        "indicators": [
                            {
                                "name": i.name,
                                "unit": i.unit,
                                "baseline_year": i.baseline_year,
                                "baseline_value": _num(i.baseline_value),
                                "target_year": i.target_year,
                                "target_value": _num(i.target_value),
                                "direction": i.direction,
                                "values": {str(v.year): _num(v.value) for v in i.values.all()},
                            }
                            for i in g.indicators.all()
                        ],
                    }
                    for g in fa.goals.all()
                ],
            }
            for fa in plan.focus_areas.all()
        ],
    }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# --- history ------------------------------------------------------------------------------


def record_version(plan: Plan, user, summary: str, target: str = "") -> PlanVersion:
    """Store a snapshot after a change. Side effect: refreshes the plan's search text."""
    # reviews: the first change after feedback starts the revision (reviewed → revised)
    if plan.status == Plan.Status.REVIEWED:
        from plans.reviews import start_revision

        start_revision(plan, user)
    data = snapshot(plan)
    latest = plan.versions.order_by("-number").first()
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(updated_at=now, search_text=search_text_of(data))
    if (
        latest is not None
        and target
        and latest.target == target
        and latest.created_by_id == getattr(user, "pk", None)
        and now - latest.created_at < FOLD_AUTOSAVES_WITHIN
    ):
        latest.snapshot, latest.created_at, latest.summary = data, now, summary
        latest.save(update_fields=["snapshot", "created_at", "summary"])
        return latest
    number = (latest.number if latest else 0) + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        created_by=user if getattr(user, "pk", None) else None,
        summary=summary,
        target=target,
        snapshot=data,
    )


def search_text_of(data: dict) -> str:
    parts = [data["title"]]
    for s in data["sections"]:
        parts += [s["heading"], html.unescape(to_text(_blocks_to_lines(s["body"])))]
    for fa in data["focus_areas"]:
        parts += [fa["name"], fa["description"], fa.get("national", "")]
        for g in fa["goals"]:
            parts += [g["title"], g["description"]]
            parts += [a["what"] for a in g["activities"]]
            parts += [i["name"] for i in g["indicators"]]
    return "\n".join(p for p in parts if p)


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr)>|<br\s*/?>", re.I)


def _blocks_to_lines(body: str) -> str:
    return _BLOCK_END.sub("\n", body or "")


def snapshot_lines(data: dict) -> list[str]:
    """A readable, line-based rendering of a snapshot, for diffs. Headings start with "## "."""
    labels = {
        "title": _("Title"),
        "period": _("Period"),
        "focus": _("Focus area"),
        "goal": _("Goal"),
        "activity": _("Activity"),
        "indicator": _("Indicator"),
    }
    statuses = dict(Activity.Status.choices)
    directions = dict(Indicator.Direction.choices)
    lines = [
        f"{labels['title']}: {data['title']}",
        f"{labels['period']}: {data['first_year']}–{data['last_year']}",
        "",
    ]
    for s in data["sections"]:
        lines.append(f"## {s['heading']}")
        text = html.unescape(to_text(_blocks_to_lines(s["body"])))
        lines += [line.strip() for line in text.splitlines() if line.strip()]
        lines.append("")
    for fa in data["focus_areas"]:
        lines.append(f"## {labels['focus']}: {fa['name']} ({fa.get('national', '')})")
        if fa["description"]:
            lines.append(fa["description"])
        for g in fa["goals"]:
            lines.append(f"{labels['goal']}: {g['title']}")
            for a in g["activities"]:
                parts = [
                    a["what"],
                    a["responsible"],
                    a["timing"],
                    str(statuses.get(a["status"], a["status"])),
                ]
                lines.append(f"    {labels['activity']}: " + " · ".join(p for p in parts if p))
            for i in g["indicators"]:
                unit = f" ({i['unit']})" if i["unit"] else ""
                baseline = " ".join(str(x) for x in (i["baseline_year"], _sv(i["baseline_value"])) if x)
                target = " ".join(str(x) for x in (i["target_year"], _sv(i["target_value"])) if x)
                values = ", ".join(f"{y}: {_sv(v)}" for y, v in sorted(i["values"].items()))
                direction = str(directions.get(i["direction"], i["direction"]))
                parts = [f"{i['name']}{unit}", f"{baseline or '–'} → {target or '–'}", direction, values]
                lines.append(f"    {labels['indicator']}: " + " · ".join(p for p in parts if p))
        lines.append("")
    return lines


def _sv(value: str | None) -> str:
    return "" if value in (None, "") else str(value).replace(".", ",")


@dataclass
class DiffRow:
    kind: str  # "same", "added", "removed", "skipped"
    text: str
    count: int = 0

    @property
    def is_heading(self) -> bool:
        return self.text.startswith("## ")

    @property
    def display(self) -> str:
        return self.text[3:] if self.is_heading else self.text


def diff(old: dict, new: dict, context: int = 2) -> list[DiffRow]:
    """Changed lines with `context` unchanged lines around them; longer unchanged runs collapse."""
    rows = []
    for line in difflib.ndiff(snapshot_lines(old), snapshot_lines(new)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(DiffRow({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    changed = [i for i, row in enumerate(rows) if row.kind != "same"]
    keep = {j for i in changed for j in range(i - context, i + context + 1)}
    result: list[DiffRow] = []
    for i, row in enumerate(rows):
        if row.kind != "same" or i in keep or row.is_heading:
            result.append(row)
        elif result and result[-1].kind == "skipped":
            result[-1].count += 1
        else:
            result.append(DiffRow("skipped", "", 1))
    return result


# --- creating -----------------------------------------------------------------------------


@in_portal_language
@transaction.atomic
def create_plan(
    *, user, organisation, kind, title, first_year, last_year, start="template", source=None
) -> Plan:
    """Create a draft plan from the template, empty, or copied forward from an adopted plan.

    Side effects: records version 1. Raises IntegrityError for a duplicate title (forms check first).
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
    _ensure_editable(plan)
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
    yearly values. Side effect: records a plan version.
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
    Plan.objects.filter(pk=plan.pk).update(
        title=data["title"], first_year=data["first_year"], last_year=data["last_year"]
    )
    _write_content(plan, data)
    plan.refresh_from_db()
    return record_version(plan, user, _("Restored version %(number)s") % {"number": version.number})


# --- attachments and adoption -------------------------------------------------------------


def add_attachment(plan: Plan, user, *, title: str, uploaded) -> Attachment:
    """Store an uploaded document (already validated by the form)."""
    kind = sniff_document(uploaded)
    attachment = Attachment(
        plan=plan,
        title=title.strip(),
        original_name=uploaded.name[:255],
        content_type=CONTENT_TYPES[kind],
        size=uploaded.size,
        uploaded_by=user,
    )
    attachment.file.save(f"{plan.pk}-{timezone.now():%Y%m%d%H%M%S}.{kind}", uploaded, save=False)
    attachment.save()
    return attachment


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
        attachment = add_attachment(
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
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.ADOPTED,
        adopted_on=adopted_on,
        adopted_by_body=adopted_by_body.strip(),
        decision_reference=decision_reference.strip(),
        adopted_document=attachment,
    )
    # reviews: every transition is recorded; an open review round ends with the decision
    from plans.reviews import close_open_review_on_adoption, record_status_change

    close_open_review_on_adoption(plan, user)
    record_status_change(plan, user, locked.status, Plan.Status.ADOPTED)
    plan.refresh_from_db()
    record_version(
        plan,
        user,
        _("Recorded the adoption: %(body)s, %(date)s")
        % {"body": adopted_by_body, "date": formats.date_format(adopted_on, "j F Y")},
    )
    return plan
