"""Retention speed: 500,000 reminder contacts over a province (target: under 300 ms p95 per page, rendering
included).

Builds the province of bench/households.py (at --scale 0.5: 10 local offices, 100 communes, 1,000 hamlets,
125,000 households, about 500,000 people, of whom some 60,000 pay or paid voluntary insurance), then with core
bulk inserts: 500,000 reminder contacts over the last twelve months on the people whose payment fell or falls
due (every method and outcome, promises with their dates), and 40,000 confirmed door-to-door renewals over the
last six months. Then times, through the Flask test client (rendering included), the renewal figures page by
office, commune and agent for a province officer and a local officer, the agent's due worklist, the due list
with its reminders, the worklist of an agent's hamlets for an officer, and the day's SMS list; and prints the
SQL statements each page runs.

    .venv/bin/python bench/retention.py                            # SQLite file in /tmp
    .venv/bin/python bench/retention.py --database-url postgresql+psycopg://postgres@127.0.0.1/portal_bench_retention
    .venv/bin/python bench/retention.py --reuse                    # time again without rebuilding
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.households import PASSWORD  # noqa: E402
from bench.households import build as build_province  # noqa: E402
from bench.households import facts as province_facts  # noqa: E402

TARGET_MS = 300
OUTCOMES = (("no_answer", 30), ("promised", 20), ("paid", 18), ("cannot_afford", 14), ("refused", 8),
            ("moved", 4), ("compulsory", 4), ("died", 2))
METHODS = (("visit", 50), ("phone", 30), ("sms", 20))


def build(scale: float, contacts: int, renewals: int, seed: int = 15) -> dict:
    """Fill an empty, migrated database; return what the timings need."""
    info = build_province(scale)
    add_retention(contacts, renewals, seed)
    return info


def add_retention(contacts: int, renewals: int, seed: int = 15) -> None:
    """The reminder contacts and the door-to-door renewals (any earlier ones removed first)."""
    from sqlalchemy import delete, select

    from bench._bulk import build_pragmas, insert_rows
    from portal.extensions import db
    from portal.households.models import Person
    from portal.i18n.formatting import local_today
    from portal.org.models import agent_hamlets
    from portal.results.models import SignUp
    from portal.retention.models import RetentionContact

    build_pragmas()
    db.session.execute(delete(RetentionContact))
    db.session.execute(delete(SignUp).where(SignUp.channel == "door"))
    rng = random.Random(seed)
    today = local_today()
    now = datetime.now(UTC)
    people = db.session.execute(
        select(Person.id, Person.household_id, Person.hamlet_id, Person.commune_id, Person.paid_until)
        .where(Person.bhxh_tn_status.in_(("participating", "stopped")),
               Person.paid_until >= today - timedelta(days=400))).all()
    agent_of = dict(db.session.execute(select(agent_hamlets.c.hamlet_id, agent_hamlets.c.agent_id)).all())
    outcome_values, outcome_weights = zip(*OUTCOMES, strict=True)
    method_values, method_weights = zip(*METHODS, strict=True)
    batch: list[dict] = []
    for n in range(contacts):
        person_id, _household, hamlet_id, commune_id, paid_until = people[n % len(people)]
        # around the due date, when that is past; any day of the last year otherwise
        day = paid_until + timedelta(days=rng.randint(-20, 40))
        if not today - timedelta(days=365) <= day <= today:
            day = today - timedelta(days=rng.randint(0, 364))
        outcome = rng.choices(outcome_values, outcome_weights)[0]
        method = "sms" if outcome == "no_answer" and rng.random() < 0.4 else rng.choices(method_values,
                                                                                     method_weights)[0]
        batch.append({"person_id": person_id, "hamlet_id": hamlet_id, "commune_id": commune_id, "scheme": "bhxh_tn",
                      "due_on": paid_until, "method": method, "outcome": outcome,
                      "promised_on": day + timedelta(days=rng.randint(1, 30)) if outcome == "promised" else None,
                      "agent_id": agent_of.get(hamlet_id) if method == "visit" else None, "contacted_on": day,
                      "recorded_at": now})
        if len(batch) >= 20_000:
            insert_rows(RetentionContact, batch)
            db.session.commit()
            batch = []
    if batch:
        insert_rows(RetentionContact, batch)
    signups = []
    for n in range(renewals):
        person_id, household_id, hamlet_id, commune_id, _paid = people[rng.randrange(len(people))]
        agent = agent_of.get(hamlet_id)
        signups.append({"person_id": person_id, "household_id": household_id, "commune_id": commune_id,
                        "channel": "door", "agent_id": agent, "credited_agent_id": agent, "scheme": "bhxh_tn",
                        "kind": "renewal", "chosen_income": 1_500_000, "payment_mode": "every_6_months",
                        "months": 6, "amount_due": 1_980_000, "support": 396_000, "local_support": 0,
                        "net": 1_584_000, "computed_net": 1_584_000,
                        "signed_on": today - timedelta(days=rng.randint(0, 180)), "status": "confirmed",
                        "version": 1, "created_at": now, "updated_at": now})
        if len(signups) >= 20_000 or n == renewals - 1:
            insert_rows(SignUp, signups)
            signups = []
    db.session.commit()


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(round(len(values) * q)) - 1)]


def measure(app, info: dict, runs: int) -> None:
    from sqlalchemy import event, select

    from portal.extensions import db
    from portal.geo.models import Commune

    token_re = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    office, agent = info["office_id"], info["agent_id"]
    with app.app_context():
        commune = db.session.scalar(select(Commune.id).where(Commune.office_id == office).order_by(Commune.id))
        db.session.remove()
    pages = {
        "bench-province": [
            ("figures: offices", "/retention/?group=office"),
            ("figures: communes", "/retention/?group=commune"),
            ("figures: communes of an office", f"/retention/?group=commune&office={office}"),
            ("figures: agents of an office", f"/retention/?group=agent&office={office}"),
            ("figures: BHYT by commune", "/retention/?group=commune&scheme=bhyt_hgd"),
        ],
        "bench-local": [
            ("figures: own communes", "/retention/?group=commune"),
            ("figures: own agents", "/retention/?group=agent"),
            ("figures: agents of a commune", f"/retention/?group=agent&commune={commune}"),
            ("due list of an agent, with reminders", f"/households/due?kind=paid_until&agent={agent}"),
            ("due list of a commune, lapsed 90 days",
             f"/households/due?kind=stopped&days=90&commune={commune}"),
            ("SMS list: the office", "/retention/sms"),
            ("SMS list: a commune", f"/retention/sms?commune={commune}"),
        ],
        "bench-agent": [
            ("agent's due worklist", "/my/due"),
            ("agent's due worklist: all", "/my/due?show=all"),
        ],
    }
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    for username, items in pages.items():
        client = app.test_client()
        token = token_re.search(client.get("/login").get_data(as_text=True)).group(1)
        response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.status_code
        print(f"{username}:", flush=True)
        for label, url in items:
            durations, queries, first, size = [], set(), 0.0, 0
            for i in range(runs + 1):
                statements.clear()
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, response.status_code)
                if i:
                    durations.append(elapsed)
                else:
                    first, size = elapsed, len(response.data)
                queries.add(len(statements))
            p50, p95 = statistics.median(durations), _p(durations, 0.95)
            flag = "" if p95 < TARGET_MS else f"   <-- over {TARGET_MS} ms"
            print(f"  {label:<42} p50 {p50:6.0f}  p95 {p95:6.0f}  first {first:6.0f} ms  "
                  f"{'/'.join(map(str, sorted(queries)))} queries  {size // 1024} kB{flag}", flush=True)
    event.remove(engine, "before_cursor_execute", count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "portal-bench-retention.sqlite3"))
    parser.add_argument("--scale", type=float, default=0.5, help="of bench/households.py's province (1.0 = "
                                                                 "250,000 households)")
    parser.add_argument("--contacts", type=int, default=500_000)
    parser.add_argument("--renewals", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--redo-retention", action="store_true",
                        help="with --reuse: keep the province, make the contacts and renewals again")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    os.environ["PORTAL_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="portal-bench-")
    url = args.database_url or f"sqlite:///{args.sqlite}"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from bench._bulk import end_build
    from portal import create_app
    from portal.extensions import db
    from portal.households.models import Person
    from portal.retention.models import RetentionContact

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        existing = False
        if args.reuse:
            try:
                existing = bool(db.session.scalar(select(func.count()).select_from(RetentionContact)))
            except Exception:  # noqa: BLE001 - no schema yet
                db.session.rollback()
        if existing:
            info, built = province_facts(), "reused"
            if args.redo_retention:
                started = time.perf_counter()
                add_retention(args.contacts, args.renewals)
                end_build()
                if db.engine.dialect.name == "sqlite":
                    db.session.execute(text("ANALYZE"))
                    db.session.commit()
                built = f"province reused, contacts and renewals made in {time.perf_counter() - started:.0f} s"
        else:
            if args.database_url:
                downgrade(revision="base")
            else:
                db.engine.dispose()
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(args.sqlite + suffix):
                        os.remove(args.sqlite + suffix)
            upgrade()
            started = time.perf_counter()
            info = build(args.scale, args.contacts, args.renewals)
            end_build()
            db.session.close()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
            else:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            built = f"built in {time.perf_counter() - started:.0f} s"
        contacts = db.session.scalar(select(func.count()).select_from(RetentionContact))
        people = db.session.scalar(select(func.count()).select_from(Person))
        print(f"database: {db.engine.dialect.name} {db.engine.url.render_as_string(hide_password=True)}")
        print(f"{contacts:,} reminder contacts, {people:,} people; {built}; {args.runs} runs per page; target p95 < "
              f"{TARGET_MS} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
        db.session.remove()
    if not args.build_only:
        measure(app, info, args.runs)
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
