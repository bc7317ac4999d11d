"""The development staircase (utvecklingstrappa): recording levels, and the region's comparison."""

from django.db import transaction
from django.db.models import Prefetch

from portal.models import Organisation, StaircaseArea, StaircaseAssessment, StaircaseLevel


def active_areas():
    return list(
        StaircaseArea.objects.filter(is_active=True).prefetch_related(
            Prefetch("levels", queryset=StaircaseLevel.objects.order_by("number"))
        )
    )


@transaction.atomic
def record(org: Organisation, user, year: int, entries: dict[int, tuple[int | None, str]]) -> int:
    """Store the organisation's level per area for `year` (a blank level removes the entry).

    Side effects: none beyond the rows. Returns how many areas have a level.
    """
    for area_id, (level, comment) in entries.items():
        if level is None:
            StaircaseAssessment.objects.filter(organisation=org, area_id=area_id, year=year).delete()
            continue
        StaircaseAssessment.objects.update_or_create(
            organisation=org,
            area_id=area_id,
            year=year,
            defaults={"level": level, "comment": comment.strip(), "updated_by": user},
        )
    return StaircaseAssessment.objects.filter(organisation=org, year=year).count()


def levels_of(org: Organisation, year: int) -> dict[int, StaircaseAssessment]:
    return {a.area_id: a for a in StaircaseAssessment.objects.filter(organisation=org, year=year)}


def region_comparison(region: Organisation, year: int, areas):
    """Rows (municipality, [(level, change from last year, comment)] per area). Two queries."""
    municipalities = list(Organisation.objects.filter(parent=region).order_by("name"))
    entries = StaircaseAssessment.objects.filter(organisation__parent=region, year__in=[year, year - 1])
    table = {(e.organisation_id, e.area_id, e.year): e for e in entries}
    rows = []
    for m in municipalities:
        cells = []
        for area in areas:
            now = table.get((m.pk, area.pk, year))
            before = table.get((m.pk, area.pk, year - 1))
            change = now.level - before.level if now and before else None
            cells.append({"now": now, "before": before, "change": change})
        rows.append((m, cells))
    return rows
