"""How much one plan may hold, in one place.

A library plan has a handful of sections (the template has seven), three to eight focus areas
with a few goals each, and some ten activities and indicators per goal; the largest plan in the
benchmark (`bench/plans_bench.py`) has 10 sections, 8 focus areas, 40 goals, 120 activities and
60 indicators. The limits leave several times that room, and keep the edit page, the plan's page,
its PDF and its history at a size a server and a reader can handle: without them, 10,000 requests
to "add a section" made a plan whose edit page took 16 s and 44 MB. The totals per plan bound
what the per-parent limits would still allow (20 × 30 × 30 activities).

`plans.services` checks these limits, under the plan's row lock, on every path that adds
content: a new section, focus area, goal, activity, indicator or attachment, a plan copied
forward from an adopted one, and a restored version. The adoption document is not counted: it
is added once, when the plan is adopted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limit:
    most: int
    message: str | Promise  # with %(limit)s and %(count)s


SECTIONS = Limit(60, _("A plan can have at most %(limit)s sections (this one would have %(count)s)."))
FOCUS_AREAS = Limit(20, _("A plan can have at most %(limit)s focus areas (this one would have %(count)s)."))
GOALS_PER_FOCUS_AREA = Limit(
    30, _("A focus area can have at most %(limit)s goals (this one would have %(count)s).")
)
GOALS = Limit(100, _("A plan can have at most %(limit)s goals (this one would have %(count)s)."))
ACTIVITIES_PER_GOAL = Limit(
    30, _("A goal can have at most %(limit)s activities (this one would have %(count)s).")
)
ACTIVITIES = Limit(400, _("A plan can have at most %(limit)s activities (this one would have %(count)s)."))
INDICATORS_PER_GOAL = Limit(
    30, _("A goal can have at most %(limit)s indicators (this one would have %(count)s).")
)
INDICATORS = Limit(200, _("A plan can have at most %(limit)s indicators (this one would have %(count)s)."))
ATTACHMENTS = Limit(30, _("A plan can have at most %(limit)s attachments (this one would have %(count)s)."))


class LimitReached(Exception):
    """A change would take the plan past one of its limits. Its text says which, in the language
    active where it is shown (the services work in the portal's language)."""

    def __init__(self, limit: Limit, count: int):
        super().__init__(limit.most, count)
        self.limit, self.count = limit, count

    def __str__(self) -> str:
        return self.limit.message % {"limit": self.limit.most, "count": self.count}


def check(limit: Limit, count: int) -> None:
    """Raise LimitReached if a plan (or a part of it) with `count` items is past `limit`."""
    if count > limit.most:
        raise LimitReached(limit, count)


def check_content(data: dict) -> None:
    """Check a whole plan's content, as `plans.history.snapshot` gives it (a plan copied forward
    or a version restored), against every limit."""
    check(SECTIONS, len(data["sections"]))
    check(FOCUS_AREAS, len(data["focus_areas"]))
    goals = [g for fa in data["focus_areas"] for g in fa["goals"]]
    for fa in data["focus_areas"]:
        check(GOALS_PER_FOCUS_AREA, len(fa["goals"]))
    check(GOALS, len(goals))
    for g in goals:
        check(ACTIVITIES_PER_GOAL, len(g["activities"]))
        check(INDICATORS_PER_GOAL, len(g["indicators"]))
    check(ACTIVITIES, sum(len(g["activities"]) for g in goals))
    check(INDICATORS, sum(len(g["indicators"]) for g in goals))
