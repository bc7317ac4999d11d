"""The national follow-up report for KB: how many municipalities and regions have a current
adopted library plan (KB's rule: valid this year or expired at most two years ago), per region and
over the years, plans expiring soon, plan status, focus-area coverage and who has no current plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overview.reports.base import Report, Section, name_groups, table, tables_and_charts
from overview.reports.charts import Bar, bar_chart, line_chart
from plans import queries as plan_queries
from plans.models import Assessment, Indicator, Plan
from plans.queries import PlanRow
from portal import queries as portal_queries
from portal.formatting import percent, share
from portal.models import Organisation
from portal.rules import can

Rating = Assessment.Rating

TREND_YEARS = 5
KINDS = [Plan.Kind.MUNICIPAL, Plan.Kind.REGIONAL]  # the plans the law asks for; not activity plans


@dataclass
class Register:
    """The plans register as the report reads it, loaded once: every region and municipality,
    the adopted municipal and regional plans, and each organisation's latest plan of any status."""

    year: int
    regions: list[Organisation]
    municipalities: list[dict]
    adopted: list[PlanRow]
    latest: dict[tuple[int, str], PlanRow]

    @classmethod
    def load(cls, year: int) -> Register:
        return cls(
            year=year,
            regions=list(portal_queries.regions()),
            municipalities=portal_queries.municipality_rows(),
            adopted=plan_queries.plan_rows(Plan.objects.adopted().filter(kind__in=KINDS)),
            latest=plan_queries.latest_plans(Plan.objects.filter(kind__in=KINDS)),
        )

    def current_organisations(self, kind: str, year: int) -> set[int]:
        """The organisations with a current plan of the kind in `year` (KB's rule)."""
        return {p.organisation_id for p in self.adopted if p.kind == kind and p.is_current(year)}

    @cached_property
    def municipal_now(self) -> set[int]:
        return self.current_organisations(Plan.Kind.MUNICIPAL, self.year)

    @cached_property
    def regional_now(self) -> set[int]:
        return self.current_organisations(Plan.Kind.REGIONAL, self.year)

    @cached_property
    def municipalities_with_plan(self) -> int:
        return len(self.municipal_now & {m["id"] for m in self.municipalities})

    @cached_property
    def current_plan_ids(self) -> list[int]:
        return [p.id for p in self.adopted if p.is_current(self.year)]

    @cached_property
    def expiring(self) -> list[PlanRow]:
        """Plans in force in the year whose period ends with it, by the organisation's code."""
        return sorted(
            (
                p
                for p in self.adopted
                if p.last_year == self.year and p.validity(self.year) == Plan.Validity.IN_FORCE
            ),
            key=lambda p: self.names[p.organisation_id]["code"],
        )

    @cached_property
    def names(self) -> dict[int, dict]:
        """Every organisation's code and name, by id."""
        return {m["id"]: m for m in self.municipalities} | {
            r.pk: {"code": r.code, "name": r.name} for r in self.regions
        }

    @cached_property
    def region_name_of(self) -> dict[int, str]:
        """Each municipality's region's name (every municipality has one: a database constraint)."""
        names = {r.pk: r.name for r in self.regions}
        return {m["id"]: names[m["parent_id"]] for m in self.municipalities}

    def organisations(self) -> list[tuple[int, str]]:
        """(organisation, kind of plan it must have): every municipality, then every region."""
        return [(m["id"], Plan.Kind.MUNICIPAL) for m in self.municipalities] + [
            (r.pk, Plan.Kind.REGIONAL) for r in self.regions
        ]


class NationalReport(Report):
    kind = "national"
    verbose_name = gettext_lazy("National follow-up of library plans")
    template = "reports/national.html"

    def __init__(self, year: int):
        super().__init__(year=year)
        self.year = year

    @classmethod
    def may_read(cls, user, parameters: dict) -> bool:
        return can(user, "reports.national")

    def title(self) -> str:
        return _("National follow-up of library plans %(year)s") % {"year": self.year}

    def filename_base(self) -> str:
        return f"nationell-uppfoljning-biblioteksplaner-{self.year}"

    def collect(self) -> dict:
        register = Register.load(self.year)
        sections = [
            self._coverage_by_region(register),
            self._trend(register),
            self._expiring(register),
            self._plan_work(register),
            self._focus_areas(register),
            self._review(register),
            self._criteria(register),
            self._indicators(register),
            self._key_figures(),
            self._staircase(),
            self._missing(register),
        ]
        return {
            "year": self.year,
            "as_of": min(timezone.localdate(), date(self.year, 12, 31)).isoformat(),
            "summary": self._summary(register),
            **tables_and_charts(sections),
        }

    def _summary(self, register: Register) -> dict:
        municipalities, regions = len(register.municipalities), len(register.regions)
        return {
            "municipalities": municipalities,
            "municipalities_with_plan": register.municipalities_with_plan,
            "municipal_share": percent(register.municipalities_with_plan, municipalities),
            "regions": regions,
            "regions_with_plan": len(register.regional_now),
            "regional_share": percent(len(register.regional_now), regions),
            "expiring": len(register.expiring),
            "current_plans": len(register.current_plan_ids),
        }

    def _coverage_by_region(self, register: Register) -> Section:
        """Municipalities with a current plan per region, and whether the region has one."""
        by_region = defaultdict(list)
        for m in register.municipalities:
            by_region[m["parent_id"]].append(m)
        rows, bars = [], []
        for region in register.regions:
            mine = by_region[region.pk]
            with_plan = sum(1 for m in mine if m["id"] in register.municipal_now)
            rows.append(
                [
                    region.code,
                    region.name,
                    len(mine),
                    with_plan,
                    share(with_plan, len(mine)),
                    _("Yes") if region.pk in register.regional_now else _("No"),
                ]
            )
            bars.append({"label": region.county_name, "value": share(with_plan, len(mine))})
        municipalities = len(register.municipalities)
        rows.append(
            [
                "",
                _("The whole country"),
                municipalities,
                register.municipalities_with_plan,
                share(register.municipalities_with_plan, municipalities),
                f"{len(register.regional_now)} / {len(register.regions)}",
            ]
        )
        headers = [
            _("Code"),
            _("Region"),
            _("Municipalities"),
            _("With a current plan"),
            _("Share (%)"),
            _("Current regional plan"),
        ]
        return Section(table("regions", _("Current plans per region"), headers, rows), bars)

    def _trend(self, register: Register) -> Section:
        """Organisations with a current plan in each of the last TREND_YEARS years."""
        municipalities, regions = len(register.municipalities), len(register.regions)
        rows, points = [], []
        for y in range(self.year - TREND_YEARS + 1, self.year + 1):
            m_count = len(register.current_organisations(Plan.Kind.MUNICIPAL, y))
            r_count = len(register.current_organisations(Plan.Kind.REGIONAL, y))
            rows.append([str(y), m_count, share(m_count, municipalities), r_count, share(r_count, regions)])
            points.append({"label": str(y), "value": share(m_count, municipalities)})
        headers = [
            _("Year"),
            _("Municipalities with a current plan"),
            _("Share of municipalities (%)"),
            _("Regions with a current plan"),
            _("Share of regions (%)"),
        ]
        return Section(table("trend", _("Trend"), headers, rows), points)

    def _expiring(self, register: Register) -> Section:
        """Plans that expire within a year. Printed as names by region; an organisation with two
        plans ending this year is named once."""
        names, regional_group = register.names, _("Regional library plans")
        rows = [
            [names[p.organisation_id]["code"], names[p.organisation_id]["name"], p.title, p.years]
            for p in register.expiring
        ]
        groups = name_groups(
            (
                (register.region_name_of.get(org_id, regional_group), names[org_id]["name"])
                for org_id in dict.fromkeys(p.organisation_id for p in register.expiring)
            ),
            last=(regional_group,),
        )
        return Section(
            table(
                "expiring",
                _("Plans expiring within a year"),
                [_("Code"), _("Organisation"), _("Plan"), _("Period")],
                rows,
                groups=groups,
                note=_("These plans are valid until the end of %(year)s.") % {"year": self.year},
            )
        )

    def _plan_work(self, register: Register) -> Section:
        """Where every organisation's plan work stands: the best validity of its adopted plans,
        else whether a new plan is being written."""
        labels = {
            "in_force": _("Adopted and in force"),
            "current_expired": _("Expired, still current"),
            "expired": _("Expired more than two years ago"),
            "draft": _("A new plan is being written"),
            "none": _("No plan in the portal"),
        }
        adopted = defaultdict(list)
        for p in register.adopted:
            adopted[(p.organisation_id, p.kind)].append(p)
        counts = dict.fromkeys(labels, 0)
        for org_id, kind in register.organisations():
            mine = adopted[(org_id, kind)]
            validities = {p.validity(self.year) for p in mine}
            latest = register.latest.get((org_id, kind))
            if Plan.Validity.IN_FORCE in validities:
                counts["in_force"] += 1
            elif Plan.Validity.CURRENT_EXPIRED in validities:
                counts["current_expired"] += 1
            elif latest is not None and latest.status != Plan.Status.ADOPTED:
                counts["draft"] += 1
            elif mine:
                counts["expired"] += 1
            else:
                counts["none"] += 1
        organisations = len(register.municipalities) + len(register.regions)
        rows = [[labels[k], v, share(v, organisations)] for k, v in counts.items()]
        return Section(
            table(
                "status",
                _("Status of the plan work"),
                [_("Status"), _("Organisations"), _("Share (%)")],
                rows,
            )
        )

    def _focus_areas(self, register: Register) -> Section:
        """Focus-area coverage of the current plans, mapped to the national catalogue."""
        plans = len(register.current_plan_ids)
        coverage = plan_queries.focus_area_coverage(register.current_plan_ids)
        rows, bars = [], []
        for area in portal_queries.national_focus_areas():
            n = coverage.get(area.pk, 0)
            rows.append([area.name, n, share(n, plans)])
            bars.append({"label": area.name, "value": share(n, plans)})
        headers = [_("National focus area"), _("Plans"), _("Share of current plans (%)")]
        return Section(table("focus", _("Focus areas in current plans"), headers, rows), bars)

    def _review(self, register: Register) -> Section:
        """Adoption and review: which current plans were reviewed before adoption."""
        plans = len(register.current_plan_ids)
        reviewed = len(plan_queries.reviewed_plan_ids(register.current_plan_ids))
        rows = [
            [_("Reviewed before adoption"), reviewed, share(reviewed, plans)],
            [_("Adopted without a review in the portal"), plans - reviewed, share(plans - reviewed, plans)],
        ]
        return Section(
            table("review", _("Adoption and review"), [_("Current plans"), _("Plans"), _("Share (%)")], rows)
        )

    def _criteria(self, register: Register) -> Section:
        """How the reviewed current plans meet the quality criteria (the law's prioritised groups
        among them), from each plan's latest closed review."""
        rows = []
        for name, counts in sorted(plan_queries.ratings_by_criterion(register.current_plan_ids).items()):
            total = sum(counts.values())
            met = counts.get(Rating.MET, 0)
            rows.append(
                [name, met, counts.get(Rating.PARTLY, 0), counts.get(Rating.NOT_MET, 0), share(met, total)]
            )
        return Section(
            table(
                "criteria",
                _("Quality criteria and prioritised groups in reviewed plans"),
                [_("Criterion"), _("Met"), _("Partly met"), _("Not met"), _("Share met (%)")],
                rows,
            )
        )

    def _indicators(self, register: Register) -> Section:
        """Indicator results reported in the year's follow-ups of the current plans."""
        reported = plan_queries.reported_indicator_values(register.current_plan_ids, self.year)
        improved = reached = 0
        for value, baseline, target, direction in reported:
            sign = -1 if direction == Indicator.Direction.DECREASE else 1
            if baseline is not None and sign * (value - baseline) > 0:
                improved += 1
            if target is not None and sign * (value - target) >= 0:
                reached += 1
        rows = [
            [_("Indicator values reported"), len(reported), None],
            [_("Better than the baseline"), improved, share(improved, len(reported))],
            [_("Target reached"), reached, share(reached, len(reported))],
        ]
        return Section(
            table(
                "indicators",
                _("Indicator results in the year's follow-ups"),
                [_("Indicators"), _("Number"), _("Share (%)")],
                rows,
            )
        )

    def _key_figures(self) -> Section:
        """Key figures imported from the library statistics (KB, Kolada) for the municipalities:
        the latest year up to the report's that has values (the statistics are published later)."""
        figures_year = portal_queries.latest_statistics_year(self.year)
        rows = [
            [
                row["indicator__name"],
                row["indicator__unit"],
                row["organisations"],
                round(float(row["average"]), 2),
                float(row["lowest"]),
                float(row["highest"]),
            ]
            for row in (portal_queries.municipal_statistics(figures_year) if figures_year else [])
        ]
        return Section(
            table(
                "figures",
                _("Key figures of the municipalities, %(year)s") % {"year": figures_year or self.year},
                [_("Indicator"), _("Unit"), _("Municipalities"), _("Average"), _("Lowest"), _("Highest")],
                rows,
            )
        )

    def _staircase(self) -> Section:
        """The development staircase: average self-assessed level per area."""
        rows = [
            [row["area__name"], row["organisations"], round(float(row["average"]), 1)]
            for row in portal_queries.staircase_averages(self.year)
        ]
        return Section(
            table(
                "staircase",
                _("Development staircase: average level"),
                [_("Area"), _("Organisations"), _("Average level")],
                rows,
            )
        )

    def _missing(self, register: Register) -> Section:
        """Who has no current plan, with their latest plan in the portal."""
        regional_group = _("Regional library plans")
        rows, items = [], []
        for m in register.municipalities:
            if m["id"] not in register.municipal_now:
                last = register.latest.get((m["id"], Plan.Kind.MUNICIPAL))
                region = register.region_name_of[m["id"]]
                rows.append([m["code"], m["name"], region, *_last(last)])
                items.append((region, _missing_item(m["name"], last)))
        for r in register.regions:
            if r.pk not in register.regional_now:
                last = register.latest.get((r.pk, Plan.Kind.REGIONAL))
                rows.append([r.code, r.name, _("Regional plan"), *_last(last)])
                items.append((regional_group, _missing_item(r.name, last)))
        return Section(
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
                rows,
                groups=name_groups(items, last=(regional_group,)),
                note=_("A name without a note has no plan in the portal."),
            )
        )

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


def _last(plan: PlanRow | None) -> list[str]:
    """The latest plan's title, period and status for the table, or dashes."""
    if not plan:
        return ["–", "–", _("No plan in the portal")]
    return [plan.title, plan.years, str(Plan.Status(plan.status).label)]


def _missing_item(name: str, plan: PlanRow | None) -> str:
    """One entry of the printed list: the name and where its plan work stands, in a few words."""
    if not plan:
        return name  # the list's note says what a bare name means
    if plan.status == Plan.Status.ADOPTED:
        return _("%(name)s (plan for %(period)s)") % {"name": name, "period": plan.years}
    return _("%(name)s (new plan for %(period)s: %(status)s)") % {
        "name": name,
        "period": plan.years,
        "status": str(Plan.Status(plan.status).label).lower(),
    }
