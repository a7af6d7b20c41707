"""Concurrent result entry: 1,000 check-ins and sign-ups fired at gunicorn (4 workers) by 20 clients.

Some submissions are sent twice on purpose (a double tap, a resent form). Afterwards the database must hold
exactly one record per distinct submission: the report prints lost updates (must be 0), duplicates (must be
0), conflicts (409/422 answers) and server errors (must be 0).

    .venv/bin/python bench/results_concurrency.py [--database-url postgresql://postgres@127.0.0.1/portal_bench]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _server import Browser, Instance  # noqa: E402

PASSWORD = "mat-khau-ban-do-2026"  # noqa: S105
TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def build(instance: Instance, people: int) -> dict:
    """Create an office, a commune, an event, invited households and a local officer in the instance."""
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance.dir)
    if "DATABASE_URL" in instance.env:
        os.environ["DATABASE_URL"] = instance.env["DATABASE_URL"]
    from datetime import UTC, datetime, timedelta

    from portal import create_app
    from portal.auth.services import create_user
    from portal.events.models import Event
    from portal.extensions import db
    from portal.geo.models import Commune, Hamlet, Province
    from portal.households.models import Household, Person
    from portal.households.services import place_person, set_household_fields
    from portal.org.models import Office
    from portal.policy.services import seed_shipped
    from portal.results.services import invite, number_sheet

    app = create_app()
    with app.app_context():
        seed_shipped()
        province = Province(code="15", name="Lào Cai", division_type="tỉnh")
        db.session.add(province)
        db.session.flush()
        office = Office(code="B", kind="local", province_id=province.id)
        office.set_name("BHXH cơ sở Thử")
        db.session.add(office)
        db.session.flush()
        commune = Commune(code="00001", province_id=province.id, division_type="xã", office_id=office.id)
        commune.set_name("Xã Thử")
        db.session.add(commune)
        db.session.flush()
        hamlet = Hamlet(commune_id=commune.id, kind="thôn")
        hamlet.set_name("Thôn Một")
        db.session.add(hamlet)
        db.session.flush()
        start = datetime.now(UTC) - timedelta(hours=1)
        event = Event(kind="conference", title="Hội nghị thử tải", commune_id=commune.id, venue="Nhà văn hóa",
                      starts_at=start, ends_at=start + timedelta(hours=3), organiser_office_id=office.id,
                      status="held")
        db.session.add(event)
        db.session.flush()
        invitations, person_ids = [], []
        for n in range(people):
            household = Household(poverty_status="none")
            set_household_fields(household, hamlet=hamlet, head_name=f"Người Thử {n}", address=f"Nhà {n}")
            db.session.add(household)
            db.session.flush()
            person = Person(relation_to_head="head")
            person.set_name(f"Người Thử {n}")
            place_person(person, household)
            db.session.add(person)
            db.session.flush()
            person_ids.append(person.id)
            invitations.append(invite(event, household.id, agent_id=None).id)
        number_sheet(event)
        create_user(username="can.bo", full_name="Cán Bộ", role="local_officer", password=PASSWORD,
                    office_id=office.id)
        db.session.commit()
        return {"event": event.id, "invitations": invitations, "people": person_ids}


def counts(instance: Instance, event_id: int) -> tuple[int, int]:
    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.results.models import Attendance, SignUp

    app = create_app()
    with app.app_context():
        attendance = db.session.scalar(select(func.count()).select_from(Attendance).where(
            Attendance.event_id == event_id))
        signups = db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.event_id == event_id))
        db.engine.dispose()
    return attendance, signups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    instance = Instance(args.database_url)
    checkins = args.entries * 6 // 10
    signups = args.entries - checkins
    data = build(instance, max(checkins, signups))
    server = instance.serve(workers=4)
    rng = random.Random(3)
    try:
        clients = []
        for _ in range(args.clients):
            browser = Browser(server.port)
            browser.login("can.bo", PASSWORD)
            _s, _h, html = browser.request("GET", f"/events/{data['event']}/attendance")
            browser.token = TOKEN_RE.search(html).group(1)
            clients.append(browser)
        jobs = []
        for i in range(checkins):
            jobs.append(("checkin", data["invitations"][i], f"c{i}"))
        for i in range(signups):
            jobs.append(("signup", data["people"][i], f"s{i}"))
        repeats = rng.sample(jobs, len(jobs) // 10)  # resent forms and double taps
        jobs += repeats
        rng.shuffle(jobs)
        event = data["event"]

        def send(item):
            index, (kind, target, key) = item
            client = clients[index % len(clients)]
            if kind == "checkin":
                status, _h, _b = client.request("POST", f"/events/{event}/attendance/check-in", {
                    "csrf_token": client.token, "invitation_id": str(target), "submission_key": key})
            else:
                status, _h, _b = client.request("POST", f"/events/{event}/signups", {
                    "csrf_token": client.token, "person_id": str(target), "scheme": "bhxh_tn", "kind": "new",
                    "income": "1500000", "mode": "monthly", "signed_on": "10/05/2026", "agent_id": "0",
                    "submission_key": key})
            return status

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            statuses = Counter(pool.map(send, enumerate(jobs)))
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    attendance, recorded = counts(instance, data["event"])
    lost = (checkins - attendance) + (signups - recorded)
    errors = sum(v for k, v in statuses.items() if k >= 500)
    conflicts = statuses.get(409, 0) + statuses.get(422, 0)
    print(f"database: {args.database_url or 'SQLite (WAL, BEGIN IMMEDIATE)'}; gunicorn workers: 4; "
          f"{args.clients} concurrent clients")
    print(f"{len(jobs)} requests ({checkins} check-ins, {signups} sign-ups, {len(repeats)} sent twice) "
          f"in {elapsed:.1f} s ({len(jobs) / elapsed:.0f}/s)")
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(f"stored: {attendance} attendances (expected {checkins}), {recorded} sign-ups (expected {signups})")
    print(f"lost updates: {lost}; duplicates: {max(0, -lost)}; conflicts: {conflicts}; server errors: {errors}")
    print("RESULT:", "ok" if lost == 0 and errors == 0 else "PROBLEM")


if __name__ == "__main__":
    main()
