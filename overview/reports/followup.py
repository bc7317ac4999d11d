"""The follow-up report of one organisation's plan and year: the status of every goal, the
year's indicator values against baseline and target (with the change from last year), and the
narrative."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from overview.reports.base import Report, table
from overview.reports.charts import Bar, bar_chart
from plans.models import FollowUp, GoalFollowUp, IndicatorFollowUp
from plans.queries import plan_tree
from portal.rules import can


def _num(value):
    return None if value is None else float(value)


class FollowUpReport(Report):
    kind = "followup"
    verbose_name = gettext_lazy("Follow-up report")
    template = "reports/followup.html"

    def __init__(self, follow_up: int):
        super().__init__(follow_up=follow_up)
        self.follow_up = FollowUp.objects.select_related("plan", "plan__organisation").get(pk=follow_up)

    @classmethod
    def may_read(cls, user, parameters: dict) -> bool:
        follow_up = (
            FollowUp.objects.select_related("plan", "plan__organisation")
            .filter(pk=parameters.get("follow_up"))
            .first()
        )
        return follow_up is not None and can(user, "plans.view_followup", follow_up)

    def title(self) -> str:
        f = self.follow_up
        return _("Follow-up %(year)s of %(plan)s") % {"year": f.year, "plan": f.plan.title}

    def filename_base(self) -> str:
        f = self.follow_up
        return f"uppfoljning-{f.plan.organisation.code}-{f.year}"

    def collect(self) -> dict:
        f = self.follow_up
        plan = f.plan
        goal_status = {g.goal_id: g for g in GoalFollowUp.objects.filter(follow_up=f)}
        this_year = {i.indicator_id: i.value for i in IndicatorFollowUp.objects.filter(follow_up=f)}
        last_year = {
            i.indicator_id: i.value
            for i in IndicatorFollowUp.objects.filter(follow_up__plan=plan, follow_up__year=f.year - 1)
        }
        statuses = dict(GoalFollowUp.Status.choices)
        goal_rows, indicator_rows = [], []
        counts: dict[str, int] = {}

        tree = plan_tree(plan.pk)
        for area in tree.focus_areas.all():
            for goal in area.goals.all():
                entry = goal_status.get(goal.pk)
                status = str(statuses.get(entry.status, "–")) if entry and entry.status else "–"
                counts[status] = counts.get(status, 0) + 1
                goal_rows.append([area.name, goal.title, status, entry.comment if entry else ""])
                for indicator in goal.indicators.all():
                    value, previous = this_year.get(indicator.pk), last_year.get(indicator.pk)
                    change = (
                        round(float((value - previous) * 100 / previous), 1)
                        if value is not None and previous
                        else None
                    )
                    indicator_rows.append(
                        [
                            indicator.name,
                            indicator.unit,
                            _num(indicator.baseline_value),
                            str(indicator.baseline_year or ""),
                            _num(indicator.target_value),
                            str(indicator.target_year or ""),
                            _num(previous),
                            _num(value),
                            change,
                        ]
                    )
        return {
            "year": f.year,
            "plan": {"title": plan.title, "period": plan.period, "organisation": plan.organisation.name},
            "status": str(f.get_status_display()),
            "narrative": f.narrative,
            "summary": {"goals": len(goal_rows), "by_status": counts, "indicators": len(indicator_rows)},
            "charts": {},
            "tables": [
                table(
                    "goals",
                    _("Goals and their status"),
                    [_("Focus area"), _("Goal"), _("Status"), _("Comment")],
                    goal_rows,
                ),
                table(
                    "indicators",
                    _("Indicators"),
                    [
                        _("Indicator"),
                        _("Unit"),
                        _("Baseline value"),
                        _("Baseline year"),
                        _("Target value"),
                        _("Target year"),
                        _("Last year"),
                        _("This year"),
                        _("Change (%)"),
                    ],
                    indicator_rows,
                ),
            ],
        }

    def charts(self, data: dict) -> dict[str, str]:

        counts = data["summary"]["by_status"]
        bars = [
            Bar(pgettext("goal status", "Not followed up") if status == "–" else status, n)
            for status, n in counts.items()
        ]
        if not bars:
            return {}
        return {"goals": bar_chart(_("Goals by status"), bars, max_value=max(b.value for b in bars), unit="")}
