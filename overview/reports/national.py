"""The national follow-up report for KB: how many municipalities and regions have a current
adopted library plan (KB's rule: valid this year or expired at most two years ago), per region and
over the years, plans expiring soon, plan status, focus-area coverage and who has no current plan.
"""

from datetime import date

from django.db.models import Avg, Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overview.reports.base import Report, name_groups, table
from overview.reports.charts import Bar, bar_chart, line_chart
from plans.models import CURRENT_GRACE_YEARS, Assessment, IndicatorFollowUp, Plan, PlanFocusArea, Review
from portal.formatting import percent, share
from portal.models import FocusArea, Organisation, StaircaseAssessment, StatisticValue

TREND_YEARS = 5


def is_current(plan: dict, year: int) -> bool:
    """KB's rule for a year: adopted no later than that year, valid then or at most two years before."""
    adopted_on = plan["adopted_on"]
    return (
        plan["first_year"] <= year
        and plan["last_year"] >= year - CURRENT_GRACE_YEARS
        and (adopted_on is None or adopted_on.year <= year)
    )


class NationalReport(Report):
    kind = "national"
    verbose_name = gettext_lazy("National follow-up of library plans")
    template = "reports/national.html"

    def __init__(self, year: int):
        super().__init__(year=year)
        self.year = year

    def title(self) -> str:
        return _("National follow-up of library plans %(year)s") % {"year": self.year}

    def filename_base(self) -> str:
        return f"nationell-uppfoljning-biblioteksplaner-{self.year}"

    def collect(self) -> dict:
        year = self.year
        as_of = min(timezone.localdate(), date(year, 12, 31))
        regions = list(Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("code"))
        municipalities = list(
            Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
            .order_by("code")
            .values("id", "code", "name", "parent_id")
        )
        adopted = list(
            Plan.objects.adopted()
            .filter(kind__in=[Plan.Kind.MUNICIPAL, Plan.Kind.REGIONAL])
            .values("id", "organisation_id", "kind", "title", "first_year", "last_year", "adopted_on")
        )
        latest_any = {}
        for plan in (
            Plan.objects.filter(kind__in=[Plan.Kind.MUNICIPAL, Plan.Kind.REGIONAL])
            .values("organisation_id", "kind", "title", "first_year", "last_year", "status")
            .order_by("last_year", "first_year", "pk")  # the last one wins
        ):
            latest_any[(plan["organisation_id"], plan["kind"])] = plan

        def current_orgs(kind: str, y: int) -> set[int]:
            return {p["organisation_id"] for p in adopted if p["kind"] == kind and is_current(p, y)}

        municipal_now = current_orgs(Plan.Kind.MUNICIPAL, year)
        regional_now = current_orgs(Plan.Kind.REGIONAL, year)
        total_m, total_r = len(municipalities), len(regions)

        # Per region.
        region_rows, region_bars = [], []
        for region in regions:
            mine = [m for m in municipalities if m["parent_id"] == region.pk]
            with_plan = sum(1 for m in mine if m["id"] in municipal_now)
            region_rows.append(
                [
                    region.code,
                    region.name,
                    len(mine),
                    with_plan,
                    share(with_plan, len(mine)),
                    _("Yes") if region.pk in regional_now else _("No"),
                ]
            )
            region_bars.append({"label": region.county_name, "value": share(with_plan, len(mine))})
        with_plan_total = len(municipal_now & {m["id"] for m in municipalities})
        region_rows.append(
            [
                "",
                _("The whole country"),
                total_m,
                with_plan_total,
                share(with_plan_total, total_m),
                f"{len(regional_now)} / {total_r}",
            ]
        )

        # The trend over the years.
        trend_rows, trend_points = [], []
        for y in range(year - TREND_YEARS + 1, year + 1):
            m_count = len(current_orgs(Plan.Kind.MUNICIPAL, y))
            r_count = len(current_orgs(Plan.Kind.REGIONAL, y))
            trend_rows.append([str(y), m_count, share(m_count, total_m), r_count, share(r_count, total_r)])
            trend_points.append({"label": str(y), "value": share(m_count, total_m)})

        # Plans that expire within a year (valid this year, last year of the period this year).
        names = {m["id"]: m for m in municipalities} | {
            r.pk: {"code": r.code, "name": r.name} for r in regions
        }
        regional_group = _("Regional library plans")
        expiring = sorted(
            (p for p in adopted if p["last_year"] == year and p["first_year"] <= year),
            key=lambda p: names[p["organisation_id"]]["code"],
        )
        expiring_rows = [
            [
                names[p["organisation_id"]]["code"],
                names[p["organisation_id"]]["name"],
                p["title"],
                f"{p['first_year']}–{p['last_year']}",
            ]
            for p in expiring
        ]
        region_names = {r.pk: r.name for r in regions}
        # Every municipality has a region (a database constraint).
        municipal_region = {m["id"]: region_names[m["parent_id"]] for m in municipalities}
        # Printed as names by region; an organisation with two plans ending this year is named once.
        expiring_groups = name_groups(
            (
                (municipal_region.get(org_id, regional_group), names[org_id]["name"])
                for org_id in dict.fromkeys(p["organisation_id"] for p in expiring)
            ),
            last=(regional_group,),
        )

        # Status of every organisation's plan work.
        labels = {
            "in_force": _("Adopted and in force"),
            "current_expired": _("Expired, still current"),
            "expired": _("Expired more than two years ago"),
            "draft": _("A new plan is being written"),
            "none": _("No plan in the portal"),
        }
        counts = dict.fromkeys(labels, 0)
        for org_id, kind in [(m["id"], Plan.Kind.MUNICIPAL) for m in municipalities] + [
            (r.pk, Plan.Kind.REGIONAL) for r in regions
        ]:
            mine = [p for p in adopted if p["organisation_id"] == org_id and p["kind"] == kind]
            if any(p["first_year"] <= year <= p["last_year"] and is_current(p, year) for p in mine):
                counts["in_force"] += 1
            elif any(is_current(p, year) for p in mine):
                counts["current_expired"] += 1
            elif (org_id, kind) in latest_any and latest_any[(org_id, kind)]["status"] != Plan.Status.ADOPTED:
                counts["draft"] += 1
            elif mine:
                counts["expired"] += 1
            else:
                counts["none"] += 1
        organisations = total_m + total_r
        status_rows = [[labels[k], v, share(v, organisations)] for k, v in counts.items()]

        # Focus-area coverage of the current plans, mapped to the national catalogue.
        current_plan_ids = [p["id"] for p in adopted if is_current(p, year)]
        coverage = dict(
            PlanFocusArea.objects.filter(plan_id__in=current_plan_ids)
            .values("national_id")
            .annotate(plans=Count("plan", distinct=True))
            .values_list("national_id", "plans")
        )
        focus_rows, focus_bars = [], []
        for area in FocusArea.objects.filter(is_active=True):
            n = coverage.get(area.pk, 0)
            focus_rows.append([area.name, n, share(n, len(current_plan_ids))])
            focus_bars.append({"label": area.name, "value": share(n, len(current_plan_ids))})

        # Adoption and review: which current plans were reviewed before adoption.

        reviewed_ids = set(
            Review.objects.filter(plan_id__in=current_plan_ids, state=Review.State.CLOSED).values_list(
                "plan_id", flat=True
            )
        )
        review_rows = [
            [
                _("Reviewed before adoption"),
                len(reviewed_ids),
                share(len(reviewed_ids), len(current_plan_ids)),
            ],
            [
                _("Adopted without a review in the portal"),
                len(current_plan_ids) - len(reviewed_ids),
                share(len(current_plan_ids) - len(reviewed_ids), len(current_plan_ids)),
            ],
        ]

        # How the reviewed current plans meet the quality criteria (the law's prioritised groups
        # among them), from each plan's latest closed review.
        latest_review = {}
        for review_id, plan_id, round_ in Review.objects.filter(
            plan_id__in=reviewed_ids, state=Review.State.CLOSED
        ).values_list("pk", "plan_id", "round"):
            if plan_id not in latest_review or round_ > latest_review[plan_id][1]:
                latest_review[plan_id] = (review_id, round_)
        ratings: dict[str, dict[str, int]] = {}
        for name, rating in Assessment.objects.filter(
            review_id__in=[r for r, _round in latest_review.values()]
        ).values_list("criterion__name", "rating"):
            ratings.setdefault(name, {}).setdefault(rating, 0)
            ratings[name][rating] += 1
        criteria_rows = []
        for name, counts in sorted(ratings.items()):
            total = sum(counts.values())
            criteria_rows.append(
                [
                    name,
                    counts.get("met", 0),
                    counts.get("partly", 0),
                    counts.get("not_met", 0),
                    share(counts.get("met", 0), total),
                ]
            )

        # Indicator results reported in the year's follow-ups.

        reported = list(
            IndicatorFollowUp.objects.filter(
                follow_up__year=year, value__isnull=False, follow_up__plan_id__in=current_plan_ids
            ).values_list(
                "value", "indicator__baseline_value", "indicator__target_value", "indicator__direction"
            )
        )
        improved = reached = 0
        for value, baseline, target, direction in reported:
            sign = -1 if direction == "decrease" else 1
            if baseline is not None and sign * (value - baseline) > 0:
                improved += 1
            if target is not None and sign * (value - target) >= 0:
                reached += 1
        indicator_rows = [
            [_("Indicator values reported"), len(reported), None],
            [_("Better than the baseline"), improved, share(improved, len(reported))],
            [_("Target reached"), reached, share(reached, len(reported))],
        ]

        # Key figures imported from the library statistics (KB, Kolada) for the municipalities: the
        # latest year up to the report's that has values (the statistics are published later).

        municipal_values = StatisticValue.objects.filter(
            organisation__kind=Organisation.Kind.MUNICIPALITY, year__lte=year
        )
        figures_year = municipal_values.aggregate(latest=Max("year"))["latest"]
        figure_rows = [
            [
                row["indicator__name"],
                row["indicator__unit"],
                row["organisations"],
                round(float(row["average"]), 2),
                float(row["lowest"]),
                float(row["highest"]),
            ]
            for row in municipal_values.filter(year=figures_year)
            .values("indicator__name", "indicator__unit", "indicator__sort_order")
            .annotate(
                organisations=Count("organisation", distinct=True),
                average=Avg("value"),
                lowest=Min("value"),
                highest=Max("value"),
            )
            .order_by("indicator__sort_order", "indicator__name")
        ]

        # The development staircase: average self-assessed level per area.

        staircase_rows = [
            [row["area__name"], row["organisations"], round(float(row["average"]), 1)]
            for row in StaircaseAssessment.objects.filter(year=year)
            .values("area__name")
            .annotate(organisations=Count("organisation", distinct=True), average=Avg("level"))
            .order_by("area__name")
        ]

        # Who has no current plan.
        missing_rows, missing_items = [], []
        for m in municipalities:
            if m["id"] not in municipal_now:
                last = latest_any.get((m["id"], Plan.Kind.MUNICIPAL))
                missing_rows.append([m["code"], m["name"], municipal_region[m["id"]], *_last(last)])
                missing_items.append((municipal_region[m["id"]], _missing_item(m["name"], last)))
        for r in regions:
            if r.pk not in regional_now:
                last = latest_any.get((r.pk, Plan.Kind.REGIONAL))
                missing_rows.append([r.code, r.name, _("Regional plan"), *_last(last)])
                missing_items.append((regional_group, _missing_item(r.name, last)))

        return {
            "year": year,
            "as_of": as_of.isoformat(),
            "summary": {
                "municipalities": total_m,
                "municipalities_with_plan": with_plan_total,
                "municipal_share": percent(with_plan_total, total_m),
                "regions": total_r,
                "regions_with_plan": len(regional_now),
                "regional_share": percent(len(regional_now), total_r),
                "expiring": len(expiring_rows),
                "current_plans": len(current_plan_ids),
            },
            "charts": {"regions": region_bars, "trend": trend_points, "focus": focus_bars},
            "tables": [
                table(
                    "regions",
                    _("Current plans per region"),
                    [
                        _("Code"),
                        _("Region"),
                        _("Municipalities"),
                        _("With a current plan"),
                        _("Share (%)"),
                        _("Current regional plan"),
                    ],
                    region_rows,
                ),
                table(
                    "trend",
                    _("Trend"),
                    [
                        _("Year"),
                        _("Municipalities with a current plan"),
                        _("Share of municipalities (%)"),
                        _("Regions with a current plan"),
                        _("Share of regions (%)"),
                    ],
                    trend_rows,
                ),
                table(
                    "expiring",
                    _("Plans expiring within a year"),
                    [_("Code"), _("Organisation"), _("Plan"), _("Period")],
                    expiring_rows,
                    groups=expiring_groups,
                    note=_("These plans are valid until the end of %(year)s.") % {"year": year},
                ),
                table(
                    "status",
                    _("Status of the plan work"),
                    [_("Status"), _("Organisations"), _("Share (%)")],
                    status_rows,
                ),
                table(
                    "focus",
                    _("Focus areas in current plans"),
                    [_("National focus area"), _("Plans"), _("Share of current plans (%)")],
                    focus_rows,
                ),
                table(
                    "review",
                    _("Adoption and review"),
                    [_("Current plans"), _("Plans"), _("Share (%)")],
                    review_rows,
                ),
                table(
                    "criteria",
                    _("Quality criteria and prioritised groups in reviewed plans"),
                    [_("Criterion"), _("Met"), _("Partly met"), _("Not met"), _("Share met (%)")],
                    criteria_rows,
                ),
                table(
                    "indicators",
                    _("Indicator results in the year's follow-ups"),
                    [_("Indicators"), _("Number"), _("Share (%)")],
                    indicator_rows,
                ),
                table(
                    "figures",
                    _("Key figures of the municipalities, %(year)s") % {"year": figures_year or year},
                    [_("Indicator"), _("Unit"), _("Municipalities"), _("Average"), _("Lowest"), _("Highest")],
                    figure_rows,
                ),
                table(
                    "staircase",
                    _("Development staircase: average level"),
                    [_("Area"), _("Organisations"), _("Average level")],
                    staircase_rows,
                ),
                table(
                    "missing",
                    _("Organisations without a current plan"),
                    [
                        _("Code"),
                        _("Organisation"),
                        _("Region"),
                        _("Latest plan in the portal"),
                        _("Period"),
                        _("Status"),
                    ],
                    missing_rows,
                    groups=name_groups(missing_items, last=(regional_group,)),
                    note=_("A name without a note has no plan in the portal."),
                ),
            ],
        }

    def charts(self, data: dict) -> dict[str, str]:

        c = data["charts"]
        return {
            "regions": bar_chart(
                _("Share of municipalities with a current plan, per county"),
                [Bar(b["label"], b["value"]) for b in c["regions"]],
            ),
            "trend": line_chart(
                _("Share of municipalities with a current plan, by year"),
                [(p["label"], p["value"]) for p in c["trend"]],
            ),
            "focus": bar_chart(
                _("Share of current plans with each national focus area"),
                [Bar(b["label"], b["value"]) for b in c["focus"]],
            ),
        }


def _last(plan: dict | None) -> list[str]:
    """The latest plan's title, period and status for the table, or dashes."""
    if not plan:
        return ["–", "–", _("No plan in the portal")]
    return [
        plan["title"],
        f"{plan['first_year']}–{plan['last_year']}",
        str(Plan.Status(plan["status"]).label),
    ]


def _missing_item(name: str, plan: dict | None) -> str:
    """One entry of the printed list: the name and where its plan work stands, in a few words."""
    if not plan:
        return name  # the list's note says what a bare name means
    period = f"{plan['first_year']}–{plan['last_year']}"
    if plan["status"] == Plan.Status.ADOPTED:
        return _("%(name)s (plan for %(period)s)") % {"name": name, "period": period}
    return _("%(name)s (new plan for %(period)s: %(status)s)") % {
        "name": name,
        "period": period,
        "status": str(Plan.Status(plan["status"]).label).lower(),
    }
