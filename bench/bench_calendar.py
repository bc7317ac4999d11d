"""Calendar benchmark: month and list views with 10,000 events and 100,000 registrations,
and 100 concurrent registrations (PostgreSQL).

Run with `make bench-calendar` (SQLite) or
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_cal make bench-calendar` (PostgreSQL).
It runs under pytest so that it gets a throw-away test database; results are printed as a
Markdown table to copy into bench/README.md.
"""

import os
import platform
import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calendar_app.models import Event, Registration
from network.models import Network
from portal.models import FocusArea, Organisation
from tests.concurrency import register_concurrently

EVENTS = int(os.environ.get("BENCH_EVENTS", 10_000))
REGISTRATIONS_PER_EVENT = int(os.environ.get("BENCH_REGISTRATIONS_PER_EVENT", 10))
RUNS = int(os.environ.get("BENCH_RUNS", 20))

pytestmark = pytest.mark.django_db(transaction=True)


def seed() -> float:
    started = time.perf_counter()
    regions = list(Organisation.objects.filter(kind=Organisation.Kind.REGION))
    municipalities = list(Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY))
    networks = [
        Network.objects.create(name=f"Nätverk {i}", slug=f"natverk-{i}", purpose="Benchmark")
        for i in range(40)
    ]
    for i, network in enumerate(networks):
        network.regions.set([regions[i % len(regions)]])
    areas = list(FocusArea.objects.all())
    # Two years of events around today: about 415 a month, 14 a day.
    start = timezone.now() - timedelta(days=365)
    kinds = [k for k, _ in Event.Kind.choices]
    events = [
        Event(
            title=f"Fortbildning {i}",
            kind=kinds[i % len(kinds)],
            organiser=regions[i % len(regions)],
            network=networks[i % len(networks)] if i % 3 == 0 else None,
            starts_at=start + timedelta(hours=i * 730 * 24 // EVENTS),
            ends_at=start + timedelta(hours=i * 730 * 24 // EVENTS + 3),
            place="Stadsbiblioteket",
            capacity=REGISTRATIONS_PER_EVENT + (i % 5) - 2,
            status=Event.Status.PUBLISHED,
        )
        for i in range(EVENTS)
    ]
    Event.objects.bulk_create(events, batch_size=2000)
    links = [
        Event.focus_areas.through(event_id=e.pk, focusarea_id=areas[i % len(areas)].pk)
        for i, e in enumerate(events)
    ]
    Event.focus_areas.through.objects.bulk_create(links, batch_size=5000)
    batch = []
    for i, event in enumerate(events):
        confirmed = 0
        for n in range(REGISTRATIONS_PER_EVENT):
            status = (
                Registration.Status.CONFIRMED
                if confirmed < event.capacity
                else Registration.Status.WAITLISTED
            )
            confirmed += status == Registration.Status.CONFIRMED
            batch.append(
                Registration(
                    event=event,
                    name=f"Deltagare {n}",
                    email=f"d{n}.{i}@bibliotek.example.se",
                    organisation=municipalities[(i + n) % len(municipalities)],
                    status=status,
                )
            )
        event.confirmed_count = confirmed
        if len(batch) >= 10_000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)
    Event.objects.bulk_update(events, ["confirmed_count"], batch_size=2000)
    return time.perf_counter() - started


def measure(client, url):
    client.get(url)  # warm up
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(ctx.captured_queries)


def test_calendar_benchmark(capsys):
    seconds = seed()
    assert Event.objects.count() == EVENTS
    assert Registration.objects.count() == EVENTS * REGISTRATIONS_PER_EVENT
    today = timezone.localdate()
    month = f"/kalendarium/manad/{today.year}/{today.month}/"
    pages = [
        ("month view, all regions", month),
        ("month view, region 08 + free seats", month + "?region=08&free_seats=on"),
        ("list view, upcoming, page 1", "/kalendarium/"),
        ("list view, kind + focus area", "/kalendarium/?kind=training&focus_area=barn-och-unga"),
        ("list view, past, page 50", "/kalendarium/?visa=tidigare&sida=50"),
        ("network list", "/natverk/"),
        ("network page", "/natverk/natverk-1/"),
    ]
    client = Client()
    rows = [(name, *measure(client, url)) for name, url in pages]

    concurrency = None
    if connection.vendor == "postgresql":
        event = Event.objects.create(
            title="Populär kurs",
            organiser=Organisation.objects.get(code="08"),
            starts_at=timezone.now() + timedelta(days=30),
            ends_at=timezone.now() + timedelta(days=30, hours=3),
            place="Kalmar",
            capacity=20,
            status=Event.Status.PUBLISHED,
        )
        result = register_concurrently(event.pk, [f"p{n}@kommun.example.se" for n in range(100)])
        assert result["errors"] == [] and result["outcomes"] == {"confirmed": 20, "waitlisted": 80}
        concurrency = result["seconds"]

    with capsys.disabled():
        print()
        print(f"Database: {connection.vendor}; Python {platform.python_version()}; {os.cpu_count()} cores")
        print(
            f"Seeded {EVENTS:,} events and {EVENTS * REGISTRATIONS_PER_EVENT:,} registrations "
            f"in {seconds:.1f} s"
        )
        print()
        print("| page | median ms | p95 ms | queries |")
        print("|---|---:|---:|---:|")
        for name, median, p95, queries in rows:
            print(f"| {name} | {median:.1f} | {p95:.1f} | {queries} |")
        if concurrency is not None:
            print()
            print(
                f"100 concurrent registrations for 20 seats: {concurrency:.2f} s wall time, "
                "20 confirmed, 80 waitlisted"
            )
