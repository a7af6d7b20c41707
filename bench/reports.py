"""Dashboard and report speed over a province: 2,000 events, 1,000,000 sign-ups across every channel, 250,000
households (target: under 300 ms p95 per page, rendering included).

Builds the province of bench/households.py (10 local offices, 100 communes, 300 agents, 250,000 households and
about a million people with potential-group tags), then with core bulk inserts: this year's May campaign with
targets at every level, 2,000 events (1,200 in this year's May, 600 in last year's, the rest in other months),
one pre-visit list of 120 households per event with outcomes, invitations, attendance and 100,000 sign-ups at
the events; then 900,000 sign-ups outside events (door to door, at a counter, online, other) over this year and
last, most of them confirmed; each commune's labour force and population and the province's coverage target.
Then times, through the Flask test client (rendering included), for a province officer and a local officer:
the campaign dashboard at each level (with its channels and coverage), the funnel pages, one event's funnel,
the commune report (XLSX; the PDF separately), the year's work, the periodic results report (page and XLSX) and
the home page; and prints the SQL statements each page runs. (Retention contacts are left to their own bench.)

    .venv/bin/python bench/reports.py                            # SQLite file in /tmp, full size
    .venv/bin/python bench/reports.py --scale 0.1                # a tenth of everything
    .venv/bin/python bench/reports.py --database-url postgresql+psycopg://postgres@127.0.0.1/portal_bench_reports
    .venv/bin/python bench/reports.py --reuse                    # time again without rebuilding
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.households import PASSWORD  # noqa: E402
from bench.households import build as build_province  # noqa: E402

TARGET_MS = 300
OUTCOMES = (("invited", 62), ("consulted", 10), ("declined", 8), ("not_home", 8), ("interested", 4),
            ("already_insured", 2), (None, 6))
AUDIENCES = ("town", "low_income", "ethnic", None)


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day.replace(
        year=day.year - 1, day=28)


def build(scale: float, seed: int = 5) -> dict:
    """Fill an empty, migrated database; return the campaign and what the timings need."""
    from sqlalchemy import select

    from bench._bulk import insert_rows
    from portal.campaigns.models import METRICS, Campaign, Target
    from portal.events.models import Event, event_agents
    from portal.extensions import db
    from portal.geo.models import Commune
    from portal.households.models import Person
    from portal.org.models import agent_communes
    from portal.results.models import Attendance, EventResult, Invitation, SignUp
    from portal.visits.models import VisitAssignment, VisitList

    info = build_province(scale)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    year = date.today().year  # noqa: DTZ011 - calendar date
    may = (date(year, 5, 1), date(year, 5, 31))
    province_id = info["province_id"]
    campaign = Campaign(name=f"Tháng vận động BHXH toàn dân năm {year}", kind="may_month", starts_on=may[0],
                        ends_on=may[1], province_id=province_id, office_id=info["province_office_id"], status="active")
    db.session.add(campaign)
    db.session.flush()

    communes = db.session.execute(select(Commune.id, Commune.office_id).where(Commune.province_id == province_id)
                                  .order_by(Commune.id)).all()
    offices = sorted({o for _c, o in communes})
    agents_of: dict[int, list[int]] = {}
    for agent_id, commune_id in db.session.execute(select(agent_communes.c.agent_id, agent_communes.c.commune_id)):
        agents_of.setdefault(commune_id, []).append(agent_id)
    heads: dict[int, list[tuple[int, int, int]]] = {}  # commune -> [(household, head person, hamlet)]
    for household_id, person_id, commune_id, hamlet_id in db.session.execute(
            select(Person.household_id, Person.id, Person.commune_id, Person.hamlet_id)
            .where(Person.relation_to_head == "head")):
        heads.setdefault(commune_id, []).append((household_id, person_id, hamlet_id))

    targets = []
    for office_id in offices:
        for metric, value in zip(METRICS, (400, 420, 300, 12, 900), strict=True):
            targets.append({"campaign_id": campaign.id, "level": "office", "office_id": office_id,
                            "subject_key": f"office:{office_id}", "metric": metric, "value": value})
    for commune_id, _office in communes:
        for metric, value in zip(METRICS, (40, 42, 30, 1, 90), strict=True):
            targets.append({"campaign_id": campaign.id, "level": "commune", "commune_id": commune_id,
                            "subject_key": f"commune:{commune_id}", "metric": metric, "value": value})
    for ids in agents_of.values():
        for agent_id in ids:
            targets.append({"campaign_id": campaign.id, "level": "agent", "agent_id": agent_id,
                            "subject_key": f"agent:{agent_id}", "metric": "new_bhxh_tn", "value": 14})
    insert_rows(Target, targets)

    n_events = max(20, int(2000 * scale))
    signups_wanted = max(1000, int(100_000 * scale))
    per_list = 120
    signups_per_event = signups_wanted / n_events
    office_of = dict(communes)
    outcome_values = [o for o, _w in OUTCOMES]
    outcome_weights = [w for _o, w in OUTCOMES]
    event_id = assignment_id = invitation_id = list_id = 0
    created = {"events": 0, "assignments": 0, "invitations": 0, "attendances": 0, "signups": 0}
    batch: dict[str, list] = {k: [] for k in ("events", "agents", "lists", "assignments", "invitations",
                                              "attendances", "signups", "results")}

    def flush():
        for key, table in (("events", Event), ("agents", event_agents), ("lists", VisitList),
                           ("assignments", VisitAssignment), ("invitations", Invitation),
                           ("attendances", Attendance), ("signups", SignUp), ("results", EventResult)):
            insert_rows(table, batch[key])
            batch[key] = []
        db.session.commit()

    for n in range(n_events):
        if n < n_events * 0.6:
            day = may[0] + timedelta(days=rng.randrange(31))
        elif n < n_events * 0.9:
            day = _year_before(may[0]) + timedelta(days=rng.randrange(31))
        else:
            day = date(year - rng.randrange(2), rng.choice((1, 2, 3, 8, 9, 10, 11)), rng.randint(1, 28))
        commune_id, office_id = communes[n % len(communes)]
        starts = datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC)
        past = starts < now
        status = rng.choice(("results_entered", "results_entered", "closed", "held")) if past else "scheduled"
        event_id += 1
        list_id += 1
        batch["events"].append({
            "id": event_id, "kind": "conference" if n % 10 else "door_to_door",
            "title": f"Hội nghị tuyên truyền số {n + 1}", "commune_id": commune_id, "venue": "Nhà văn hóa thôn",
            "starts_at": starts, "ends_at": starts + timedelta(hours=3), "organiser_office_id": office_id,
            "expected_attendance": 80, "status": status, "leaflet_audience": AUDIENCES[n % len(AUDIENCES)],
            "campaign_id": campaign.id if day.year == year and day.month == 5 else None,
            "version": 1, "created_at": now, "updated_at": now})
        agents = agents_of.get(commune_id) or [None]
        batch["agents"].extend({"event_id": event_id, "agent_id": a} for a in agents if a)
        batch["lists"].append({"id": list_id, "event_id": event_id, "next_row": per_list + 1, "created_at": now})
        chosen = rng.sample(heads[commune_id], min(per_list, len(heads[commune_id])))
        confirmed = status in ("results_entered", "closed")
        if confirmed:
            batch["results"].append({"event_id": event_id, "confirmed_at": starts + timedelta(days=1), "version": 1})
        signups_here = int(signups_per_event) + (1 if rng.random() < signups_per_event % 1 else 0)
        attendees = []
        for row, (household_id, person_id, hamlet_id) in enumerate(chosen, start=1):
            assignment_id += 1
            agent = agents[row % len(agents)]
            outcome = rng.choices(outcome_values, outcome_weights)[0]
            batch["assignments"].append({
                "id": assignment_id, "visit_list_id": list_id, "household_id": household_id,
                "hamlet_id": hamlet_id, "commune_id": commune_id, "row_number": row, "walk_key": f"{row:05d}",
                "agent_id": agent, "outcome": outcome, "outcome_at": starts - timedelta(days=3) if outcome else None,
                "version": 1})
            if outcome == "invited":
                invitation_id += 1
                batch["invitations"].append({
                    "id": invitation_id, "event_id": event_id, "household_id": household_id, "person_id": person_id,
                    "agent_id": agent, "token": secrets.token_urlsafe(12), "expected_attendees": 1,
                    "delivered_at": starts - timedelta(days=3), "sheet_row": row, "created_at": now})
                if past and rng.random() < 0.9:
                    attendees.append((household_id, person_id, invitation_id, agent))
                    batch["attendances"].append({
                        "event_id": event_id, "person_id": person_id, "household_id": household_id,
                        "invitation_id": invitation_id, "walk_in": False, "checked_in_at": starts,
                        "from_paper": False})
        if past:
            for _k in range(rng.randint(2, 8)):
                batch["attendances"].append({"event_id": event_id, "walk_in": True, "name": "Khách vãng lai",
                                             "checked_in_at": starts, "from_paper": True})
            for k, (household_id, person_id, _inv, agent) in enumerate(attendees[:signups_here]):
                scheme = "bhxh_tn" if k % 2 == 0 else "bhyt_hgd"
                kind = "renewal" if k % 5 == 0 else "new"
                amount = 330_000 if scheme == "bhxh_tn" else 105_300
                batch["signups"].append({
                    "person_id": person_id, "household_id": household_id, "commune_id": commune_id,
                    "event_id": event_id, "agent_id": agent, "credited_agent_id": agent, "scheme": scheme,
                    "kind": kind, "chosen_income": 1_500_000 if scheme == "bhxh_tn" else None,
                    "payment_mode": "monthly" if scheme == "bhxh_tn" else None, "months": 1,
                    "member_order": 1 if scheme == "bhyt_hgd" else None, "amount_due": amount, "support": 0,
                    "local_support": 0, "net": amount, "computed_net": amount, "signed_on": day,
                    "status": "confirmed" if confirmed else "recorded", "version": 1, "created_at": now,
                    "updated_at": now})
        for key in created:
            created[key] += len(batch[key])
        if len(batch["assignments"]) > 20_000:
            flush()
    flush()
    created["signups"] += _outside_events(rng, heads, communes, agents_of, year, int(900_000 * scale))
    _coverage_figures(rng, province_id, communes, year)
    return {**info, "campaign_id": campaign.id, "office_ids": offices, "created": created,
            "office_of": office_of}


#: Channels of the sign-ups made outside events, with their weights.
CHANNEL_WEIGHTS = (("door", 45), ("counter", 30), ("online", 20), ("other", 5))


def _outside_events(rng, heads, communes, agents_of, year: int, wanted: int) -> int:
    """Sign-ups outside events, spread over this year and last: renewals mostly (as in the field)."""
    from bench._bulk import insert_rows
    from portal.extensions import db
    from portal.results.models import SignUp

    channels = [c for c, _w in CHANNEL_WEIGHTS]
    weights = [w for _c, w in CHANNEL_WEIGHTS]
    now = datetime.now(UTC)
    start = date(year - 1, 1, 1)
    span = (date(year, 12, 31) - start).days + 1
    batch, made = [], 0
    for n in range(wanted):
        commune_id, _office = communes[n % len(communes)]
        household_id, person_id, _hamlet = rng.choice(heads[commune_id])
        agent = rng.choice(agents_of.get(commune_id) or [None])
        scheme = "bhxh_tn" if rng.random() < 0.45 else "bhyt_hgd"
        kind = "renewal" if rng.random() < 0.7 else "new"
        amount = 330_000 * 3 if scheme == "bhxh_tn" else 105_300 * 6
        day = start + timedelta(days=rng.randrange(span))
        batch.append({
            "person_id": person_id, "household_id": household_id, "commune_id": commune_id, "event_id": None,
            "channel": rng.choices(channels, weights)[0], "agent_id": agent, "credited_agent_id": agent,
            "scheme": scheme, "kind": kind, "chosen_income": 1_500_000 if scheme == "bhxh_tn" else None,
            "payment_mode": "quarterly" if scheme == "bhxh_tn" else None, "months": 3 if scheme == "bhxh_tn" else 6,
            "member_order": 1 if scheme == "bhyt_hgd" else None, "amount_due": amount, "support": 0,
            "local_support": 0, "net": amount, "computed_net": amount, "signed_on": day,
            "receipt_number": f"BL{n:08d}", "status": "confirmed" if rng.random() < 0.92 else "recorded",
            "version": 1, "created_at": now, "updated_at": now})
        if len(batch) >= 20_000:
            insert_rows(SignUp, batch)
            db.session.commit()
            made += len(batch)
            batch = []
    if batch:
        insert_rows(SignUp, batch)
        db.session.commit()
        made += len(batch)
    return made


def _coverage_figures(rng, province_id: int, communes, year: int) -> None:
    """Labour force and population of every commune for last year and this, and the province's targets."""
    from bench._bulk import insert_rows
    from portal.campaigns.models import CommuneFigures, CoverageTarget
    from portal.extensions import db

    rows = []
    for commune_id, _office in communes:
        population = rng.randrange(4_000, 20_000)
        for y in (year - 1, year):
            rows.append({"commune_id": commune_id, "year": y, "population": population,
                         "labour_force": round(population * 0.6), "updated_at": datetime.now(UTC)})
    insert_rows(CommuneFigures, rows)
    insert_rows(CoverageTarget, [
        {"province_id": province_id, "year": y, "bhxh_tn_share": 350, "bhyt_share": 2500,
         "updated_at": datetime.now(UTC)} for y in (year - 1, year)])
    db.session.commit()


def facts() -> dict:
    """What the timings need, read back from a database built earlier."""
    from sqlalchemy import select

    from bench.households import facts as province_facts
    from portal.campaigns.models import Campaign
    from portal.extensions import db

    info = province_facts()
    info["campaign_id"] = db.session.scalar(select(Campaign.id).order_by(Campaign.id.desc()).limit(1))
    return info


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(round(len(values) * q)) - 1)]


def measure(app, info: dict, runs: int, pdf_runs: int) -> list[tuple]:
    """Time each page for a province officer and a local officer; return the rows printed."""
    from sqlalchemy import event, select

    from portal.events.models import Event
    from portal.extensions import db
    from portal.geo.models import Commune

    token_re = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    campaign = info["campaign_id"]
    office = info["office_id"]
    with app.app_context():
        commune = db.session.scalar(select(Commune.id).where(Commune.office_id == office).order_by(Commune.id))
        from portal.campaigns.models import Campaign
        from portal.reports.queries import utc_bounds

        start, end = utc_bounds(db.session.get(Campaign, campaign))
        event_id = db.session.scalar(select(Event.id).where(Event.commune_id == commune, Event.starts_at >= start,
                                                            Event.starts_at < end).order_by(Event.id))
        db.session.remove()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    pages = {
        "bench-province": [
            ("dashboard: offices", f"/reports/campaigns/{campaign}"),
            ("dashboard: communes of an office", f"/reports/campaigns/{campaign}?level=commune&office={office}"),
            ("dashboard: agents of an office", f"/reports/campaigns/{campaign}?level=agent&office={office}"),
            ("dashboard: agent organisations", f"/reports/campaigns/{campaign}?level=organisation"),
            ("dashboard: hamlets of a commune",
             f"/reports/campaigns/{campaign}?level=hamlet&office={office}&commune={commune}"),
            ("funnel: offices", f"/reports/campaigns/{campaign}/funnel"),
            ("funnel: communes of an office", f"/reports/campaigns/{campaign}/funnel?level=commune&office={office}"),
            ("funnel: agents of an office", f"/reports/campaigns/{campaign}/funnel?level=agent&office={office}"),
            ("funnel: events of an office", f"/reports/campaigns/{campaign}/funnel?level=event&office={office}"),
            ("funnel: one event", f"/reports/events/{event_id}/funnel"),
            ("commune report (XLSX, 100 communes)", f"/reports/campaigns/{campaign}/communes.xlsx"),
            ("funnel report (XLSX, offices)", f"/reports/campaigns/{campaign}/funnel.xlsx"),
            ("the year's work: offices", "/reports/year"),
            ("the year's work: communes of an office", f"/reports/year?office={office}"),
            ("periodic report: month, every commune", "/reports/periodic?period=month"),
            ("periodic report (XLSX): month", "/reports/periodic.xlsx?period=month"),
            ("coverage figures: every commune", "/campaigns/coverage"),
            ("home page", "/"),
        ],
        "bench-local": [
            ("dashboard: own communes", f"/reports/campaigns/{campaign}"),
            ("dashboard: own agents", f"/reports/campaigns/{campaign}?level=agent&office={office}"),
            ("funnel: own communes", f"/reports/campaigns/{campaign}/funnel"),
            ("funnel: own agents", f"/reports/campaigns/{campaign}/funnel?level=agent&office={office}"),
            ("funnel: events of a commune",
             f"/reports/campaigns/{campaign}/funnel?level=event&office={office}&commune={commune}"),
            ("funnel: one event", f"/reports/events/{event_id}/funnel"),
            ("commune report (XLSX, own communes)", f"/reports/campaigns/{campaign}/communes.xlsx"),
            ("the year's work: own communes", "/reports/year"),
            ("periodic report: week, own communes", "/reports/periodic?period=week"),
            ("periodic report: month, one commune", f"/reports/periodic?period=month&commune={commune}"),
            ("home page", "/"),
        ],
    }
    rows = []
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
            durations, cpu, queries, first = [], [], set(), 0.0
            for _i in range(runs + 1):
                statements.clear()
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, response.status_code)
                if _i:  # the first run fills the caches (templates, compiled SQL, group counts)
                    durations.append(elapsed)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                else:
                    first = elapsed
                queries.add(len(statements))
            p50, p95 = statistics.median(durations), _p(durations, 0.95)
            flag = "" if p95 < TARGET_MS else f"   <-- over {TARGET_MS} ms"
            print(f"  {label:<40} p50 {p50:6.0f}  p95 {p95:6.0f}  cpu p50 {statistics.median(cpu):5.0f}  "
                  f"first {first:6.0f} ms  {'/'.join(map(str, sorted(queries)))} queries{flag}", flush=True)
            rows.append((username, label, p50, p95, sorted(queries)))
        if pdf_runs and username == "bench-province":
            from portal.printing import renderer

            for label, url in (("commune report (PDF, first print)", f"/reports/campaigns/{campaign}/communes.pdf"),
                               ("funnel report (PDF, first print)", f"/reports/campaigns/{campaign}/funnel.pdf")):
                durations = []
                for _i in range(pdf_runs):
                    with app.app_context():
                        cache = renderer().cache
                    for entry in list(cache.list()):
                        cache.delete(entry.key)
                    started = time.perf_counter()
                    response = client.get(url)
                    durations.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.status_code
                print(f"  {label:<44} p50 {statistics.median(durations):7.1f} ms   (layout of the document; "
                      f"printing, not a dashboard)", flush=True)
    event.remove(engine, "before_cursor_execute", count)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "portal-bench-reports.sqlite3"))
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 2,000 events, 1,000,000 sign-ups, "
                                                                 "250,000 households")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    os.environ["PORTAL_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="portal-bench-")
    url = args.database_url or f"sqlite:///{args.sqlite}"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from bench._bulk import end_build
    from portal import create_app
    from portal.events.models import Event
    from portal.extensions import db
    from portal.households.models import Household
    from portal.results.models import SignUp

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        existing = False
        if args.reuse:
            try:
                existing = bool(db.session.scalar(select(func.count()).select_from(SignUp)))
            except Exception:  # noqa: BLE001 - no schema yet
                db.session.rollback()
        if existing:
            info, built = facts(), "reused"
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
            info = build(args.scale)
            end_build()
            db.session.close()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
            else:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            built = f"built in {time.perf_counter() - started:.0f} s"
        counts = {name: db.session.scalar(select(func.count()).select_from(model))
                  for name, model in (("events", Event), ("sign-ups", SignUp), ("households", Household))}
        print(f"database: {db.engine.dialect.name} {db.engine.url.render_as_string(hide_password=True)}")
        print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f"; {built}; {args.runs} runs per page; "
              f"target p95 < {TARGET_MS} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
        print("(cpu: this process's CPU time, i.e. Python and SQLite but not a PostgreSQL server; first: the first\n"
              " request, before the caches of compiled SQL and group counts are filled)\n", flush=True)
        db.session.remove()
    if not args.build_only:
        measure(app, info, args.runs, args.pdf_runs)
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
