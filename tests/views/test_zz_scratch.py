from datetime import date, timedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.fixtures import client_for


def test_explore(world, frozen_today):
    c1 = world.add_person(world.home_care, start=date(2026, 2, 10), contact=world.bob)
    for n in range(3):
        world.add_person(
            world.home_care,
            start=date(2026, 2, 20),
            contact=world.bob,
            serial=100 + n,
            first_name=f"P{n}",
        )
    alice = client_for("alice")
    with CaptureQueriesContext(connection) as ctx:
        r = alice.get(f"/enhet/{world.home_care.pk}/")
    print(len(ctx.captured_queries))
    for q in ctx.captured_queries:
        print(q["sql"][:300])
    open("/tmp/scratch/overview.html", "w").write(r.content.decode())
    bob = client_for("bob")
    with CaptureQueriesContext(connection) as ctx:
        r = bob.get("/mina-personer/")
    print(len(ctx.captured_queries))
    for q in ctx.captured_queries:
        print(q["sql"][:300])
    open("/tmp/scratch/my.html", "w").write(r.content.decode())
    with CaptureQueriesContext(connection) as ctx:
        r = alice.get(f"/person/{c1.person.uuid}/")
    print(len(ctx.captured_queries))
    for q in ctx.captured_queries:
        print(q["sql"][:300])
    open("/tmp/scratch/person.html", "w").write(r.content.decode())
    r = alice.get(f"/person/{c1.person.uuid}/nytt-beslut/")
    open("/tmp/scratch/decision.html", "w").write(r.content.decode())
    r = alice.get(f"/enhet/{world.home_care.pk}/ny-person/")
    open("/tmp/scratch/pcreate.html", "w").write(r.content.decode())
    r = alice.get(f"/person/{c1.person.uuid}/kontaktman/")
    open("/tmp/scratch/contact.html", "w").write(r.content.decode())
    from django.test import Client

    r = Client().get("/accounts/login/")
    open("/tmp/scratch/login.html", "w").write(r.content.decode())
    r = Client().get(f"/person/{c1.person.uuid}/")
    print(r.status_code, r["Location"])
