"""Run many registrations (or any calls) at the same moment from separate threads (own DB
connections each)."""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.db import connection

# PostgreSQL here allows 100 connections in all (shared with other test runs), so at most this
# many registrations hold a connection at once; all threads are released together by a barrier.
MAX_CONNECTIONS = 40


def register_concurrently(event_id: int, emails: list[str], max_connections: int = MAX_CONNECTIONS) -> dict:
    """Register every address at once. Returns outcome counts, errors and the wall time."""
    from calendar_app import services
    from calendar_app.models import Event

    barrier = threading.Barrier(len(emails))
    gate = threading.BoundedSemaphore(max_connections)
    outcomes: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def worker(email: str) -> None:
        try:
            barrier.wait()
            with gate:
                try:
                    event = Event.objects.get(pk=event_id)
                    result = services.register(event, name=email.split("@")[0], email=email, consent=True)
                    outcome = "confirmed" if result.waitlist_position is None else "waitlisted"
                except services.RegistrationError:
                    outcome = "refused"
                finally:
                    connection.close()
            with lock:
                outcomes[outcome] += 1
        except Exception as error:  # noqa: BLE001 – every unexpected error is reported
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(email,)) for email in emails]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"outcomes": outcomes, "errors": errors, "seconds": time.perf_counter() - started}


def call_at_once(function, calls: list[tuple], max_connections: int = MAX_CONNECTIONS) -> dict:
    """Call `function(*arguments)` for each tuple of arguments from its own thread (own database
    connection), all released together. Returns the results in the order of the calls, the errors
    and the wall time."""
    barrier = threading.Barrier(len(calls))
    gate = threading.BoundedSemaphore(max_connections)
    results: list = [None] * len(calls)
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int, arguments: tuple) -> None:
        try:
            barrier.wait()
            with gate:
                try:
                    results[index] = function(*arguments)
                finally:
                    connection.close()
        except Exception as error:  # noqa: BLE001 – every unexpected error is reported
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(i, arguments)) for i, arguments in enumerate(calls)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"results": results, "errors": errors, "seconds": time.perf_counter() - started}
