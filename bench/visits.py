"""Building and splitting a pre-visit list of 5,000 households (target: under 2 s).

Creates a commune with 40 hamlets, 5,000 households and 12 agents covering the hamlets in a fresh database,
then times building the list for a conference and splitting it among the agents, and prints the figures.

    .venv/bin/python bench/visits.py [--database-url postgresql://postgres@127.0.0.1/portal_bench] [--households N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, insert, select

    from portal import create_app
    from portal.auth.models import User
    from portal.events.models import Event
    from portal.extensions import db
    from portal.geo.models import Commune, Hamlet, Province
    from portal.households.models import Household
    from portal.households.services import household_match_key
    from portal.i18n.collation import collation_key, text_collation_key
    from portal.org.models import Agent, Office, agent_hamlets
    from portal.visits import building
    from portal.visits.models import VisitAssignment

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if args.database_url:
            downgrade(revision="base")
        upgrade()
        province = Province(code="15", name="Lào Cai", division_type="tỉnh")
        db.session.add(province)
        db.session.flush()
        office = Office(code="B", kind="local", province_id=province.id)
        office.set_name("BHXH cơ sở")
        db.session.add(office)
        db.session.flush()
        commune = Commune(code="00001", province_id=province.id, division_type="xã", office_id=office.id)
        commune.set_name("Xã Thử")
        db.session.add(commune)
        db.session.flush()
        hamlets = []
        for n in range(40):
            hamlet = Hamlet(commune_id=commune.id, kind="thôn")
            hamlet.set_name(f"Thôn {n + 1}")
            hamlets.append(hamlet)
        db.session.add_all(hamlets)
        db.session.flush()
        rows = []
        for n in range(args.households):
            hamlet = hamlets[n % 40]
            head = f"Nguyễn Văn {n}"
            address = f"Nhà {n // 40 + 1}"
            rows.append({"hamlet_id": hamlet.id, "commune_id": commune.id, "head_name": head, "address": address,
                         "poverty_status": "none", "match_key": household_match_key(head, address),
                         "sort_key": collation_key(head), "address_key": text_collation_key(address), "version": 1,
                         "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)})
        db.session.execute(insert(Household), rows)
        agents = []
        for n in range(12):
            agent = Agent(code=f"A{n}", office_id=office.id, active=True)
            agent.set_name(f"Đại Lý {n}")
            agents.append(agent)
        db.session.add_all(agents)
        db.session.flush()
        links = [{"agent_id": agents[(i + k) % 12].id, "hamlet_id": h.id}
                 for i, h in enumerate(hamlets) for k in range(2)]
        db.session.execute(insert(agent_hamlets), [dict(t) for t in {tuple(sorted(d.items())) for d in links}])
        user = User(username="b", full_name="B", role="local_officer", password_hash="x", office_id=office.id)
        db.session.add(user)
        db.session.commit()

        timings_build, timings_split = [], []
        for run in range(args.runs):
            event = Event(kind="conference", title=f"Hội nghị {run}", commune_id=commune.id, venue="Nhà văn hóa",
                          starts_at=datetime(2027, 5, 10, 1, tzinfo=UTC), ends_at=datetime(2027, 5, 10, 4, tzinfo=UTC),
                          organiser_office_id=office.id)
            db.session.add(event)
            db.session.commit()
            started = time.perf_counter()
            visit_list, added = building.build_list(event, building.Criteria(), user)
            db.session.commit()
            built = time.perf_counter()
            result = building.split_among_agents(visit_list)
            db.session.commit()
            done = time.perf_counter()
            timings_build.append(built - started)
            timings_split.append(done - built)
            assert added == args.households and result.unassigned == 0
        loads = db.session.execute(select(func.count()).select_from(VisitAssignment).where(
            VisitAssignment.visit_list_id == visit_list.id).group_by(VisitAssignment.agent_id)).scalars().all()
    print(f"database: {args.database_url or 'SQLite'}; {args.households} households, 40 hamlets, 12 agents, "
          f"{args.runs} runs")
    print(f"build list: median {statistics.median(timings_build):.2f} s, max {max(timings_build):.2f} s")
    print(f"split among agents: median {statistics.median(timings_split):.2f} s, max {max(timings_split):.2f} s")
    total = [b + s for b, s in zip(timings_build, timings_split, strict=True)]
    print(f"build + split: median {statistics.median(total):.2f} s, max {max(total):.2f} s (target < 2 s)")
    print(f"households per agent: min {min(loads)}, max {max(loads)}")


if __name__ == "__main__":
    main()
