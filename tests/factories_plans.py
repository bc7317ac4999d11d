from datetime import date
from decimal import Decimal

import factory

from plans import history, services
from plans.models import Activity, Goal, Indicator, IndicatorValue, Plan, PlanFocusArea, Section
from portal.models import FocusArea
from tests.factories import organisation


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organisation = factory.LazyFunction(lambda: organisation("0880"))
    kind = Plan.Kind.MUNICIPAL
    title = factory.Sequence(lambda n: f"Biblioteksplan {n}")
    first_year = 2026
    last_year = 2029


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    heading = factory.Sequence(lambda n: f"Avsnitt {n}")
    body = "<p>Text om biblioteken.</p>"
    position = factory.Sequence(int)


def focus_area(code_slug: str = "tillganglighet") -> FocusArea:
    return FocusArea.objects.get(slug=code_slug)


def build_plan(
    *, sections=3, areas=2, goals=2, activities=3, indicators=2, status=Plan.Status.DRAFT, **kwargs
) -> Plan:
    """A plan with the given number of parts, and a first history version."""
    plan = PlanFactory(status=status, **kwargs)
    Section.objects.bulk_create(
        Section(
            plan=plan, position=i, heading=f"Avsnitt {i}", body=f"<p>Text {i} om bibliotekens arbete.</p>"
        )
        for i in range(sections)
    )
    national = list(FocusArea.objects.all())
    for a in range(areas):
        area = PlanFocusArea.objects.create(
            plan=plan, national=national[a % len(national)], name=f"Område {a}", position=a
        )
        for g in range(goals):
            goal = Goal.objects.create(focus_area=area, title=f"Mål {a}.{g}", position=g)
            Activity.objects.bulk_create(
                Activity(
                    goal=goal,
                    what=f"Insats {a}.{g}.{i}",
                    responsible="Bibliotekschef",
                    timing="2027",
                    position=i,
                )
                for i in range(activities)
            )
            for i in range(indicators):
                indicator = Indicator.objects.create(
                    goal=goal,
                    name=f"Nyckeltal {a}.{g}.{i}",
                    unit="st",
                    baseline_year=2025,
                    baseline_value=Decimal("10"),
                    target_year=2029,
                    target_value=Decimal("20"),
                    position=i,
                )
                IndicatorValue.objects.create(indicator=indicator, year=2026, value=Decimal("12.5"))
    history.record_version(plan, None, "Skapade planen")
    return plan


def adopted_plan(
    organisation_code: str = "0880",
    *,
    first_year: int,
    last_year: int,
    adopted_on: date | None = None,
    adopted_by_body: str = "Kommunfullmäktige",
    by=None,
    sections: int = 0,
    areas: int = 0,
    **kwargs,
) -> Plan:
    """An adopted plan of the organisation with this SCB code, adopted on `adopted_on` (15 January
    of the first year unless told). No parts unless asked for (`sections`, `areas`, and
    `build_plan`'s other counts in `kwargs`, with any Plan field).

    With `by` (a user) the adoption goes through `plans.services.record_adoption`, as on the web
    page: the plan gets the StatusChange and the history version of a real adoption. Without it
    the adoption fields are set directly, which is all lists, exports and reports look at."""
    adopted_on = adopted_on or date(first_year, 1, 15)
    fields = {
        "organisation": organisation(organisation_code),
        "first_year": first_year,
        "last_year": last_year,
        "sections": sections,
        "areas": areas,
        **kwargs,
    }
    if by is None:
        return build_plan(
            status=Plan.Status.ADOPTED, adopted_on=adopted_on, adopted_by_body=adopted_by_body, **fields
        )
    plan = build_plan(**fields)
    services.record_adoption(plan, by, adopted_on=adopted_on, adopted_by_body=adopted_by_body)
    plan.refresh_from_db()
    return plan
