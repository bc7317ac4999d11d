"""Benchmark: render the plan edit page, the plan page and the plan PDF for a large plan.

Large plan: 10 sections, 8 focus areas, 40 goals, 120 activities, 60 indicators (with values).
Runs against a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL
points at a server: a `test_…` database is created and dropped).

    make bench                                  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal make bench
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))


def build_large_plan():
    from decimal import Decimal

    from plans import history
    from plans.models import Activity, Goal, Indicator, IndicatorValue, Plan, PlanFocusArea, Section
    from portal.models import FocusArea, Membership, Organisation, Role, User

    org = Organisation.objects.get(code="0880")
    user = User.objects.create_user(
        "bench@example.se", "bench-password-123", first_name="Bench", last_name="Mark"
    )
    Membership.objects.create(user=user, organisation=org, role=Role.CHEF)
    plan = Plan.objects.create(
        organisation=org, kind="municipal", title="Stor plan", first_year=2026, last_year=2029
    )
    paragraph = (
        "<p>"
        + "Biblioteken i kommunen arbetar med läsfrämjande, digital delaktighet och samverkan. " * 12
        + "</p>"
    )
    Section.objects.bulk_create(
        Section(plan=plan, position=i, heading=f"Avsnitt {i + 1}", body=paragraph * 4) for i in range(10)
    )
    national = list(FocusArea.objects.all())
    indicator_count = 0
    for a in range(8):
        area = PlanFocusArea.objects.create(
            plan=plan,
            national=national[a % len(national)],
            name=f"Fokusområde {a + 1}",
            description="Beskrivning " * 20,
            position=a,
        )
        for g in range(5):
            goal = Goal.objects.create(
                focus_area=area, title=f"Mål {a + 1}.{g + 1} för bibliotekens utveckling", position=g
            )
            Activity.objects.bulk_create(
                Activity(
                    goal=goal,
                    what=f"Insats {a}.{g}.{i} med en längre beskrivning av vad som ska göras",
                    responsible="Bibliotekschef",
                    timing="2027",
                    position=i,
                )
                for i in range(3)
            )
            for i in range(2 if (a * 5 + g) % 2 == 0 else 1):
                indicator = Indicator.objects.create(
                    goal=goal,
                    name=f"Nyckeltal {indicator_count + 1}",
                    unit="st",
                    baseline_year=2025,
                    baseline_value=Decimal("100"),
                    target_year=2029,
                    target_value=Decimal("150"),
                    position=i,
                )
                IndicatorValue.objects.bulk_create(
                    IndicatorValue(indicator=indicator, year=y, value=Decimal(100 + y - 2025))
                    for y in (2026, 2027)
                )
                indicator_count += 1
    history.record_version(plan, user, "Bench")
    counts = (
        plan.sections.count(),
        plan.focus_areas.count(),
        Goal.objects.filter(focus_area__plan=plan).count(),
        Activity.objects.filter(goal__focus_area__plan=plan).count(),
        indicator_count,
    )
    return plan, user, counts


def timed(fn, rounds=ROUNDS):
    fn()  # warm-up
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main():
    from plans import pdf, queries

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        plan, user, counts = build_large_plan()
        client = Client()
        client.force_login(user)
        print(
            f"database: {connection.vendor}; plan: {counts[0]} sections, {counts[1]} focus areas, "
            f"{counts[2]} goals, {counts[3]} activities, {counts[4]} indicators"
        )
        for label, url in (
            ("edit page", f"/planer/{plan.pk}/redigera/"),
            ("plan page", f"/planer/{plan.pk}/"),
        ):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            median, worst = timed(lambda u=url: client.get(u))
            size = len(response.content) // 1024
            print(f"{label:<10} {median:7.1f} ms median, {worst:7.1f} ms max, {size} KiB")

        pages = {}

        def render():
            data = pdf.render_plan(queries.plan_tree(plan.pk))
            pages["bytes"] = data

        median, worst = timed(render, rounds=max(3, ROUNDS // 3))
        import io

        from pypdf import PdfReader

        count = len(PdfReader(io.BytesIO(pages["bytes"])).pages)
        size = len(pages["bytes"]) // 1024
        print(f"PDF        {median:7.1f} ms median, {worst:7.1f} ms max, {count} pages, {size} KiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
