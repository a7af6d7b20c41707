"""Printing speed: one-page documents, a 1,000-row attendance sheet, a cached re-print, 5,000 invitations.

Builds an event with 1,000 invited households and one with --letters (5,000) in a fresh SQLite database, then
times (wall clock, and CPU of this process) the portal's own renderer: each one-page document cold (no cache),
the 1,000-row sheet cold (in this process only, then with the render processes, and as the one big table it
used to be), a re-print of unchanged inputs from the cache (renderer, and the whole request), and the
invitations job (its time, and the peak memory of the render processes and of this one). Beside each figure
it prints Chromium's headless print-to-PDF of the same HTML and the ratio.

    .venv/bin/python bench/printing.py [--letters 5000] [--runs 3] [--no-chromium]

The machine is shared: CPU seconds say more than wall seconds when it is busy (the load is printed). "cpu" is
this process's; "cpu*" is WeasyPrint's time summed over the render processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHROMIUM = "/usr/bin/chromium"
GIVEN = ["An", "Ánh", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hương", "Lan", "Long", "Mai", "Ngọc", "Thảo"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lò", "Giàng"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Ngọc Bảo"]

# The attendance sheet as it was laid out before (one table, thead repeated): for the "before" figure.
OLD_TABLE = """{% extends "_base.html" %}{% import "_macros.html" as m %}{% block body %}
{{ m.state_header(issuer_superior, issuer_name) }}<p class="place-date">{{ document_date_line(place, date) }}</p>
<h1>{{ title }}</h1><p class="subtitle">{{ subtitle }}</p>
<div class="facts">{% for label, value in facts %}<p><b>{{ label }}:</b> {{ value }}</p>{% endfor %}</div>
<table class="sheet"><colgroup>{% for col in columns %}<col class="w{{ col.width }}">{% endfor %}</colgroup>
<thead><tr>{% for col in columns %}<th>{{ col.label }}</th>{% endfor %}</tr></thead><tbody>
{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}
{% for _i in range(blank_rows) %}<tr>{% for col in columns %}<td>{% if loop.first %}{{ rows|length + _i + 1 }}{% endif %}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>{{ m.signatures(signatures[0], signatures[1]) }}{% endblock %}
{% block css %}{% for col in columns %}col.w{{ col.width }} { width: {{ col.width }}mm; }{% endfor %}{% endblock %}"""


def timed(fn, runs: int) -> tuple[float, float, object]:
    """(median wall seconds, median CPU seconds of this process, last result)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def inline_qr(html: str) -> str:
    """The HTML with each QR code inline (the portal's renderer draws them from their address, Chromium can't)."""
    import base64
    import re
    from urllib.parse import unquote

    from portal.printing.fetcher import BASE_URL, qr_png

    prefix = re.escape(BASE_URL.rstrip("/") + "/qr/")
    return re.sub(prefix + r'([^"]+)', lambda m: "data:image/png;base64," + base64.b64encode(
        qr_png(unquote(m.group(1)))).decode(), html)


def chromium(html: str, runs: int) -> float | None:
    """Median wall seconds of Chromium printing the HTML to PDF (a fresh browser each time, as a CLI would)."""
    if not Path(CHROMIUM).exists():
        return None
    html = inline_qr(html)
    folder = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
    page = folder / "doc.html"
    page.write_text(html, encoding="utf-8")
    times = []
    for n in range(runs):
        profile = folder / f"profile-{n}"
        out = folder / "out.pdf"
        started = time.perf_counter()
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",  # noqa: S603
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--print-to-pdf={out}", "--no-pdf-header-footer",
                        page.as_uri()], check=True, capture_output=True, timeout=900)
        times.append(time.perf_counter() - started)
        shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times)


def line(label: str, wall: float, cpu: float, chrome: float | None, target: str = "", render_cpu=None) -> None:
    """One figure: wall seconds, CPU seconds (this process, or WeasyPrint's over all processes), Chromium."""
    ratio = f"{wall / chrome:.2f}× Chromium ({chrome:.2f} s)" if chrome else "Chromium n/a"
    cpu_text = f"{cpu:7.3f} s cpu" if render_cpu is None else f"{render_cpu:7.3f} s cpu*"
    print(f"{label:<46} {wall:7.3f} s wall {cpu_text}   {ratio:<30} {target}", flush=True)


def build(db, letters: int):
    """A territory, policy values, an event with 1,000 invitations and one with ``letters``."""
    from sqlalchemy import insert

    from portal.auth.models import User
    from portal.events.models import Event, event_agents
    from portal.geo.models import Commune, Hamlet, Province
    from portal.households.models import Household
    from portal.households.services import household_match_key
    from portal.i18n.collation import collation_key, text_collation_key
    from portal.org.models import Agent, Office
    from portal.policy.services import seed_shipped
    from portal.results.models import Invitation
    from portal.results.services import new_token

    seed_shipped()
    province = Province(code="15", name="Lào Cai", division_type="tỉnh")
    db.session.add(province)
    db.session.flush()
    parent = Office(code="P", kind="province", province_id=province.id)
    parent.set_name("Bảo hiểm xã hội tỉnh Lào Cai")
    db.session.add(parent)
    db.session.flush()
    office = Office(code="L", kind="local", province_id=province.id, parent_id=parent.id)
    office.set_name("Bảo hiểm xã hội cơ sở Nghĩa Lộ")
    db.session.add(office)
    db.session.flush()
    commune = Commune(code="00001", province_id=province.id, division_type="xã", office_id=office.id)
    commune.set_name("Xã Nghĩa Lộ")
    db.session.add(commune)
    db.session.flush()
    hamlets = []
    for name in ("Thôn Khe Cam", "Bản Phố Cũ", "Tổ dân phố số 12 phường Nghĩa Lộ", "Thôn Sín Chải"):
        h = Hamlet(commune_id=commune.id, kind="thôn")
        h.set_name(name)
        hamlets.append(h)
    db.session.add_all(hamlets)
    agent = Agent(code="A1", office_id=office.id, phone="0912345678", active=True)
    agent.set_name("Trần Thị Hoa")
    db.session.add(agent)
    user = User(username="bench", full_name="Cán bộ", role="local_officer", office_id=office.id,
                password_hash="x")
    db.session.add(user)
    db.session.flush()
    events = []
    for title, count in (("Hội nghị tuyên truyền BHXH tự nguyện thôn Khe Cam", 1000),
                         ("Hội nghị nhỏ", 10), ("Ra quân tháng vận động", letters)):
        event = Event(kind="conference", title=title, commune_id=commune.id, venue="Nhà văn hóa thôn Khe Cam",
                      starts_at=datetime(2027, 5, 10, 1, tzinfo=UTC), ends_at=datetime(2027, 5, 10, 4, tzinfo=UTC),
                      organiser_office_id=office.id, status="scheduled", expected_attendance=count)
        db.session.add(event)
        db.session.flush()
        db.session.execute(event_agents.insert(), [{"event_id": event.id, "agent_id": agent.id}])
        now = datetime.now(UTC)
        names = [f"{FAMILY[i % 10]} {MIDDLE[i % 6]} {GIVEN[(i * 7) % 14]}" + (" Phương Thảo Nguyên" if i % 23 == 0
                                                                              else "") for i in range(count)]
        rows = [{"hamlet_id": hamlets[i % 4].id, "commune_id": commune.id, "head_name": n, "address": f"Nhà {i}",
                 "poverty_status": "none", "match_key": household_match_key(n, f"Nhà {i}{title}"),
                 "sort_key": collation_key(n), "address_key": text_collation_key(f"Nhà {i}"), "version": 1,
                 "created_at": now, "updated_at": now} for i, n in enumerate(names)]
        ids = [r.id for r in db.session.execute(insert(Household).returning(Household.id), rows)]
        db.session.execute(insert(Invitation), [{"event_id": event.id, "household_id": i, "agent_id": agent.id,
                                                 "token": new_token(), "expected_attendees": 1, "created_at": now}
                                                for i in ids])
        events.append(event)
    db.session.commit()
    return user, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-chromium", action="store_true")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-bench-print-")
    os.environ["PORTAL_INSTANCE_PATH"] = instance

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.jobs import services as jobs
    from portal.jobs import tasks
    from portal.printing import documents, leaflet, renderer, report
    from portal.printing.layout import paginate_sheet
    from portal.printing.renderer import Renderer

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.sqlite3", "SECRET_KEY": "b" * 40,
                      "JOBS_RUNNER": "inline", "TESTING": False})
    runs = args.runs
    with app.app_context(), app.test_request_context("/"):
        upgrade()
        user, (big, small, batch) = build(db, args.letters)
        ids = {"user": user.id, "big": big.id, "batch": batch.id}
        User, Event = type(user), type(big)
        r = renderer()
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {r.processes} render processes; "
              f"runs {runs} (median)")
        started = time.perf_counter()
        r.pool().warm()
        print(f"render processes started in {time.perf_counter() - started:.2f} s (once per server process)\n")

        def chrome(template, context, n=runs):
            if args.no_chromium:
                return None
            planned, key, _ = r._plan(template, context, 0)
            return chromium(r.render_html(template, planned), n)

        print("One-page documents, cold (target ≤ 0.3 s)")
        one_page = {
            "attendance sheet, 10 invited": ("sheet.html", documents.attendance_sheet(small, blank_rows=5)),
            "leaflet, town": ("leaflet.html", leaflet.leaflets([(big, "town")], "Mang theo căn cước.")),
            "leaflet, low income": ("leaflet.html", leaflet.leaflets([(big, "low_income")])),
            "leaflet, ethnic minorities": ("leaflet.html", leaflet.leaflets([(big, "ethnic")])),
            "results report": ("report.html", report.results_report(big)),
            "invitation letter": ("invitations.html", {**documents.invitations(small, "https://portal.example/"),
                                                       "letters": documents.invitations(
                                                           small, "https://portal.example/")["letters"][:1]}),
        }
        db.session.commit()
        for label, (template, context) in one_page.items():
            r.render_pdf(template, context, use_cache=False)  # templates compiled
            wall, cpu, _ = timed(lambda t=template, c=context: r.render_pdf(t, c, use_cache=False), runs)
            line(label, wall, cpu, chrome(template, context, 1), "≤ 0.3 s")

        print("\n1,000-row attendance sheet, cold (target ≤ 2 s)")
        sheet = documents.attendance_sheet(big)
        db.session.commit()
        pages = len(paginate_sheet(sheet)["pages"])
        chrome_sheet = chrome("sheet.html", sheet)
        wall, cpu, _ = timed(lambda: r.render_pdf("sheet.html", sheet, use_cache=False), runs)
        line(f"planned pages, {r.processes} render processes ({pages} p.)", wall, cpu, chrome_sheet, "≤ 2 s",
             render_cpu=r.last_cpu)
        single = Renderer(app)
        single.processes = 1
        wall, cpu, _ = timed(lambda: single.render_pdf("sheet.html", sheet, use_cache=False), 1)
        line("planned pages, this process only", wall, cpu, chrome_sheet)
        old = single.env.from_string(OLD_TABLE).render(**sheet, document_date_line=lambda p, d: f"{p}, {d}")
        wall, cpu, _ = timed(lambda: single.html_to_pdf(old), 1)
        line("before: one big table, this process", wall, cpu, None if args.no_chromium else chromium(old, 1))

        print("\nRe-print of unchanged inputs (target ≤ 50 ms)")
        r.render_pdf("sheet.html", sheet)
        wall, cpu, _ = timed(lambda: r.render_pdf("sheet.html", sheet), 20)
        line("renderer, from the cache", wall, cpu, None)

    client = app.test_client()
    with app.app_context():
        from portal.auth.passwords import hash_password

        db.session.get(User, ids["user"]).password_hash = hash_password("mat-khau-bench-in")
        db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"username": "bench", "password": "mat-khau-bench-in"})
    url = f"/events/{ids['big']}/print/attendance.pdf"
    client.get(url)
    wall, cpu, response = timed(lambda: client.get(url), 10)
    assert response.status_code == 200, response.status_code
    line("whole request (query, audit entry, cache)", wall, cpu, None)

    print(f"\n{args.letters:,} invitation letters as a background job (target ≤ 5 min, < 1 GB)")
    with app.app_context(), app.test_request_context("/"):
        job = jobs.create("invitations", user=db.session.get(User, ids["user"]),
                          event=db.session.get(Event, ids["batch"]), params={"base_url": "https://portal.example/"})
        db.session.commit()
        job_id = job.id
        wall, cpu, _ = timed(lambda: tasks.execute(job_id), 1)
        job = db.session.get(jobs.Job, job_id)
        assert job.status == "done", job.message
        workers = renderer().pool().peak_rss()
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        chrome_batch = None
        if not args.no_chromium:
            context = documents.invitations(db.session.get(Event, ids["batch"]), "https://portal.example/")
            chrome_batch = chromium(renderer().render_html("invitations.html", context), 1)
        line(f"{args.letters:,} letters, {job.result_size / 1e6:.1f} MB", wall, cpu, chrome_batch, "≤ 300 s",
             render_cpu=renderer().last_cpu)
        print(f"peak memory: render processes {max(workers) / 2**20:.0f} MB each, this process "
              f"{own / 2**20:.0f} MB; together {(own + max(workers) * renderer().processes) / 2**20:.0f} MB "
              "(target < 1 GB)")
        renderer().pool().shutdown()


if __name__ == "__main__":
    main()
