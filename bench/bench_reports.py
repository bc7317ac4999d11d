"""National report benchmark: the national follow-up report over the full national
volume, PDF and XLSX, cold and cached, with headless Chromium printing the same HTML as a
reference.

    make bench-reports                                                             # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_reports make bench-reports  # PostgreSQL
    BENCH_ROUNDS=1 make bench-reports                                              # quicker

The parent process creates a throw-away test database (a SQLite file in a temporary directory,
or `test_<name>` on PostgreSQL), fills it (311 organisations with plans, reviews, two years of
follow-ups, staircase self-assessments, 10,000 events with registrations), then starts every
measurement as a fresh child process, so that the time is the whole process (interpreter start,
Django set-up, imports, queries, rendering) and the peak memory is the child's own (its
`ru_maxrss` from `wait4`). WeasyPrint and Chromium run alternately, side by side, in the same run.
Results are printed as Markdown to copy into bench/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

YEAR = int(os.environ.get("BENCH_YEAR", 2026))
EVENTS = int(os.environ.get("BENCH_EVENTS", 10_000))
REGISTRATIONS_PER_EVENT = int(os.environ.get("BENCH_REGISTRATIONS_PER_EVENT", 10))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
KEEP = os.environ.get("BENCH_KEEP")  # a directory to keep the PDFs, the HTML and the XLSX in
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "chromium")
KB_EMAIL = "bench-kb@kb.example.se"
# The machine is shared: before each measurement, wait (at most QUIET_WAIT s) until other
# processes use less than QUIET of the CPUs, and report how many measurements started busy.
QUIET = float(os.environ.get("BENCH_QUIET", 0.25))
QUIET_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", 20))


# --- Seeding (parent process) --------------------------------------------------------------


def seed() -> dict:
    """The national volume, with bulk inserts. Deterministic (fixed random seed)."""
    from calendar_app.models import Event, Registration
    from plans.models import (
        Activity,
        Assessment,
        FollowUp,
        Goal,
        GoalFollowUp,
        Indicator,
        IndicatorFollowUp,
        Plan,
        PlanFocusArea,
        Review,
        Section,
    )
    from portal.models import (
        STAIRCASE_LEVELS,
        FocusArea,
        Membership,
        Organisation,
        QualityCriterion,
        Role,
        StaircaseArea,
        StaircaseAssessment,
        User,
    )

    rnd = random.Random(6)
    kb = Organisation.objects.get(kind=Organisation.Kind.NATIONAL)
    user = User.objects.create_user(KB_EMAIL, "bench-password-123", first_name="Kajsa", last_name="Berg")
    Membership.objects.create(user=user, organisation=kb, role=Role.KB)
    regions = list(Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("code"))
    municipalities = list(Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("code"))
    national_areas = list(FocusArea.objects.filter(is_active=True))
    criteria = list(QualityCriterion.objects.filter(is_active=True))
    stair_areas = list(StaircaseArea.objects.filter(is_active=True))

    # Plans: what each organisation has (KB's rule: current = valid this year or expired <= 2 y).
    plans: list[Plan] = []
    full: list[Plan] = []  # plans with content (focus areas, goals, indicators, sections)

    def add(org, kind, first, last, status, *, content=True, n=1):
        word = "Regional biblioteksplan" if kind == Plan.Kind.REGIONAL else "Biblioteksplan"
        plan = Plan(
            organisation=org,
            kind=kind,
            title=f"{word} för {org.name} {first}–{last}" + (f" ({n})" if n > 1 else ""),
            first_year=first,
            last_year=last,
            status=status,
            adopted_on=date(first - 1, 11 + rnd.randint(0, 1), rnd.randint(1, 28))
            if status == Plan.Status.ADOPTED
            else None,
            adopted_by_body="Regionfullmäktige" if kind == Plan.Kind.REGIONAL else "Kommunfullmäktige",
            decision_reference=f"KF §{rnd.randint(1, 200)}" if status == Plan.Status.ADOPTED else "",
            search_text=f"{org.name} biblioteksplan",
        )
        plans.append(plan)
        if content:
            full.append(plan)
        return plan

    for kind, orgs in ((Plan.Kind.MUNICIPAL, municipalities), (Plan.Kind.REGIONAL, regions)):
        for org in orgs:
            roll = rnd.random()
            if roll < 0.70:  # adopted and in force, most with an older plan before it
                first = rnd.randint(YEAR - 3, YEAR)
                if rnd.random() < 0.6:
                    add(org, kind, first - 4, first - 1, Plan.Status.ADOPTED, content=False)
                add(org, kind, first, first + 3, Plan.Status.ADOPTED)
            elif roll < 0.80:  # expired at most two years ago: still current
                last = rnd.randint(YEAR - 2, YEAR - 1)
                add(org, kind, last - 3, last, Plan.Status.ADOPTED)
            elif roll < 0.88:  # expired long ago; half are writing a new one
                last = rnd.randint(YEAR - 7, YEAR - 3)
                add(org, kind, last - 3, last, Plan.Status.ADOPTED, content=False)
                if rnd.random() < 0.5:
                    add(org, kind, YEAR + 1, YEAR + 4, Plan.Status.DRAFT, n=2)
            elif roll < 0.96:  # a first plan being written or in review
                status = rnd.choice([Plan.Status.DRAFT, Plan.Status.IN_REVIEW, Plan.Status.REVISED])
                add(org, kind, YEAR + 1, YEAR + 4, status)
            # else: no plan in the portal
    Plan.objects.bulk_create(plans, batch_size=500)

    sentence = "Biblioteken arbetar med läsfrämjande, digital delaktighet och samverkan. "
    paragraph = f"<p>{sentence * 8}</p>"
    Section.objects.bulk_create(
        [
            Section(plan=p, position=i, heading=h, body=paragraph * 2)
            for p in full
            for i, h in enumerate(["Inledning", "Uppdrag", "Nuläge", "Prioriteringar", "Uppföljning"])
        ],
        batch_size=2000,
    )
    areas = []
    for p in full:
        for i, national in enumerate(rnd.sample(national_areas, min(4, len(national_areas)))):
            areas.append(
                PlanFocusArea(
                    plan=p,
                    national=national,
                    name=national.name,
                    description="Beskrivning. " * 10,
                    position=i,
                )
            )
    PlanFocusArea.objects.bulk_create(areas, batch_size=2000)
    goals = [
        Goal(focus_area=a, title=f"Mål {a.position + 1}.{g + 1}: fler invånare når biblioteket", position=g)
        for a in areas
        for g in range(3)
    ]
    Goal.objects.bulk_create(goals, batch_size=2000)
    Activity.objects.bulk_create(
        [
            Activity(
                goal=g, what=f"Insats {i + 1}", responsible="Bibliotekschef", timing=str(YEAR), position=i
            )
            for g in goals
            for i in range(2)
        ],
        batch_size=5000,
    )
    indicators = []
    for g in goals:
        for i in range(rnd.choice([1, 2])):
            direction = rnd.choice(["increase", "increase", "increase", "decrease", "maintain"])
            baseline = Decimal(rnd.randint(20, 400)) / 10
            target = baseline * (Decimal("1.2") if direction != "decrease" else Decimal("0.8"))
            indicators.append(
                Indicator(
                    goal=g,
                    name=f"Nyckeltal {i + 1}",
                    unit="lån per invånare",
                    baseline_year=YEAR - 3,
                    baseline_value=baseline,
                    target_year=YEAR + 2,
                    target_value=target.quantize(Decimal("0.01")),
                    direction=direction,
                    position=i,
                )
            )
    Indicator.objects.bulk_create(indicators, batch_size=5000)
    goals_by_plan: dict[int, list] = {}
    for g in goals:
        goals_by_plan.setdefault(g.focus_area.plan_id, []).append(g)
    indicators_by_plan: dict[int, list] = {}
    for ind in indicators:
        indicators_by_plan.setdefault(ind.goal.focus_area.plan_id, []).append(ind)

    # Reviews: most plans with content were reviewed before adoption (closed, all criteria
    # assessed, some in two rounds); plans in review have an open round.
    region_of = {m.pk: m.parent_id for m in municipalities}
    reviews = []
    for p in full:
        reviewer_org = region_of.get(p.organisation_id) or kb.pk
        if p.status == Plan.Status.IN_REVIEW:
            reviews.append(Review(plan=p, round=1, reviewing_organisation_id=reviewer_org, version_number=1))
        elif p.status in (Plan.Status.ADOPTED, Plan.Status.REVISED) and rnd.random() < 0.7:
            for r in range(1, rnd.choice([1, 1, 2]) + 1):
                reviews.append(
                    Review(
                        plan=p,
                        round=r,
                        reviewing_organisation_id=reviewer_org,
                        version_number=r,
                        state=Review.State.CLOSED,
                        closed_at=datetime(p.first_year - 1, 9, 1, 12, tzinfo=_utc()),
                        outcome=rnd.choice(["ready", "minor", "major"]),
                        summary="En genomarbetad plan med tydliga mål.",
                    )
                )
    Review.objects.bulk_create(reviews, batch_size=2000)
    ratings = ["met"] * 5 + ["partly"] * 3 + ["not_met"]
    Assessment.objects.bulk_create(
        [
            Assessment(review=r, criterion=c, rating=rnd.choice(ratings), comment="Bra.")
            for r in reviews
            if r.state == Review.State.CLOSED
            for c in criteria
        ],
        batch_size=5000,
    )

    # Follow-ups for two years of every adopted plan with content that was valid then.
    follow_ups = []
    for p in full:
        if p.status != Plan.Status.ADOPTED:
            continue
        for y in (YEAR - 1, YEAR):
            if p.first_year <= y <= p.last_year + 2:
                done = y < YEAR or rnd.random() < 0.6
                follow_ups.append(
                    FollowUp(
                        plan=p,
                        year=y,
                        status=FollowUp.Status.ACKNOWLEDGED if done else FollowUp.Status.DRAFT,
                        narrative="<p>Året präglades av nya samarbeten och fler besök.</p>",
                        submitted_at=datetime(y, 12, 1, 12, tzinfo=_utc()) if done else None,
                        acknowledged_at=datetime(y, 12, 10, 12, tzinfo=_utc()) if done else None,
                    )
                )
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    statuses = ["in_progress", "in_progress", "achieved", "not_started", "not_achieved"]
    GoalFollowUp.objects.bulk_create(
        [
            GoalFollowUp(follow_up=f, goal=g, status=rnd.choice(statuses), comment="Pågår enligt plan.")
            for f in follow_ups
            for g in goals_by_plan[f.plan_id]
        ],
        batch_size=5000,
    )
    ind_follow_ups = []
    for f in follow_ups:
        for ind in indicators_by_plan[f.plan_id]:
            value = None
            if rnd.random() < 0.9:
                value = (ind.baseline_value * Decimal(rnd.uniform(0.85, 1.3))).quantize(Decimal("0.01"))
            ind_follow_ups.append(IndicatorFollowUp(follow_up=f, indicator=ind, value=value))
    IndicatorFollowUp.objects.bulk_create(ind_follow_ups, batch_size=5000)

    # The development staircase: every organisation assesses itself in every area, two years.
    stairs = []
    for org in regions + municipalities:
        for area in stair_areas:
            before = rnd.randint(1, STAIRCASE_LEVELS - 1)
            for y, level in ((YEAR - 1, before), (YEAR, before + rnd.choice([0, 0, 1]))):
                stairs.append(StaircaseAssessment(organisation=org, area=area, year=y, level=level))
    StaircaseAssessment.objects.bulk_create(stairs, batch_size=5000)

    # The calendar: events over two years around the report year, with registrations.
    start = datetime(YEAR - 1, 1, 1, 9, tzinfo=_utc())
    kinds = [k for k, _label in Event.Kind.choices]
    events = [
        Event(
            title=f"Fortbildning {i}",
            kind=kinds[i % len(kinds)],
            organiser=regions[i % len(regions)],
            starts_at=start + timedelta(hours=i * 730 * 24 // EVENTS),
            ends_at=start + timedelta(hours=i * 730 * 24 // EVENTS + 3),
            place="Stadsbiblioteket",
            capacity=REGISTRATIONS_PER_EVENT + (i % 5) - 2,
            confirmed_count=min(REGISTRATIONS_PER_EVENT, REGISTRATIONS_PER_EVENT + (i % 5) - 2),
            status=Event.Status.PUBLISHED,
        )
        for i in range(EVENTS)
    ]
    Event.objects.bulk_create(events, batch_size=2000)
    Event.focus_areas.through.objects.bulk_create(
        [
            Event.focus_areas.through(event_id=e.pk, focusarea_id=national_areas[i % len(national_areas)].pk)
            for i, e in enumerate(events)
        ],
        batch_size=5000,
    )
    batch = []
    for i, event in enumerate(events):
        for n in range(REGISTRATIONS_PER_EVENT):
            batch.append(
                Registration(
                    event=event,
                    name=f"Deltagare {n}",
                    email=f"d{n}.{i}@bibliotek.example.se",
                    organisation=municipalities[(i + n) % len(municipalities)],
                    status=Registration.Status.CONFIRMED
                    if n < event.capacity
                    else Registration.Status.WAITLISTED,
                )
            )
        if len(batch) >= 10_000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)

    return {
        "organisations": len(regions) + len(municipalities),
        "plans": len(plans),
        "adopted": sum(p.status == Plan.Status.ADOPTED for p in plans),
        "drafts": sum(p.status != Plan.Status.ADOPTED for p in plans),
        "regional plans": sum(p.kind == Plan.Kind.REGIONAL for p in plans),
        "focus areas": len(areas),
        "goals": len(goals),
        "indicators": len(indicators),
        "reviews": len(reviews),
        "follow-ups": len(follow_ups),
        "indicator values": len(ind_follow_ups),
        "staircase answers": len(stairs),
        "events": EVENTS,
        "registrations": EVENTS * REGISTRATIONS_PER_EVENT,
    }


def _utc():
    from datetime import UTC

    return UTC


# --- Children: one measurement each, in a fresh process ------------------------------------


def child(mode: str, out: str) -> None:
    """Runs in a fresh interpreter; prints one JSON line with its own timings."""
    started = time.perf_counter()
    if mode == "html":  # WeasyPrint printing the very file Chromium prints: no Django at all
        html_path = Path(out).with_name("national.html")
        import ssl

        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        imported = time.perf_counter()
        # As portal/pdf.py calls it: presentational hints (<col width>) and a bare TLS context
        # (no request leaves the machine, so the system's CA certificates are not loaded).
        fetcher = URLFetcher(ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
        document = HTML(filename=str(html_path), url_fetcher=fetcher).render(
            pdf_variant="pdf/ua-1", presentational_hints=True
        )
        content = document.write_pdf(pdf_variant="pdf/ua-1")
        Path(out).write_bytes(content)
        result = {
            "import_s": imported - started,
            "render_s": time.perf_counter() - imported,
            "pages": len(document.pages),
            "bytes": len(content),
        }
        print(json.dumps(result))
        return
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from overview.reports.national import NationalReport

    result = {"setup_s": time.perf_counter() - started}
    report = NationalReport(YEAR)
    if mode in ("pdf", "xlsx"):
        with translation.override("sv"):
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                data = report.collect()
            result["collect_s"] = time.perf_counter() - t
            result["queries"] = len(queries.captured_queries)
            t = time.perf_counter()
            if mode == "pdf":
                import weasyprint  # noqa: F401  (import cost reported on its own)

                result["import_s"] = time.perf_counter() - t
                t = time.perf_counter()
                content, pages = report.render_pdf(data)
                result["pages"] = pages
                if os.environ.get("BENCH_WARM"):
                    # Again in the same process, as the long-lived report worker does it: collect
                    # and render, with Django and WeasyPrint already loaded.
                    t_warm = time.perf_counter()
                    report.render_pdf(report.collect())
                    result["warm_s"] = time.perf_counter() - t_warm
            else:
                content = report.render_xlsx(data)
            result["render_s"] = time.perf_counter() - t - result.get("warm_s", 0)
        Path(out).write_bytes(content)
        result["bytes"] = len(content)
    elif mode == "cached":
        from overview.models import ReportJob
        from overview.reports.services import request_report
        from portal.models import User

        user = User.objects.get(email=KB_EMAIL)
        times = []
        for _round in range(2):  # first: fresh process; second: as in a long-lived web worker
            t = time.perf_counter()
            job = request_report("national", {"year": YEAR}, user)
            assert job.status == ReportJob.Status.DONE, job.status
            with job.pdf.open("rb") as f:
                size = len(f.read())
            times.append(time.perf_counter() - t)
        result.update(first_s=times[0], warm_s=times[1], bytes=size, pages=job.page_count, job=job.pk)
    elif mode == "build":  # no job yet: collect, fingerprint, queue and build PDF + XLSX
        from overview.models import ReportJob
        from overview.reports.services import request_report
        from portal.models import User

        user = User.objects.get(email=KB_EMAIL)
        t = time.perf_counter()
        job = request_report("national", {"year": YEAR}, user)
        assert job.status == ReportJob.Status.DONE, (job.status, job.error)
        result.update(request_s=time.perf_counter() - t, pages=job.page_count, job=job.pk)
    status = Path("/proc/self/status")
    if status.exists():  # the process's own high-water mark, to check the launcher's figure
        hwm = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM"))
        result["hwm_mib"] = int(hwm.split()[1]) // 1024
    print(json.dumps(result))


# The parent is large (Django, the seeded objects); a child forked (or vforked) from it starts with
# the parent's memory high-water mark in its ru_maxrss. So each child is started by this small
# launcher process, and its ru_maxrss comes from the launcher's wait4.
LAUNCHER = """
import json, os, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    t = time.perf_counter()
    p = subprocess.Popen(sys.argv[2:], stdout=out)
    _pid, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
cpu = usage.ru_utime + usage.ru_stime
code = os.waitstatus_to_exitcode(status)
print(json.dumps({"wall": wall, "rss": usage.ru_maxrss // 1024, "cpu": cpu, "code": code}))
"""


def cpu_busy(interval: float = 0.5) -> float:
    """The share of all CPUs that was busy during `interval` (from /proc/stat)."""

    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    total, idle = sample()
    time.sleep(interval)
    total2, idle2 = sample()
    return 1 - (idle2 - idle) / max(1, total2 - total)


BUSY_STARTS: list[float] = []


def wait_for_quiet() -> None:
    if not Path("/proc/stat").exists():
        return
    deadline = time.monotonic() + QUIET_WAIT
    busy = cpu_busy()
    while busy > QUIET and time.monotonic() < deadline:
        busy = cpu_busy()
    BUSY_STARTS.append(busy)


def run_child(args: list[str], env: dict, stdout_path: Path) -> tuple[float, int, float, int, str]:
    """Run a whole process: wall time, peak RSS in MiB (of the largest process of its tree that it
    waited for), CPU time (user + system, its whole tree), exit code and stdout."""
    wait_for_quiet()
    done = subprocess.run(
        [sys.executable, "-I", "-c", LAUNCHER, str(stdout_path), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not done.stdout.strip():
        print(done.stderr[-3000:], file=sys.stderr)
        return 0.0, 0, 0.0, done.returncode or 1, ""
    measured = json.loads(done.stdout.splitlines()[-1])
    if measured["code"] != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    return measured["wall"], measured["rss"], measured["cpu"], measured["code"], stdout_path.read_text()


# --- The reference HTML for Chromium ------------------------------------------------------


def write_reference_html(directory: Path) -> tuple[Path, int]:
    """The exact HTML WeasyPrint gets (same template, same context), with `static:/` URLs pointed
    at the static files on disk so that Chromium finds the stylesheet and the fonts."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string
    from django.utils import translation

    from overview.reports.national import NationalReport
    from portal.pdf import STATIC_PREFIX

    report = NationalReport(YEAR)
    with translation.override("sv"):
        data = report.collect()
        (directory / "data.json").write_text(json.dumps(data, ensure_ascii=False, default=str))
        context = report.context(data)
        with translation.override(settings.LANGUAGE_CODE):
            html = render_to_string(report.template, {"static_prefix": STATIC_PREFIX, **context})
    static_root = Path(finders.find("css/print.css")).parent.parent
    css = (static_root / "css/print.css").read_text().replace(STATIC_PREFIX, static_root.as_uri() + "/")
    (directory / "print.css").write_text(css)
    html_path = directory / "national.html"
    html_path.write_text(html.replace(f"{STATIC_PREFIX}css/print.css", "print.css"), encoding="utf-8")
    return html_path, len(html.encode())


def chromium_args(html: Path, pdf: Path, profile: Path) -> list[str]:
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--allow-file-access-from-files",  # the fonts of the file:// stylesheet
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.as_uri(),
    ]


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- Main ---------------------------------------------------------------------------------


def child_database_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings_dict["NAME"]))


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from overview.models import ReportJob

    work = Path(KEEP) if KEEP else Path(tempfile.mkdtemp(prefix="bench-reports-"))
    work.mkdir(parents=True, exist_ok=True)
    setup_test_environment()
    if connection.vendor == "sqlite":  # a file, so that the child processes can open it
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(work / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        t = time.perf_counter()
        volume = seed()
        seeded_s = time.perf_counter() - t
        html_path, html_bytes = write_reference_html(work)
        env = {**os.environ, "DATABASE_URL": child_database_url(connection.settings_dict)}
        env.pop("BENCH_KEEP", None)
        connection.close()
        me = [sys.executable, str(Path(__file__).resolve())]
        print(f"Database: {connection.vendor}; Python {platform.python_version()}; {os.cpu_count()} cores")
        print(f"Seeded in {seeded_s:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in volume.items()))
        print(f"Report HTML: {html_bytes / 1024:.0f} KiB ({html_path})")

        rows: dict[str, list[dict]] = {"pdf": [], "html": [], "chromium": [], "xlsx": []}
        load_before = os.getloadavg()[0]
        for r in range(ROUNDS):  # side by side: WeasyPrint, then Chromium, alternately
            pdf = work / "national-weasyprint.pdf"
            wall, rss, cpu, code, out = run_child([*me, "--child", "pdf", str(pdf)], env, work / "out.txt")
            assert code == 0, "the PDF child failed"
            rows["pdf"].append({"wall": wall, "rss": rss, "cpu": cpu, **json.loads(out.splitlines()[-1])})
            same = work / "national-weasyprint-same-html.pdf"
            wall, rss, cpu, code, out = run_child([*me, "--child", "html", str(same)], env, work / "out.txt")
            assert code == 0, "the same-HTML child failed"
            rows["html"].append({"wall": wall, "rss": rss, "cpu": cpu, **json.loads(out.splitlines()[-1])})
            chrome_pdf = work / "national-chromium.pdf"
            profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=work))
            args = chromium_args(html_path, chrome_pdf, profile)
            wall, rss, cpu, code, _out = run_child(args, env, work / "c.txt")
            shutil.rmtree(profile, ignore_errors=True)
            assert code == 0 and chrome_pdf.exists(), "chromium failed"
            rows["chromium"].append(
                {
                    "wall": wall,
                    "rss": rss,
                    "cpu": cpu,
                    "pages": pdf_pages(chrome_pdf),
                    "bytes": chrome_pdf.stat().st_size,
                }
            )
            print(
                f"round {r + 1}: WeasyPrint {rows['pdf'][-1]['wall']:.2f} s (same HTML "
                f"{rows['html'][-1]['wall']:.2f} s), Chromium {wall:.2f} s",
                flush=True,
            )
        # The report as the long-lived worker renders it: a second report in the same process.
        warm = []
        for _r in range(ROUNDS):
            pdf = work / "national-weasyprint-warm.pdf"
            wall, rss, cpu, code, out = run_child(
                [*me, "--child", "pdf", str(pdf)], {**env, "BENCH_WARM": "1"}, work / "out.txt"
            )
            assert code == 0, "the warm PDF child failed"
            warm.append(json.loads(out.splitlines()[-1]))
        for _r in range(ROUNDS):
            xlsx = work / "national.xlsx"
            wall, rss, cpu, code, out = run_child([*me, "--child", "xlsx", str(xlsx)], env, work / "out.txt")
            assert code == 0, "the XLSX child failed"
            rows["xlsx"].append({"wall": wall, "rss": rss, "cpu": cpu, **json.loads(out.splitlines()[-1])})

        # The background path: request_report with no job (immediate task backend: builds PDF and
        # XLSX in the same process), then request_report again: the finished job is reused.
        ReportJob.objects.filter(kind="national").delete()
        connection.close()
        wall, rss, cpu, code, out = run_child([*me, "--child", "build", "-"], env, work / "out.txt")
        assert code == 0, "the build child failed"
        build = {"wall": wall, "rss": rss, "cpu": cpu, **json.loads(out.splitlines()[-1])}
        cached = []
        for _r in range(ROUNDS):
            wall, rss, cpu, code, out = run_child([*me, "--child", "cached", "-"], env, work / "out.txt")
            assert code == 0, "the cached child failed"
            cached.append({"wall": wall, "rss": rss, "cpu": cpu, **json.loads(out.splitlines()[-1])})
            assert cached[-1]["job"] == build["job"], "the finished job was not reused"
        for job in ReportJob.objects.filter(kind="national"):
            job.pdf.delete(save=False)
            job.xlsx.delete(save=False)
        rows["warm"] = warm
        report(rows, build, cached, connection.vendor, (load_before, os.getloadavg()[0]))
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if not KEEP:
            shutil.rmtree(work, ignore_errors=True)


def med(samples: list[dict], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def report(rows: dict, build: dict, cached: list[dict], vendor: str, load: tuple) -> None:
    pdf, same, chrome, xlsx = rows["pdf"], rows["html"], rows["chromium"], rows["xlsx"]
    ratio = med(pdf, "wall") / med(chrome, "wall")
    same_ratio = med(same, "wall") / med(chrome, "wall")
    cold = (
        f"start-up + Django {med(pdf, 'setup_s'):.2f} s, collect {med(pdf, 'collect_s'):.2f} s "
        f"({pdf[0]['queries']} queries), import WeasyPrint {med(pdf, 'import_s'):.2f} s, "
        f"render {med(pdf, 'render_s'):.2f} s; again in the same process (as the worker does) "
        f"{med(rows['warm'], 'warm_s'):.2f} s"
    )
    table = [
        ("national PDF, cold (WeasyPrint)", pdf, cold, pdf[0]["pages"], pdf[0]["bytes"]),
        (
            "same HTML file printed by WeasyPrint (PDF/UA-1, no Django)",
            same,
            f"import WeasyPrint {med(same, 'import_s'):.2f} s, render {med(same, 'render_s'):.2f} s",
            same[0]["pages"],
            same[0]["bytes"],
        ),
        ("same HTML file printed by headless Chromium", chrome, "–", chrome[0]["pages"], chrome[0]["bytes"]),
        (
            "national XLSX, cold",
            xlsx,
            f"start-up + Django {med(xlsx, 'setup_s'):.2f} s, collect {med(xlsx, 'collect_s'):.2f} s, "
            f"render {med(xlsx, 'render_s'):.2f} s",
            "–",
            xlsx[0]["bytes"],
        ),
        (
            "request_report, no job yet (collect + PDF + XLSX, immediate task backend)",
            [build],
            f"request_report {build['request_s']:.2f} s",
            build["pages"],
            None,
        ),
        (
            "request_report, finished job with the same fingerprint (cached)",
            cached,
            f"first call {med(cached, 'first_s'):.3f} s, again in the same process "
            f"{med(cached, 'warm_s'):.3f} s (until the PDF is read)",
            cached[0]["pages"],
            cached[0]["bytes"],
        ),
    ]
    print()
    print(
        f"{vendor}: medians of {len(pdf)} fresh processes each (the first build: one); load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after"
    )
    print()
    print("| what | whole process (wall) | CPU | inside the process | peak RSS | pages | size |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for name, samples, inside, pages, size in table:
        size_text = f"{size / 1024:.0f} KiB" if size else "–"
        print(
            f"| {name} | {med(samples, 'wall'):.2f} s | {med(samples, 'cpu'):.2f} s | {inside} | "
            f"{med(samples, 'rss'):.0f} MiB | {pages} | {size_text} |"
        )
    print()
    print(
        f"WeasyPrint / Chromium, whole process each, the same HTML file: {same_ratio:.2f} (wall), "
        f"{med(same, 'cpu') / med(chrome, 'cpu'):.2f} (CPU)"
    )
    print(
        f"The portal's cold PDF (Django start-up, queries, template, WeasyPrint) / Chromium: {ratio:.2f} "
        f"(wall); in a running worker: {med(rows['warm'], 'warm_s') / med(chrome, 'wall'):.2f}"
    )
    verdict = {True: "met", False: "NOT met"}
    print(
        f"Targets: cold PDF < 10 s: {verdict[med(pdf, 'wall') < 10]}; same HTML <= 2x Chromium: "
        f"{verdict[same_ratio <= 2]}; cached < 0.5 s: {verdict[med(cached, 'first_s') < 0.5]}"
    )
    print("All rounds, wall (s): WeasyPrint " + ", ".join(f"{s['wall']:.2f}" for s in pdf))
    print("                      same HTML  " + ", ".join(f"{s['wall']:.2f}" for s in same))
    print("                      Chromium   " + ", ".join(f"{s['wall']:.2f}" for s in chrome))
    print("Peak RSS of Chromium is its largest process (browser, renderer, GPU... run side by side).")
    busy = [b for b in BUSY_STARTS if b > QUIET]
    print(
        f"Measurements that started while other processes kept more than {QUIET:.0%} of the CPUs busy "
        f"(after waiting up to {QUIET_WAIT:.0f} s): {len(busy)} of {len(BUSY_STARTS)}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
