"""Benchmark: render the plan edit page, the plan page and the plan PDF for a large plan; then
the plan's history after many changes (the size of the versions tables, the time of a change, the
history page, a diff and a restore) and the limits (issue 14: 10,000 "add a section" requests).

Large plan: 10 sections, 8 focus areas, 40 goals, 120 activities, 60 indicators (with values).
Runs against a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL
points at a server: a `test_…` database is created and dropped).

    make bench                                  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal make bench
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

from importlib import import_module  # noqa: E402

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MAX_WEIGHT = getattr(import_module("portal.pdf"), "MAX_WEIGHT", None)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
CHANGES = int(os.environ.get("BENCH_CHANGES", "500"))


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


def plan_pdf_weight(plan) -> int:
    from django.template.loader import render_to_string
    from django.utils import timezone

    from plans import queries
    from portal.pdf import STATIC_PREFIX, weight

    context = {"plan": queries.plan_tree(plan.pk), "printed_on": timezone.localdate()}
    return weight(render_to_string("plans/pdf/plan.html", {"static_prefix": STATIC_PREFIX, **context}))


def history_sizes(plan) -> dict:
    """The plan's history as stored (JSON of the version and part rows; on PostgreSQL also the
    tables on disk) and as the full snapshots the portal stored for every version before.
    Also runs on the code before the change (no parts table: everything is a full snapshot), so
    that both can be measured with this script."""
    import json

    from plans import models

    def size(value) -> int:
        return len(json.dumps(value, ensure_ascii=False).encode())

    versions = models.PlanVersion.objects.filter(plan=plan)
    full = sum(size(v.snapshot) for v in versions.order_by("number"))
    sizes = {"versions": versions.count(), "parts": 0, "stored": full, "full": full}
    tables = ["plans_planversion"]
    if hasattr(models, "PlanVersionPart"):
        parts = models.PlanVersionPart.objects.filter(plan=plan)
        stored = sum(size(c) for c in versions.values_list("content", flat=True))
        stored += sum(size(d) for d in parts.values_list("data", flat=True))
        sizes |= {"parts": parts.count(), "stored": stored}
        tables.append("plans_planversionpart")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(f"pg_total_relation_size('{t}')" for t in tables))
            sizes["disk"] = cursor.fetchone()[0]
    return sizes


def mib(n: int) -> str:
    return f"{n / 2**20:.2f} MiB"


def bench_history(plan, user, client):
    """CHANGES changes, each a new version (edits to the sections in turn, every fifth one to an
    activity): what the history takes, and how long a change, the history page, a diff and a
    restore take."""
    from django.urls import reverse

    from plans import history, services
    from plans.forms import ActivityForm
    from plans.models import Activity, Section

    # Texts that compress like real prose (PostgreSQL compresses what it stores; the large plan's
    # repeated sentence would compress far better than a real plan does).
    rng = random.Random(14)
    words = (
        "biblioteket biblioteken kommunen läsfrämjande digital delaktighet samverkan barn unga vuxna "
        "skolan förskolan medier lån program utveckling mål insatser uppföljning tillgänglighet "
        "öppettider filial bokbuss personal kompetens strategi region nationell plan arbete invånare "
        "språk läsning litteratur demokrati information källkritik lokaler samarbete föreningar "
        "äldre nyanlända meröppet e-medier statistik analys prioritering ansvar budget"
    ).split()
    for section in Section.objects.filter(plan=plan):
        paragraphs = (" ".join(rng.choice(words) for _ in range(100)).capitalize() + "." for _ in range(6))
        section.body = "".join(f"<p>{p}</p>" for p in paragraphs)
        section.save(update_fields=["body"])
    history.record_version(plan, user, "Bench: texter")
    before = history_sizes(plan)
    sections = list(plan.sections.order_by("position").values_list("pk", flat=True))
    activities = list(Activity.objects.filter(goal__focus_area__plan=plan).values_list("pk", flat=True))
    samples = []
    for n in range(CHANGES):
        start = time.perf_counter()
        if n % 5 == 4:
            activity = Activity.objects.get(pk=activities[n % len(activities)])
            data = {"what": f"{activity.what[:200]} ({n})", "responsible": "Chef", "timing": "2027"}
            form = ActivityForm({**data, "status": activity.status}, instance=activity)
            assert form.is_valid(), form.errors
            services.save_item(plan, user, form, version=activity.version)
        else:
            section = Section.objects.select_related("plan").get(pk=sections[n % len(sections)])
            body = section.body.replace("</p>", f" Ändring {n}.</p>", 1)
            services.save_section(section, user, version=section.version, heading=section.heading, body=body)
        samples.append((time.perf_counter() - start) * 1000)
    after = history_sizes(plan)
    full_per_change = (after["full"] - before["full"]) / CHANGES
    stored_per_change = (after["stored"] - before["stored"]) / CHANGES
    print(
        f"history    {CHANGES} changes → {after['versions']} versions, {after['parts']} parts; "
        f"a change {statistics.median(samples):.1f} ms median, {max(samples):.1f} ms max"
    )
    print(
        f"           stored now {mib(after['stored'])} ({stored_per_change / 1024:.1f} KiB a change); "
        f"full snapshots, as stored before, {mib(after['full'])} ({full_per_change / 1024:.1f} KiB a change)"
        + (f"; on disk {mib(after['disk'])}" if "disk" in after else "")
    )
    latest = plan.versions.first().number
    for label, url in (
        ("history page", reverse("plans:history", args=[plan.pk])),
        ("diff v2–last", reverse("plans:compare", args=[plan.pk]) + f"?fran=2&till={latest}"),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        median, worst = timed(lambda u=url: client.get(u))
        print(f"{label:<12} {median:7.1f} ms median, {worst:7.1f} ms max")
    version = plan.versions.get(number=latest // 2)
    start = time.perf_counter()
    services.restore(plan, user, version)
    print(f"restore v{version.number}  {(time.perf_counter() - start) * 1000:7.1f} ms")


def bench_limits(user):
    """Issue 14: 10,000 requests to "add a section" were all accepted. Now the 61st is refused."""
    from plans import services
    from plans.models import Plan

    try:
        from plans.limits import LimitReached
    except ImportError:  # the code before the limits

        class LimitReached(Exception):
            pass

    plan = Plan.objects.create(
        organisation=user.memberships.first().organisation,
        kind="municipal",
        title="Plan med många avsnitt",
        first_year=2026,
        last_year=2029,
    )
    accepted = refused = 0
    start = time.perf_counter()
    for n in range(200):
        try:
            services.add_section(plan, user, f"Avsnitt {n}")
            accepted += 1
        except LimitReached:
            refused += 1
    seconds = time.perf_counter() - start
    sizes = history_sizes(plan)
    print(
        f"limits     200 × add a section: {accepted} added, {refused} refused, {seconds:.1f} s; "
        f"history stored {mib(sizes['stored'])}, as full snapshots {mib(sizes['full'])}"
    )


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
        weight = f", weight {plan_pdf_weight(plan)} (at most {MAX_WEIGHT})" if MAX_WEIGHT else ""
        print(f"PDF        {median:7.1f} ms median, {worst:7.1f} ms max, {count} pages, {size} KiB{weight}")
        bench_history(plan, user, client)
        bench_limits(user)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
