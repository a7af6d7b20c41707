"""The agent's offline day: what the phone keeps for an agent with N households (target: under 5 MB), and how
long the server takes to receive N queued actions sent in order after a day without signal.

Builds the test world in a fresh database, gives the agent N households on a conference's pre-visit list (a
tenth of them invited, so their members' sign-up pages are kept too), then, through the app as the phone calls
it: fetches every page of /offline/day and adds up the bytes, and replays one quick visit outcome per household
with the X-Offline-Sync header, one after another, as offline.js does. Prints the figures.

    .venv/bin/python bench/offline.py [--households 300] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LIMIT = 5 * 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--households", type=int, default=300)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select

    from portal import create_app
    from portal.auth import roles
    from portal.extensions import db
    from portal.policy.services import seed_shipped
    from portal.visits.building import add_households
    from portal.visits.models import Visit, VisitAssignment
    from portal.visits.services import record_outcome
    from tests import factories
    from tests.world import build_world

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        if args.database_url:
            downgrade(revision="base")
        upgrade()
        seed_shipped()
        world = build_world()
        own = world.own
        factories.under_way(own.event)
        households = [factories.make_household([own.hamlet, own.hamlet2][n % 2], f"Nguyễn Văn Thử {n + 1}",
                                               address=f"Nhà {n + 1}, tổ {n % 12 + 1}", phone=f"09{n:08d}")[0]
                      for n in range(args.households - 1)]
        add_households(own.visit_list, [h.id for h in households])
        assignments = list(db.session.scalars(select(VisitAssignment).where(
            VisitAssignment.visit_list_id == own.visit_list.id).order_by(VisitAssignment.id)))
        for assignment in assignments:
            assignment.agent_id = own.agent.id
        db.session.commit()
        agent_user = world.users[roles.AGENT]
        for assignment in assignments[::10]:
            record_outcome(assignment, outcome="invited", user=agent_user, expected_attendees=1)
        db.session.commit()
        todo = [(a.id, a.version) for a in assignments]  # one queued action per household
        username = agent_user.username

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    client.post("/login", data={"username": username, "password": factories.DEFAULT_PASSWORD,
                                "csrf_token": token.group(1)})
    day = client.get("/offline/day").get_json()
    started = time.perf_counter()
    sizes: dict[str, int] = {}
    for page_url in day["pages"]:
        response = client.get(page_url)
        assert response.status_code == 200, (page_url, response.status_code)
        kind = page_url.split("?")[0].rsplit("/", 1)[0] if "/assignments/" in page_url else page_url.split("?")[0]
        sizes[kind] = sizes.get(kind, 0) + len(response.data)
    fetch_seconds = time.perf_counter() - started
    last_page = next(u for u in reversed(day["pages"]) if not u.startswith("/static/"))
    last = client.get(last_page).get_data(as_text=True)  # the static files every page refers to
    for asset in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', last)):
        sizes["static files"] = sizes.get("static files", 0) + len(client.get(asset).data)
    total = sum(sizes.values())

    csrf = client.get("/offline/token", headers={"X-Offline-Sync": "1"}).get_json()["csrf_token"]
    results: dict[str, int] = {}
    started = time.perf_counter()
    for n, (assignment_id, version) in enumerate(todo):
        answer = client.post(f"/my/assignments/{assignment_id}", headers={"X-Offline-Sync": "1"}, data={
            "csrf_token": csrf, "outcome": "consulted", "quick": "1", "person_id": "0", "version": str(version),
            "submission_key": f"bench-{n}"}).get_json()
        results[answer["result"]] = results.get(answer["result"], 0) + 1
    sync_seconds = time.perf_counter() - started
    with app.app_context():
        written = db.session.scalar(select(func.count()).select_from(Visit).where(Visit.submission_key.like("bench-%")))

    print(f"Offline day of an agent with {args.households} households ({url.split(':')[0]})")
    print(f"  pages kept: {len(day['pages'])}, fetched in {fetch_seconds:.2f} s")
    for kind, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"    {kind:<40} {size / 1024:8.0f} KB")
    print(f"  cache size (bodies kept): {total / 1024 / 1024:.2f} MB "
          f"({'under' if total < LIMIT else 'OVER'} the 5 MB target)")
    print(f"  sync of {len(todo)} queued actions: {sync_seconds:.2f} s "
          f"({sync_seconds / max(len(todo), 1) * 1000:.1f} ms each), results {results}, {written} written")


if __name__ == "__main__":
    main()
