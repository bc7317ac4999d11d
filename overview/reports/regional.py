"""The regional board report (återrapportering) of one region and year: the goals of the region's
own plans and their follow-up status; the events the region's library development held, with
participants and attendance by kind, focus area and municipality; its networks and their
meetings; the municipalities' plans and the follow-up of the year; and the reviews the region gave.

Every figure comes from a fixed number of aggregate queries, however many municipalities, goals
or reviews the region has (no per-row queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from calendar_app import queries as calendar_queries
from calendar_app.models import Event
from network import queries as network_queries
from network.models import Network
from overview.reports.base import Report, Section, table, tables_and_charts
from overview.reports.charts import Bar, bar_chart
from plans import queries as plan_queries
from plans.models import Activity, FollowUp, GoalFollowUp, Plan, Review
from plans.queries import PlanRow
from portal import queries as portal_queries
from portal.formatting import STOCKHOLM, share
from portal.models import Organisation
from portal.rules import can


@dataclass(frozen=True)
class MunicipalPlan:
    """A municipality of the region and its current plan in the year (the one ending last)."""

    municipality: Organisation
    plan: PlanRow | None
    in_force: bool = False  # else expired, still current (or no plan)
    follow_up: str = ""  # the status of the plan's follow-up of the year, while it is in force


@dataclass
class RegionYear:
    """What the report's sections share, each read once: the region's year (in Stockholm time),
    its municipalities and networks, the events held, the municipalities' plans and the region's
    own plans in force with their goals."""

    region: Organisation
    year: int
    now: datetime

    @property
    def start(self) -> datetime:
        return datetime.combine(datetime(self.year, 1, 1), time.min, tzinfo=STOCKHOLM)

    @property
    def end(self) -> datetime:
        return datetime.combine(datetime(self.year + 1, 1, 1), time.min, tzinfo=STOCKHOLM)

    @property
    def cutoff(self) -> datetime:
        """The end of the year, or now while the year is still running."""
        return min(self.now, self.end)

    @cached_property
    def municipalities(self) -> list[Organisation]:
        return portal_queries.municipalities_by_name(self.region)

    @cached_property
    def networks(self) -> list[Network]:
        return network_queries.networks_of_region(self.region)

    @cached_property
    def held(self):
        """The events the region or its networks held in the year (a queryset, used as a subquery)."""
        return calendar_queries.held_events(self.region, self.networks, self.start, self.end, self.now)

    @cached_property
    def confirmed(self):
        return calendar_queries.confirmed_registrations(self.held)

    @cached_property
    def events_by_kind(self) -> dict[str, int]:
        return calendar_queries.events_by_kind(self.held)

    @cached_property
    def attendance_by_organisation(self) -> dict[int, dict]:
        return calendar_queries.attendance_by(self.confirmed, "organisation_id")

    @cached_property
    def municipal_plans(self) -> list[MunicipalPlan]:
        """Every municipality with its current plan (KB's rule) and that plan's follow-up."""
        plans = plan_queries.municipal_plans_in(self.region)
        adopted = plan_queries.plan_rows(plans.adopted())
        follow_ups = plan_queries.follow_up_statuses(plans, self.year)
        result = []
        for m in self.municipalities:
            current = [p for p in adopted if p.organisation_id == m.pk and p.is_current(self.year)]
            if not current:
                result.append(MunicipalPlan(m, None))
                continue
            plan = max(current, key=lambda p: p.last_year)
            if plan.validity(self.year) == Plan.Validity.IN_FORCE:
                result.append(MunicipalPlan(m, plan, True, follow_ups.get(plan.id, "")))
            else:
                result.append(MunicipalPlan(m, plan))
        return result

    @cached_property
    def own(self):
        """The region's own plans in force in the year (a queryset, used as a subquery)."""
        return plan_queries.region_plans_in_force(self.region, self.year)

    @cached_property
    def own_plans(self) -> list[PlanRow]:
        """The region's own plans in force: the regional plan first, then the activity plans."""
        order = {Plan.Kind.REGIONAL: 0, Plan.Kind.ACTIVITY: 1}
        return sorted(plan_queries.plan_rows(self.own), key=lambda p: (order[p.kind], -p.last_year, p.title))

    @cached_property
    def plan_kinds(self) -> dict[int, str]:
        return {p.id: str(Plan.Kind(p.kind).label) for p in self.own_plans}

    def in_plan_order(self, rows: list[dict], plan_key: str) -> list[dict]:
        """The rows (goals, activities) ordered by their plan's place among the own plans."""
        order = {p.id: i for i, p in enumerate(self.own_plans)}
        return sorted(rows, key=lambda row: order[row[plan_key]])

    @cached_property
    def goals(self) -> list[tuple[dict, dict]]:
        """The goals of the own plans, each with its status and comment of the year ({} if none)."""
        status = plan_queries.goal_follow_ups(self.own, self.year)
        goals = self.in_plan_order(plan_queries.goals_of(self.own), "focus_area__plan_id")
        return [(goal, status.get(goal["id"], {})) for goal in goals]

    @cached_property
    def goal_counts(self) -> dict[str, int]:
        """The number of goals by status of the year ("" for not followed up)."""
        counts = dict.fromkeys([*GoalFollowUp.Status.values, ""], 0)
        for _goal, entry in self.goals:
            counts[entry.get("status", "")] += 1
        return counts

    @cached_property
    def reviews_given(self) -> list[dict]:
        return plan_queries.reviews_closed_by(self.region, self.start, self.end)


class RegionalReport(Report):
    kind = "regional"
    verbose_name = gettext_lazy("Regional report to the board")
    template = "reports/regional.html"

    def __init__(self, year: int, region: str):
        super().__init__(year=year, region=region)
        self.year = year
        self.region = Organisation.objects.get(kind=Organisation.Kind.REGION, code=region)

    @staticmethod
    def may_report_on(user, region: Organisation | None) -> bool:
        return region is not None and can(user, "reports.regional", region)

    @classmethod
    def regions_for(cls, user):
        """The regions the user may ask for a report on, by code (a queryset, for the form)."""
        return portal_queries.regions().filter(pk__in=[r.pk for r in cls._reportable(user)])

    @classmethod
    def _reportable(cls, user) -> list[Organisation]:
        return [r for r in portal_queries.regions() if cls.may_report_on(user, r)]

    @classmethod
    def may_read(cls, user, parameters: dict) -> bool:
        region = portal_queries.regions().filter(code=parameters.get("region")).first()
        return cls.may_report_on(user, region)

    @classmethod
    def readable(cls, user, jobs: list) -> list:
        codes = {region.code for region in cls._reportable(user)}  # one query for every job
        return [job for job in jobs if job.parameters.get("region") in codes]

    def title(self) -> str:
        return _("Regional library development %(year)s – report to the board, %(region)s") % {
            "year": self.year,
            "region": self.region.name,
        }

    def filename_base(self) -> str:
        return f"aterrapportering-{self.region.code}-{self.year}"

    def collect(self) -> dict:
        scope = RegionYear(self.region, self.year, timezone.now())
        sections = [
            self._own_plans(scope),
            self._goal_status(scope),
            self._goals(scope),
            self._activities(scope),
            self._events_by_kind(scope),
            self._events_by_focus_area(scope),
            self._participants_by_municipality(scope),
            self._networks(scope),
            self._municipal_plans(scope),
            self._reviews_given(scope),
            self._key_figures(scope),
        ]
        region = self.region
        return {
            "year": self.year,
            "region": {"code": region.code, "name": region.name, "county": region.county_name},
            "as_of": min(timezone.localdate(), datetime(self.year, 12, 31).date()).isoformat(),
            "summary": self._summary(scope),
            **tables_and_charts(sections),
        }

    def _summary(self, s: RegionYear) -> dict:
        totals = calendar_queries.attendance(s.confirmed)
        due = [mp.follow_up for mp in s.municipal_plans if mp.in_force]
        submitted = (FollowUp.Status.SUBMITTED, FollowUp.Status.ACKNOWLEDGED)
        return {
            "events": sum(s.events_by_kind.values()),
            "participants": totals["participants"],
            "attended": totals["attended"],
            "attendance_share": share(totals["attended"], totals["participants"]),
            "networks": len(s.networks),
            "municipalities": len(s.municipalities),
            "municipalities_reached": sum(
                1 for m in s.municipalities if s.attendance_by_organisation.get(m.pk, {}).get("participants")
            ),
            "municipalities_with_plan": sum(1 for mp in s.municipal_plans if mp.plan),
            "municipal_follow_ups_due": len(due),
            "municipal_follow_ups_submitted": sum(1 for status in due if status in submitted),
            "municipal_follow_ups_acknowledged": due.count(FollowUp.Status.ACKNOWLEDGED),
            "region_plans": len(s.own_plans),
            "goals": len(s.goals),
            "goals_followed_up": len(s.goals) - s.goal_counts[""],
            "goals_achieved": s.goal_counts[GoalFollowUp.Status.ACHIEVED],
            "reviews_given": len(s.reviews_given),
            "reviews_open": plan_queries.reviews_awaiting(s.region, s.cutoff),
            "reviews_open_on": timezone.localtime(s.cutoff - timedelta(microseconds=1), STOCKHOLM)
            .date()
            .isoformat(),
        }

    def _own_plans(self, s: RegionYear) -> Section:
        """The region's own plans in force in the year, and the state of their follow-up."""
        statuses = plan_queries.follow_up_statuses(s.own, self.year)
        labels = dict(FollowUp.Status.choices)
        rows = [
            [
                s.plan_kinds[p.id],
                p.title,
                _period(p.first_year, p.last_year),
                str(labels[statuses[p.id]]) if p.id in statuses else _not_started(),
            ]
            for p in s.own_plans
        ]
        return Section(
            table(
                "own_plans",
                _("The region's plans in force and their follow-up"),
                [_("Plan"), _("Title"), _("Period"), _("Follow-up of the year")],
                rows,
            )
        )

    def _goal_status(self, s: RegionYear) -> Section:
        """The region's goals by their status in the year's follow-up."""
        labels = dict(GoalFollowUp.Status.choices)
        rows = [
            [str(labels[key]) if key else _not_followed_up(), n, share(n, len(s.goals))]
            for key, n in s.goal_counts.items()
        ]
        chart = [{"label": row[0], "value": row[1]} for row in rows]
        return Section(
            table(
                "goal_status",
                _("The region's goals, by status"),
                [_("Status"), _("Goals"), _("Share (%)")],
                rows,
            ),
            chart,
        )

    def _goals(self, s: RegionYear) -> Section:
        """Every goal of the region's plans with its status and comment of the year."""
        labels = dict(GoalFollowUp.Status.choices)
        rows = [
            [
                s.plan_kinds[goal["focus_area__plan_id"]],
                goal["focus_area__name"],
                goal["title"],
                str(labels[entry["status"]]) if entry.get("status") else _not_followed_up(),
                entry.get("comment", ""),
            ]
            for goal, entry in s.goals
        ]
        return Section(
            table(
                "goals",
                _("Follow-up of the region's goals"),
                [_("Plan"), _("Focus area"), _("Goal"), _("Status"), _("Comment")],
                rows,
            )
        )

    def _activities(self, s: RegionYear) -> Section:
        """The activities of the region's plans and their status."""
        labels = dict(Activity.Status.choices)
        activities = s.in_plan_order(plan_queries.activities_of(s.own), "goal__focus_area__plan_id")
        rows = [
            [
                s.plan_kinds[a["goal__focus_area__plan_id"]],
                a["goal__title"],
                a["what"],
                a["responsible"],
                str(labels.get(a["status"], a["status"])),
            ]
            for a in activities
        ]
        return Section(
            table(
                "activities",
                _("The region's plans: activities and their status"),
                [_("Plan"), _("Goal"), _("Activity"), _("Responsible"), _("Status")],
                rows,
            )
        )

    def _events_by_kind(self, s: RegionYear) -> Section:
        """Events held, participants and attendance, by kind of event (every kind listed)."""
        people = calendar_queries.attendance_by(s.confirmed, "event__kind")
        rows = []
        for key, label in Event.Kind.choices:
            mine = people.get(key, {})
            rows.append(
                [
                    str(label),
                    s.events_by_kind.get(key, 0),
                    mine.get("participants", 0),
                    mine.get("attended", 0),
                ]
            )
        chart = [{"label": row[0], "value": row[1]} for row in rows]
        return Section(
            table(
                "kinds",
                _("Events held, by kind"),
                [_("Kind"), _("Events"), _("Participants"), _("Attended")],
                rows,
            ),
            chart,
        )

    def _events_by_focus_area(self, s: RegionYear) -> Section:
        rows = [[name, n] for name, n in calendar_queries.events_by_focus_area(s.held)]
        return Section(
            table("focus", _("Events held, by focus area"), [_("National focus area"), _("Events")], rows)
        )

    def _participants_by_municipality(self, s: RegionYear) -> Section:
        """Events attended, participants and attendance per municipality of the region; people from
        elsewhere (or from no organisation) in one last row."""
        by_org = s.attendance_by_organisation
        rows = []
        for m in s.municipalities:
            mine = by_org.get(m.pk, {})
            rows.append(
                [m.code, m.name, mine.get("events", 0), mine.get("participants", 0), mine.get("attended", 0)]
            )
        own = {m.pk for m in s.municipalities}
        other = sum(row["participants"] for org_id, row in by_org.items() if org_id not in own)
        if other:
            rows.append(["", _("Outside the region or unknown"), "", other, ""])
        return Section(
            table(
                "municipalities",
                _("Participants by municipality"),
                [_("Code"), _("Municipality"), _("Events"), _("Participants"), _("Attended")],
                rows,
            )
        )

    def _networks(self, s: RegionYear) -> Section:
        """The region's networks, their members and the meetings they held in the year."""
        meetings = calendar_queries.meetings_by_network(s.held, s.region)
        rows = [[n.name, n.get_status_display(), n.member_count, meetings.get(n.pk, 0)] for n in s.networks]
        return Section(
            table(
                "networks",
                _("Networks and their meetings"),
                [_("Network"), _("Status"), _("Members"), _("Meetings held")],
                rows,
            )
        )

    def _municipal_plans(self, s: RegionYear) -> Section:
        """Each municipality's current plan, whether it is in force or expired but still current,
        and the plan's follow-up of the year (only a year within the period is followed up)."""
        labels = dict(FollowUp.Status.choices)
        preparing = plan_queries.preparing_a_plan(s.region)
        rows = []
        for mp in s.municipal_plans:
            m, plan = mp.municipality, mp.plan
            if plan is None:
                state = _("A new plan is being written") if m.pk in preparing else _("No current plan")
                rows.append([m.code, m.name, "–", "–", state, "–"])
            elif mp.in_force:
                follow_up = str(labels[mp.follow_up]) if mp.follow_up else _not_started()
                rows.append([m.code, m.name, plan.title, plan.years, _("In force"), follow_up])
            else:
                rows.append([m.code, m.name, plan.title, plan.years, _("Expired, still current"), "–"])
        return Section(
            table(
                "plans",
                _("The municipalities' library plans"),
                [
                    _("Code"),
                    _("Municipality"),
                    _("Current plan"),
                    _("Period"),
                    _("Status"),
                    _("Follow-up of the year"),
                ],
                rows,
            )
        )

    def _reviews_given(self, s: RegionYear) -> Section:
        """The reviews the region closed with feedback in the year."""
        outcomes = dict(Review.Outcome.choices)
        rows = [
            [
                r["plan__organisation__name"],
                r["plan__title"],
                r["round"],
                str(outcomes.get(r["outcome"], r["outcome"])) if r["outcome"] else "–",
                timezone.localtime(r["closed_at"], STOCKHOLM).date().isoformat(),
                _person(r["reviewer__first_name"], r["reviewer__last_name"], r["reviewer__email"]),
            ]
            for r in s.reviews_given
        ]
        return Section(
            table(
                "reviews",
                _("Reviews given"),
                [
                    _("Municipality"),
                    _("Plan"),
                    _("Round"),
                    _("Outcome"),
                    _("Feedback given"),
                    _("Reviewer"),
                ],
                rows,
            )
        )

    def _key_figures(self, s: RegionYear) -> Section:
        """The region's municipalities' key figures (imported library statistics) beside the
        national average, for the latest year up to the report's that has values."""
        figures_year = portal_queries.latest_statistics_year(self.year)
        rows = []
        if figures_year is not None:
            national = {
                row["indicator_id"]: row["average"]
                for row in portal_queries.municipal_statistics(figures_year)
            }
            for row in portal_queries.municipal_statistics(figures_year, s.region):
                rows.append(
                    [
                        row["indicator__name"],
                        row["indicator__unit"],
                        row["organisations"],
                        round(float(row["average"]), 2),
                        round(float(national[row["indicator_id"]]), 2),
                    ]
                )
        return Section(
            table(
                "figures",
                _("Key figures of the municipalities, %(year)s") % {"year": figures_year or self.year},
                [
                    _("Indicator"),
                    _("Unit"),
                    _("Municipalities"),
                    _("Average in the region"),
                    _("Average in Sweden"),
                ],
                rows,
            )
        )

    def charts(self, data: dict) -> dict[str, str]:

        def counts(key: str, title: str) -> str:
            bars = [Bar(b["label"], b["value"]) for b in data["charts"][key]]
            top = max([b.value for b in bars] + [1])
            return bar_chart(title, bars, max_value=top, unit="")

        return {
            "goal_status": counts("goal_status", _("The region's goals, by status")),
            "kinds": counts("kinds", _("Events held, by kind")),
        }


def _person(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """A person's name as User.get_full_name gives it, or the e-mail address; "–" for nobody."""
    return f"{first_name or ''} {last_name or ''}".strip() or email or "–"


def _not_started() -> str:
    return pgettext("follow-up status", "Not started")


def _not_followed_up() -> str:
    return pgettext("goal status", "Not followed up")


def _period(first_year: int, last_year: int) -> str:
    """As Plan.period: "2023–2026", or "2026" for a plan of one year."""
    return f"{first_year}–{last_year}" if first_year != last_year else str(first_year)
