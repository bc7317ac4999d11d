"""A plan's history: snapshots of its content after every change, the readable line-based
rendering of a snapshot, and the diff between two snapshots. Restoring a version is an edit and
lives in `plans.services.restore`."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from plans import queries, transitions
from plans.models import Activity, Indicator, Plan, PlanVersion
from portal.richtext import to_text

FOLD_AUTOSAVES_WITHIN = timedelta(minutes=10)


def snapshot(plan: Plan) -> dict:
    """The plan's content as plain JSON (for history, diff and restore)."""
    plan = queries.plan_tree(plan.pk)
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


def record_version(plan: Plan, user, summary: str, target: str = "") -> PlanVersion:
    """Store a snapshot after a change. Side effect: refreshes the plan's search text."""
    # The first change after feedback starts the revision (reviewed → revised).
    if plan.status == Plan.Status.REVIEWED:
        transitions.start_revision(plan, user)
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
