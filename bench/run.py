"""Benchmarks on a generated municipality (``make bench``). Prints figures; asserts nothing.

Usage: ``.venv/bin/python bench/run.py [--persons 30000] [--repeat 20]``. Uses a fresh
SQLite file in a temporary folder unless ``DATABASE_URL`` is set (then that
database must be empty or hold only an earlier run's data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, queries of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        connection.queries_log.clear()  # the deque is bounded: start each run empty
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="delaktig-bench-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")
    os.environ["DELAKTIG_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delaktig.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from delaktig.organisation.models import Membership, Role
    from delaktig.oversight.queries import unit_overview
    from delaktig.people.models import GrantedIntervention, Person
    from delaktig.plans.models import Plan
    from delaktig.records.audit import verify_chain

    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"Database: {connection.vendor}  persons: {args.persons}  repeat: {args.repeat}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate                                 {time.perf_counter() - started:8.1f} s")
    started = time.perf_counter()
    call_command("seed_demo", persons=args.persons, code="9902", verbosity=0)
    print(f"generate municipality                   {time.perf_counter() - started:8.1f} s")
    print(
        f"  rows: persons {Person.objects.count()}, interventions "
        f"{GrantedIntervention.objects.count()}, plans {Plan.objects.count()}"
    )

    membership = (
        Membership.objects.filter(role=Role.UNIT_MANAGER).select_related("unit", "user").first()
    )
    assert membership is not None and membership.unit is not None
    unit, manager = membership.unit, membership.user
    staff = Membership.objects.filter(role=Role.STAFF, unit=unit).select_related("user").first()
    assert staff is not None
    person = Person.objects.filter(cases__unit=unit).first()
    assert person is not None
    today = timezone.localdate()

    rows = []
    rows.append(("unit_overview() query", *_timed(lambda: unit_overview(unit, today), args.repeat)))
    manager_client = Client()
    manager_client.force_login(manager)
    staff_client = Client()
    staff_client.force_login(staff.user)
    for label, client, url, search in [
        ("GET unit overview (manager)", manager_client, f"/enhet/{unit.pk}/", None),
        ("GET my persons (contact, ~300 pers.)", staff_client, "/mina-personer/", None),
        ("GET person page", staff_client, f"/person/{person.uuid}/", None),
        ("GET unit's persons (staff)", staff_client, f"/enhet/{unit.pk}/personer/", None),
        ("POST search, name prefix", staff_client, "/sok/", person.first_name[:2]),
        ("POST search, personnummer", staff_client, "/sok/", person.personnummer),
    ]:

        def fetch(client: Client = client, url: str = url, search: str | None = search) -> None:
            if search is None:
                response = client.get(url)
            else:  # the search is a POST: nothing typed in the URL (issue 10)
                response = client.post(url, {"q": search}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, (url, response.status_code)

        rows.append((label, *_timed(fetch, args.repeat)))
    print()
    print(f"{'measurement':<40}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for label, median, p95, queries in rows:
        print(f"{label:<40}{median:>10.1f}{p95:>10.1f}{queries:>9}")
    from django.db import transaction

    from delaktig.records.audit import audit_append

    events = 20_000
    started = time.perf_counter()
    for n in range(events):
        with transaction.atomic():
            audit_append(
                action="bench.event",
                object_type="bench",
                object_id=n,
                municipality_id=unit.municipality_id,
            )
    elapsed = time.perf_counter() - started
    print(f"\naudit_append, {events} events, one transaction each: {events / elapsed:8.0f} /s")
    started = time.perf_counter()
    result = verify_chain()
    print(
        f"verify_audit over {result.checked} events: "
        f"{time.perf_counter() - started:8.2f} s  (ok={result.ok})"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()
