"""The regional board report (återrapportering) of one region and year: the events the region's
library development held, with participants and attendance by kind, focus area and municipality;
its networks and their meetings; the municipalities' plans; and the region's own plans."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calendar_app.models import Event, Registration
from network.models import Network
from plans.models import Activity, Plan
from portal.models import Organisation
from portal.reports.base import Report, table
from portal.reports.formatting import share
from portal.reports.national import is_current

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
        held_ids = list(held.values_list("pk", flat=True))
        confirmed = Registration.objects.filter(event_id__in=held_ids, status=Registration.Status.CONFIRMED)
        totals = confirmed.aggregate(participants=Count("pk"), attended=Count("pk", filter=Q(attended=True)))

        kinds = dict(Event.Kind.choices)
        by_kind = {
            row["kind"]: row
            for row in Event.objects.filter(pk__in=held_ids).values("kind").annotate(events=Count("pk"))
        }
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
            Event.objects.filter(pk__in=held_ids, network__in=networks)
            .values("network_id")
            .annotate(n=Count("pk"))
            .values_list("network_id", "n")
        )
        members = dict(
            Network.objects.filter(pk__in=[n.pk for n in networks])
            .annotate(n=Count("members", filter=Q(members__status="approved")))
            .values_list("pk", "n")
        )
        network_rows = [
            [n.name, n.get_status_display(), members.get(n.pk, 0), meetings.get(n.pk, 0)] for n in networks
        ]

        adopted = list(
            Plan.objects.adopted()
            .filter(organisation__in=municipalities, kind=Plan.Kind.MUNICIPAL)
            .values("organisation_id", "title", "first_year", "last_year", "adopted_on")
        )
        drafts = set(
            Plan.objects.filter(organisation__in=municipalities)
            .exclude(status=Plan.Status.ADOPTED)
            .values_list("organisation_id", flat=True)
        )
        plan_rows = []
        for m in municipalities:
            current = [p for p in adopted if p["organisation_id"] == m.pk and is_current(p, year)]
            if current:
                plan = max(current, key=lambda p: p["last_year"])
                state = _("In force") if plan["last_year"] >= year else _("Expired, still current")
                plan_rows.append(
                    [m.code, m.name, plan["title"], f"{plan['first_year']}–{plan['last_year']}", state]
                )
            else:
                state = _("A new plan is being written") if m.pk in drafts else _("No current plan")
                plan_rows.append([m.code, m.name, "–", "–", state])
        with_plan = sum(1 for row in plan_rows if row[2] != "–")

        own_plans = list(
            Plan.objects.filter(organisation=region)
            .filter(first_year__lte=year, last_year__gte=year)
            .order_by("kind", "-last_year")
        )
        statuses = dict(Activity.Status.choices)
        activity_rows = []
        for plan in own_plans:
            for activity in (
                Activity.objects.filter(goal__focus_area__plan=plan)
                .select_related("goal")
                .order_by("goal__focus_area__position", "goal__position", "position")
            ):
                activity_rows.append(
                    [
                        plan.get_kind_display(),
                        activity.goal.title,
                        activity.what,
                        activity.responsible,
                        str(statuses.get(activity.status, activity.status)),
                    ]
                )

        return {
            "year": year,
            "region": {"code": region.code, "name": region.name, "county": region.county_name},
            "as_of": min(timezone.localdate(), datetime(year, 12, 31).date()).isoformat(),
            "summary": {
                "events": len(held_ids),
                "participants": totals["participants"],
                "attended": totals["attended"],
                "attendance_share": share(totals["attended"], totals["participants"]),
                "networks": len(networks),
                "municipalities": len(municipalities),
                "municipalities_reached": reached,
                "municipalities_with_plan": with_plan,
            },
            "charts": {"kinds": [{"label": r[0], "value": r[1]} for r in kind_rows]},
            "tables": [
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
                    [_("Code"), _("Municipality"), _("Current plan"), _("Period"), _("Status")],
                    plan_rows,
                ),
            ],
        }

    def charts(self, data: dict) -> dict[str, str]:
        from portal.reports.charts import Bar, bar_chart

        bars = [Bar(b["label"], b["value"]) for b in data["charts"]["kinds"]]
        top = max([b.value for b in bars] + [1])
        return {"kinds": bar_chart(_("Events held, by kind"), bars, max_value=top, unit="")}
