"""The regional board report (återrapportering) of one region and year: the goals of the region's
own plans and their follow-up status; the events the region's library development held, with
participants and attendance by kind, focus area and municipality; its networks and their
meetings; the municipalities' plans and the follow-up of the year; and the reviews the region gave.

Every figure comes from a fixed number of aggregate queries, however many municipalities, goals
or reviews the region has (no per-row queries)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from calendar_app.models import Event, Registration
from network.models import Network
from overview.reports.base import Report, table
from overview.reports.charts import Bar, bar_chart
from overview.reports.national import is_current
from plans.models import Activity, FollowUp, Goal, GoalFollowUp, Plan, Review
from portal.formatting import share
from portal.models import Organisation, StatisticValue

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class RegionalReport(Report):
    kind = "regional"
    verbose_name = gettext_lazy("Regional report to the board")
    template = "reports/regional.html"

    def __init__(self, year: int, region: str):
        super().__init__(year=year, region=region)
        self.year = year
        self.region = Organisation.objects.get(kind=Organisation.Kind.REGION, code=region)

    def title(self) -> str:
        return _("Regional library development %(year)s – report to the board, %(region)s") % {
            "year": self.year,
            "region": self.region.name,
        }

    def filename_base(self) -> str:
        return f"aterrapportering-{self.region.code}-{self.year}"

    def collect(self) -> dict:
        region, year = self.region, self.year
        start = datetime.combine(datetime(year, 1, 1), time.min, tzinfo=STOCKHOLM)
        end = datetime.combine(datetime(year + 1, 1, 1), time.min, tzinfo=STOCKHOLM)
        now = timezone.now()
        networks = list(Network.objects.filter(regions=region).order_by("name"))
        held = Event.objects.filter(
            Q(organiser=region) | Q(network__in=networks),
            status=Event.Status.PUBLISHED,
            starts_at__gte=start,
            starts_at__lt=end,
            ends_at__lte=now,
        ).distinct()
        held_ids = held.values("pk")
        confirmed = Registration.objects.filter(event_id__in=held_ids, status=Registration.Status.CONFIRMED)
        totals = confirmed.aggregate(participants=Count("pk"), attended=Count("pk", filter=Q(attended=True)))

        kinds = dict(Event.Kind.choices)
        by_kind = {
            row["kind"]: row
            for row in Event.objects.filter(pk__in=held_ids).values("kind").annotate(events=Count("pk"))
        }
        totals["events"] = sum(row["events"] for row in by_kind.values())
        people_by_kind = {
            row["event__kind"]: row
            for row in confirmed.values("event__kind").annotate(
                participants=Count("pk"), attended=Count("pk", filter=Q(attended=True))
            )
        }
        kind_rows = []
        for key, label in kinds.items():
            events = by_kind.get(key, {}).get("events", 0)
            people = people_by_kind.get(key, {})
            kind_rows.append([str(label), events, people.get("participants", 0), people.get("attended", 0)])

        focus_rows = [
            [row["focus_areas__name"], row["events"]]
            for row in Event.objects.filter(pk__in=held_ids, focus_areas__isnull=False)
            .values("focus_areas__name")
            .annotate(events=Count("pk", distinct=True))
            .order_by("-events", "focus_areas__name")
        ]

        municipalities = list(Organisation.objects.filter(parent=region).order_by("name"))
        by_org = {
            row["organisation_id"]: row
            for row in confirmed.values("organisation_id").annotate(
                participants=Count("pk"),
                attended=Count("pk", filter=Q(attended=True)),
                events=Count("event", distinct=True),
            )
        }
        municipality_rows = [
            [
                m.code,
                m.name,
                by_org.get(m.pk, {}).get("events", 0),
                by_org.get(m.pk, {}).get("participants", 0),
                by_org.get(m.pk, {}).get("attended", 0),
            ]
            for m in municipalities
        ]
        reached = sum(1 for m in municipalities if by_org.get(m.pk, {}).get("participants"))
        other = sum(
            row["participants"]
            for org_id, row in by_org.items()
            if org_id not in {m.pk for m in municipalities}
        )
        if other:
            municipality_rows.append(["", _("Outside the region or unknown"), "", other, ""])

        meetings = dict(
            Event.objects.filter(pk__in=held_ids, network__regions=region)
            .values("network_id")
            .annotate(n=Count("pk"))
            .values_list("network_id", "n")
        )
        members = dict(
            Network.objects.filter(regions=region)
            .annotate(n=Count("members", filter=Q(members__status="approved")))
            .values_list("pk", "n")
        )
        network_rows = [
            [n.name, n.get_status_display(), members.get(n.pk, 0), meetings.get(n.pk, 0)] for n in networks
        ]

        # The municipalities' plans, and the follow-up of the year of the current one.
        adopted = list(
            Plan.objects.adopted()
            .filter(organisation__parent=region, kind=Plan.Kind.MUNICIPAL)
            .values("id", "organisation_id", "title", "first_year", "last_year", "adopted_on")
        )
        drafts = set(
            Plan.objects.filter(organisation__parent=region)
            .exclude(status=Plan.Status.ADOPTED)
            .values_list("organisation_id", flat=True)
        )
        municipal_follow_ups = dict(
            FollowUp.objects.filter(
                plan__organisation__parent=region, plan__kind=Plan.Kind.MUNICIPAL, year=year
            ).values_list("plan_id", "status")
        )
        follow_up_labels = dict(FollowUp.Status.choices)
        not_started = pgettext("follow-up status", "Not started")
        plan_rows = []
        follow_up_counts = dict.fromkeys(FollowUp.Status.values, 0)
        follow_ups_due = 0
        for m in municipalities:
            current = [p for p in adopted if p["organisation_id"] == m.pk and is_current(p, year)]
            if current:
                plan = max(current, key=lambda p: p["last_year"])
                in_force = plan["last_year"] >= year
                state = _("In force") if in_force else _("Expired, still current")
                # Only a year within the plan's period can be followed up.
                follow_up = "–"
                if in_force:
                    follow_ups_due += 1
                    status = municipal_follow_ups.get(plan["id"])
                    if status:
                        follow_up_counts[status] += 1
                    follow_up = str(follow_up_labels[status]) if status else not_started
                plan_rows.append(
                    [
                        m.code,
                        m.name,
                        plan["title"],
                        f"{plan['first_year']}–{plan['last_year']}",
                        state,
                        follow_up,
                    ]
                )
            else:
                state = _("A new plan is being written") if m.pk in drafts else _("No current plan")
                plan_rows.append([m.code, m.name, "–", "–", state, "–"])
        with_plan = sum(1 for row in plan_rows if row[2] != "–")

        # The region's own plans in force in the year: their goals with the status from the
        # follow-up of the year, and their activities.
        own = Plan.objects.in_force(year).filter(
            organisation=region, kind__in=[Plan.Kind.REGIONAL, Plan.Kind.ACTIVITY]
        )
        kind_order = {Plan.Kind.REGIONAL: 0, Plan.Kind.ACTIVITY: 1}
        own_plans = sorted(
            own.values("id", "kind", "title", "first_year", "last_year"),
            key=lambda p: (kind_order[p["kind"]], -p["last_year"], p["title"]),
        )
        plan_order = {p["id"]: i for i, p in enumerate(own_plans)}
        plan_kinds = {p["id"]: str(Plan.Kind(p["kind"]).label) for p in own_plans}
        own_follow_ups = dict(
            FollowUp.objects.filter(plan__in=own, year=year).values_list("plan_id", "status")
        )
        goal_status = {
            row["goal_id"]: row
            for row in GoalFollowUp.objects.filter(follow_up__plan__in=own, follow_up__year=year).values(
                "goal_id", "status", "comment"
            )
        }
        goal_labels = dict(GoalFollowUp.Status.choices)
        not_followed_up = pgettext("goal status", "Not followed up")
        goals = sorted(
            Goal.objects.filter(focus_area__plan__in=own)
            .order_by("focus_area__position", "focus_area_id", "position", "pk")
            .values("id", "title", "focus_area__name", "focus_area__plan_id"),
            key=lambda g: plan_order[g["focus_area__plan_id"]],
        )
        goal_rows = []
        goal_counts = dict.fromkeys([*GoalFollowUp.Status.values, ""], 0)
        for goal in goals:
            entry = goal_status.get(goal["id"], {})
            status = entry.get("status", "")
            goal_counts[status] += 1
            goal_rows.append(
                [
                    plan_kinds[goal["focus_area__plan_id"]],
                    goal["focus_area__name"],
                    goal["title"],
                    str(goal_labels[status]) if status else not_followed_up,
                    entry.get("comment", ""),
                ]
            )
        own_plan_rows = [
            [
                plan_kinds[p["id"]],
                p["title"],
                _period(p["first_year"], p["last_year"]),
                str(follow_up_labels[own_follow_ups[p["id"]]]) if p["id"] in own_follow_ups else not_started,
            ]
            for p in own_plans
        ]
        goal_status_rows = [
            [
                str(goal_labels[key]) if key else not_followed_up,
                n,
                share(n, len(goals)),
            ]
            for key, n in goal_counts.items()
        ]

        activity_labels = dict(Activity.Status.choices)
        activities = sorted(
            Activity.objects.filter(goal__focus_area__plan__in=own)
            .order_by(
                "goal__focus_area__position",
                "goal__focus_area_id",
                "goal__position",
                "goal_id",
                "position",
                "pk",
            )
            .values("what", "responsible", "status", "goal__title", "goal__focus_area__plan_id"),
            key=lambda a: plan_order[a["goal__focus_area__plan_id"]],
        )
        activity_rows = [
            [
                plan_kinds[a["goal__focus_area__plan_id"]],
                a["goal__title"],
                a["what"],
                a["responsible"],
                str(activity_labels.get(a["status"], a["status"])),
            ]
            for a in activities
        ]

        # Reviews the region gave: closed in the year; and those awaiting review at its end (or now).
        given = Review.objects.filter(
            reviewing_organisation=region,
            state=Review.State.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        ).order_by("closed_at", "pk")
        outcomes = dict(Review.Outcome.choices)
        review_rows = [
            [
                r["plan__organisation__name"],
                r["plan__title"],
                r["round"],
                str(outcomes.get(r["outcome"], r["outcome"])) if r["outcome"] else "–",
                timezone.localtime(r["closed_at"], STOCKHOLM).date().isoformat(),
                _person(r["reviewer__first_name"], r["reviewer__last_name"], r["reviewer__email"]),
            ]
            for r in given.values(
                "plan__organisation__name",
                "plan__title",
                "round",
                "outcome",
                "closed_at",
                "reviewer__first_name",
                "reviewer__last_name",
                "reviewer__email",
            )
        ]
        cutoff = min(now, end)
        open_reviews = (
            Review.objects.filter(reviewing_organisation=region, submitted_at__lt=cutoff)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
            .count()
        )

        figures_year, figure_rows = _key_figures(region, year)

        return {
            "year": year,
            "region": {"code": region.code, "name": region.name, "county": region.county_name},
            "as_of": min(timezone.localdate(), datetime(year, 12, 31).date()).isoformat(),
            "summary": {
                "events": totals["events"],
                "participants": totals["participants"],
                "attended": totals["attended"],
                "attendance_share": share(totals["attended"], totals["participants"]),
                "networks": len(networks),
                "municipalities": len(municipalities),
                "municipalities_reached": reached,
                "municipalities_with_plan": with_plan,
                "municipal_follow_ups_due": follow_ups_due,
                "municipal_follow_ups_submitted": follow_up_counts[FollowUp.Status.SUBMITTED]
                + follow_up_counts[FollowUp.Status.ACKNOWLEDGED],
                "municipal_follow_ups_acknowledged": follow_up_counts[FollowUp.Status.ACKNOWLEDGED],
                "region_plans": len(own_plans),
                "goals": len(goals),
                "goals_followed_up": len(goals) - goal_counts[""],
                "goals_achieved": goal_counts[GoalFollowUp.Status.ACHIEVED],
                "reviews_given": len(review_rows),
                "reviews_open": open_reviews,
                "reviews_open_on": timezone.localtime(cutoff - timedelta(microseconds=1), STOCKHOLM)
                .date()
                .isoformat(),
            },
            "charts": {
                "goal_status": [{"label": r[0], "value": r[1]} for r in goal_status_rows],
                "kinds": [{"label": r[0], "value": r[1]} for r in kind_rows],
            },
            "tables": [
                table(
                    "own_plans",
                    _("The region's plans in force and their follow-up"),
                    [_("Plan"), _("Title"), _("Period"), _("Follow-up of the year")],
                    own_plan_rows,
                ),
                table(
                    "goal_status",
                    _("The region's goals, by status"),
                    [_("Status"), _("Goals"), _("Share (%)")],
                    goal_status_rows,
                ),
                table(
                    "goals",
                    _("Follow-up of the region's goals"),
                    [
                        _("Plan"),
                        _("Focus area"),
                        _("Goal"),
                        _("Status"),
                        _("Comment"),
                    ],
                    goal_rows,
                ),
                table(
                    "activities",
                    _("The region's plans: activities and their status"),
                    [_("Plan"), _("Goal"), _("Activity"), _("Responsible"), _("Status")],
                    activity_rows,
                ),
                table(
                    "kinds",
                    _("Events held, by kind"),
                    [_("Kind"), _("Events"), _("Participants"), _("Attended")],
                    kind_rows,
                ),
                table(
                    "focus",
                    _("Events held, by focus area"),
                    [_("National focus area"), _("Events")],
                    focus_rows,
                ),
                table(
                    "municipalities",
                    _("Participants by municipality"),
                    [_("Code"), _("Municipality"), _("Events"), _("Participants"), _("Attended")],
                    municipality_rows,
                ),
                table(
                    "networks",
                    _("Networks and their meetings"),
                    [_("Network"), _("Status"), _("Members"), _("Meetings held")],
                    network_rows,
                ),
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
                    plan_rows,
                ),
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
                    review_rows,
                ),
                table(
                    "figures",
                    _("Key figures of the municipalities, %(year)s") % {"year": figures_year or year},
                    [
                        _("Indicator"),
                        _("Unit"),
                        _("Municipalities"),
                        _("Average in the region"),
                        _("Average in Sweden"),
                    ],
                    figure_rows,
                ),
            ],
        }

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


def _period(first_year: int, last_year: int) -> str:
    """As Plan.period: "2023–2026", or "2026" for a plan of one year."""
    return f"{first_year}–{last_year}" if first_year != last_year else str(first_year)


def _key_figures(region: Organisation, year: int) -> tuple[int | None, list[list]]:
    """The region's municipalities' key figures (imported library statistics) beside the national
    average, for the latest year up to the report's that has values. Three queries."""
    municipal = StatisticValue.objects.filter(organisation__kind=Organisation.Kind.MUNICIPALITY)
    figures_year = municipal.filter(year__lte=year).aggregate(latest=Max("year"))["latest"]
    if figures_year is None:
        return None, []
    national = dict(
        municipal.filter(year=figures_year)
        .values("indicator_id")
        .annotate(average=Avg("value"))
        .values_list("indicator_id", "average")
    )
    rows = []
    for row in (
        municipal.filter(year=figures_year, organisation__parent=region)
        .values("indicator_id", "indicator__name", "indicator__unit", "indicator__sort_order")
        .annotate(organisations=Count("organisation", distinct=True), average=Avg("value"))
        .order_by("indicator__sort_order", "indicator__name")
    ):
        rows.append(
            [
                row["indicator__name"],
                row["indicator__unit"],
                row["organisations"],
                round(float(row["average"]), 2),
                round(float(national[row["indicator_id"]]), 2),
            ]
        )
    return figures_year, rows
