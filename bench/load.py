"""Load test: 20 people using the portal at once, against gunicorn (deploy/gunicorn.conf.py) on PostgreSQL.

A province-sized database (bench/load_data.py: 250,000 households, 1,000,000 people, 400 events with their
lists, invitations, check-ins and sign-ups) is built once and reused. gunicorn then serves it in production
mode with the repository's settings, and simulated users, each signed in through the real login form (CSRF
token and all), work for --duration seconds with a pause of about --think seconds between two pages:

- officers of local offices browse events: the list, the calendar, an event, its pre-visit list, its
  attendance and sign-ups, its documents page;
- officers search households (names with and without diacritics, a phone number posted in the body) and open
  households, due lists and the home page's dashboard;
- province officers watch the campaign: its page, targets, the progress report, the list of campaigns;
- agents on their phones open their visit list, a household and record what the visit found;
- at today's conferences staff check people in from the invitation list;
- some of them print: attendance sheets, sign-up sheets, visit lists and the communes report (PDF).

As docs/operations.md ("Keeping prints away from pages") tells a small server to, every address ending in
``.pdf`` goes to a second gunicorn of its own (--pdf-workers, 2 by default, GUNICORN_TIMEOUT=120), as nginx's
``location ~ \\.pdf$`` would send it: a print never holds one of the page workers. ``--pdf-workers 0`` serves
everything from one gunicorn, as before; the report says which topology ran.

Each user's first page comes after a random part of one pause, as at any moment of a working day
(``--start-together`` sends them all at once instead: a burst no population of phones makes).

Every page is split into connect, queue (sent -> a worker took it), worker and return (answer written -> read)
by joining the client's times with gunicorn's (bench/gunicorn_timing.conf.py, deploy/gunicorn.conf.py plus two
hooks; bench/load_timing.py), printed with the client's own stalls, the listen socket's accept queue and the
kernel's TCP counters, so that a slow page says whether it waited for a worker, in a worker or in the client.

It prints throughput, p50/p95/p99 per page, errors, and the workers' memory (RSS and PSS sampled every --sample
seconds, with the render processes they start), the print gunicorn's apart from the pages'. Targets on a 2-core
machine: p95 under 200 ms for pages, 0 errors, memory stable.

    .venv/bin/python bench/load.py                      # build if needed, then 600 s with 20 users
    .venv/bin/python bench/load.py --duration 60 --scale 0.1 --database-url postgresql+psycopg://…/portal_bench_small
    .venv/bin/python bench/load.py --rebuild            # drop and build the data again

With ``--mix field`` the users are mostly agents on phones, each role pausing as people in the field do
(bench/load_beside.py: FIELD_MIX); ``--beside-import 20`` has an officer upload a 20 MB household file again and
again (a job checks it while the page polls; then it is cancelled, or confirmed every N-th time with
``--beside-import-confirm N``), and ``--beside-letters 5000`` has another start a 5,000-letter invitation job and wait for it, over the
whole run. With REDIS_URL set, jobs go to an RQ worker started beside gunicorn. The issue's run:

    .venv/bin/python bench/load.py --mix field --users 200 --workers 2 --beside-import 20 --beside-letters 5000
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
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import http.client  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import load_beside  # noqa: E402
import load_timing  # noqa: E402
from _server import BIN, ROOT, Browser, free_port  # noqa: E402
from load_data import PASSWORD  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_load"
HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR_RE = re.compile(r'(name|value)="([^"]*)"')
ASSIGNMENT_RE = re.compile(r'href="/my/assignments/(\d+)"')
HOUSEHOLD_RE = re.compile(r'href="/households/(\d+)"')
PHONE_UA = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36")
NAMES = ["nguyen van an", "Nguyễn Thị Hương", "tran van hung", "Lò Văn Páo", "giang seo", "hoang thi lan",
         "pham minh", "le thi thu", "Vàng Thị Mỷ", "dang van", "bui thi hoa", "ngo quang huy"]
#: Pages whose p95 is held to the target; prints (PDF) are reported beside them.
TARGET_MS = 200


class Stats:
    """Durations and answers per page label, shared by all users."""

    def __init__(self):
        self.lock = threading.Lock()
        self.durations: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        #: The X-Bench-Id of each request, per label (its split into connect/queue/worker/return).
        self.ids: dict[str, list[str]] = defaultdict(list)

    def add(self, label: str, ms: float, problem: str | None, request_id: str | None = None) -> None:
        with self.lock:
            self.durations[label].append(ms)
            if request_id:
                self.ids[label].append(request_id)
            if problem:
                self.errors[label].append(problem)


class HeaderDict(dict):
    """Response headers looked up regardless of case (HAProxy, say, sends them in lower case)."""

    def __init__(self, items):
        super().__init__((key.lower(), value) for key, value in items)

    def get(self, key, default=None):
        return super().get(key.lower(), default)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key):
        return super().__contains__(str(key).lower())


class LoadBrowser(Browser):
    """The benchmarks' browser, with request headers (htmx, a phone's user agent). With ``pdf_port`` set, every
    address ending in ``.pdf`` goes to the PDF gunicorn there, as nginx's ``location ~ \\.pdf$`` sends it
    (docs/operations.md, "Keeping prints away from pages"); everything else to ``port``."""

    def __init__(self, port: int, pdf_port: int | None = None):
        super().__init__(port)
        self.pdf_port = pdf_port
        self.last_id: str | None = None  #: the X-Bench-Id of the last request (bench/load_timing.py)

    def port_for(self, path: str) -> int:
        if self.pdf_port and urlsplit(path).path.endswith(".pdf"):
            return self.pdf_port
        return self.port

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
        port = self.port_for(path)
        # nginx waits 130 s for a PDF from the print gunicorn (proxy_read_timeout), pages get gunicorn's 60 s.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=130 if port == self.pdf_port else 60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request_id = load_timing.TIMELINE.new_id()
        headers["X-Bench-Id"] = request_id
        self.last_id = request_id
        began = time.time()
        try:
            conn.connect()
            connected = time.time()
            conn.request(method, path, body=body, headers=headers)
            sent = time.time()
            response = conn.getresponse()
            first = time.time()
            raw = response.read()
            load_timing.TIMELINE.add(request_id, (began, connected, sent, first, time.time()))
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        content_type = response.headers.get("Content-Type", "")
        text = raw.decode("utf-8", "replace") if content_type.startswith("text/") else ""
        return response.status, HeaderDict(response.headers.items()), text


class User:
    """One simulated person: a signed-in browser and what they do next."""

    def __init__(self, role: str, account: dict, port: int, data: dict, stats: Stats, rng: random.Random,
                 pdf_port: int | None = None):
        self.role = role
        self.account = account
        self.browser = LoadBrowser(port, pdf_port)
        self.data = data
        self.stats = stats
        self.rng = rng
        self.headers = {"User-Agent": PHONE_UA} if role == "agent" else {}

    # -- requests ---------------------------------------------------------------------------------------
    def call(self, label: str, method: str, path: str, form: dict | None = None, headers: dict | None = None,
             expect: tuple[int, ...] = (200,)) -> tuple[int, dict, str]:
        started = time.perf_counter()
        try:
            status, response_headers, text = self.browser.request(method, path, form, {**self.headers,
                                                                                      **(headers or {})})
        except OSError as exc:
            self.stats.add(label, (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}",
                           getattr(self.browser, "last_id", None))
            return 0, {}, ""
        problem = None if status in expect else f"HTTP {status} for {method} {path.split('?')[0]}"
        self.stats.add(label, (time.perf_counter() - started) * 1000, problem, getattr(self.browser, "last_id", None))
        return status, response_headers, text

    def get(self, label: str, path: str, **kwargs) -> str:
        return self.call(label, "GET", path, **kwargs)[2]

    def post_form(self, label: str, path: str, page: str, fields: dict, **kwargs) -> tuple[int, dict, str]:
        form = hidden_fields(page)
        form.setdefault("csrf_token", self.browser.token or "")
        form.update(fields)
        return self.call(label, "POST", path, form, **kwargs)

    def login(self) -> None:
        status, _headers = self.browser.login(self.account["username"], PASSWORD)
        if status != 303:
            raise RuntimeError(f"login of {self.account['username']} answered {status}")
        self.browser.token = None

    # -- what people do -----------------------------------------------------------------------------------
    def act(self) -> None:
        getattr(self, "do_" + self.role)()

    def events_of_office(self, statuses: tuple[str, ...]) -> list[int]:
        office = self.account.get("office_id")
        return [e["id"] for e in self.data["events"] if e["status"] in statuses
                and (office is None or e["office_id"] == office)]

    def do_events_officer(self) -> None:
        rng = self.rng
        choice = rng.random()
        if choice < 0.16:
            self.get("events list", "/events/")
        elif choice < 0.28:
            self.get("events calendar", "/events/calendar")
        elif choice < 0.5:
            self.get("event page", f"/events/{rng.choice(self.events_of_office(tuple(STATUSES)))}")
        elif choice < 0.64:
            self.get("pre-visit list (supervise)", f"/events/{rng.choice(self.events_of_office(('scheduled',)))}"
                     "/previsit")
        elif choice < 0.74:
            self.get("attendance page", f"/events/{rng.choice(self.events_of_office(('held',)))}/attendance")
        elif choice < 0.84:
            held = self.events_of_office(("results_entered", "closed"))
            self.get("sign-ups page", f"/events/{rng.choice(held)}/signups")
        elif choice < 0.985:
            self.get("documents page", f"/events/{rng.choice(self.events_of_office(tuple(STATUSES)))}/documents")
        else:
            # About one page in seventy is a print (a sheet for today's conference or a visit list): with six
            # officers that is a PDF every minute or so, many more than an office prints in a day.
            self.print_document()

    def print_document(self) -> None:
        rng = self.rng
        kind = rng.choice(("attendance", "signup-sheet", "visits"))
        statuses = ("scheduled",) if kind == "visits" else ("held",)
        event = rng.choice(self.events_of_office(statuses))
        self.get(f"print {kind}.pdf", f"/events/{event}/print/{kind}.pdf")

    def do_households_officer(self) -> None:
        rng = self.rng
        choice = rng.random()
        if choice < 0.35:
            html = self.get("households search by name", f"/households/?q={quote_plus(rng.choice(NAMES))}",
                            headers={"HX-Request": "true", "HX-Target": "results"})
            ids = HOUSEHOLD_RE.findall(html)
            if ids and rng.random() < 0.7:
                self.get("household page", f"/households/{rng.choice(ids)}")
        elif choice < 0.5:
            page = self.get("households page", "/households/")
            self.post_form("households search by phone (POST)", "/households/search", page,
                           {"q": rng.choice(self.data["phones"])},
                           headers={"HX-Request": "true", "HX-Target": "results"})
        elif choice < 0.65:
            self.get("due list", "/households/due?kind=" + rng.choice(("paid_until", "stopped", "bhyt_expiring")))
        elif choice < 0.8:
            self.get("household page", f"/households/{rng.choice(self.data['households'][self.account['office_id']])}")
        else:
            self.get("home dashboard", "/")

    def do_province_officer(self) -> None:
        rng = self.rng
        campaign = self.data["campaign_id"]
        choice = rng.random()
        if choice < 0.25:
            self.get("home dashboard", "/")
        elif choice < 0.45:
            self.get("campaign report", f"/reports/campaigns/{campaign}")
        elif choice < 0.6:
            self.get("campaign page", f"/campaigns/{campaign}")
        elif choice < 0.7:
            self.get("campaign targets", f"/campaigns/{campaign}/targets")
        elif choice < 0.8:
            self.get("campaigns list", "/campaigns/")
        elif choice < 0.99:
            self.get("events list", "/events/")
        else:
            self.get("print communes report.pdf", f"/reports/campaigns/{campaign}/communes.pdf")

    def do_agent(self) -> None:
        rng = self.rng
        html = self.get("agent: my work (phone)", "/my")
        assignments = ASSIGNMENT_RE.findall(html)
        if not assignments:
            return
        self.pause()
        assignment = rng.choice(assignments)
        page = self.get("agent: visit form (phone)", f"/my/assignments/{assignment}")
        self.pause()
        outcome = rng.choice(("consulted", "not_home", "interested", "invited", "declined"))
        fields = {"outcome": outcome, "person_id": "0", "note": ""}
        if outcome == "invited":
            fields["expected_attendees"] = str(rng.randint(1, 3))
        if outcome == "declined":
            fields["decline_reason"] = rng.choice(("no_money", "not_interested", "away"))
        status, headers, _text = self.post_form("agent: record outcome (POST)", f"/my/assignments/{assignment}",
                                                page, fields, expect=(303, 409))
        if status == 303:
            self.get("agent: my work (phone)", _path(headers.get("Location", "/my")))

    def do_check_in(self) -> None:
        rng = self.rng
        event = self.account["event_id"]
        if self.account.get("page") is None or rng.random() < 0.1:
            self.account["page"] = self.get("attendance page", f"/events/{event}/attendance")
        pending = self.account["pending"]
        if not pending:
            self.get("attendance count (htmx)", f"/events/{event}/attendance/count", headers={"HX-Request": "true"})
            return
        invitation = pending.pop()
        self.post_form("check-in (POST)", f"/events/{event}/attendance/check-in", self.account["page"],
                       {"invitation_id": str(invitation), "submission_key": secrets.token_urlsafe(12)},
                       headers={"HX-Request": "true", "HX-Target": "attendance-list"}, expect=(200, 303))
        if rng.random() < 0.3:
            self.get("attendance count (htmx)", f"/events/{event}/attendance/count", headers={"HX-Request": "true"})

    def think_time(self) -> float:
        return self.data.get("think_of", {}).get(self.role, self.data["think"])

    def pause(self) -> None:
        think = self.think_time()
        if think > 0:
            time.sleep(self.rng.uniform(think * 0.5, think * 1.5))

    def arrive(self) -> None:
        """Wait a random part of one pause before the first page. People already at work are each somewhere in
        their own pause when the measurement begins, so their next pages come spread over one pause (as often
        in those first seconds as later on). Without this all the users ask for a page in the same instant,
        which no population of phones does: with 200 users that burst alone queued 200 requests behind the two
        workers and made every page type's maximum 4-6 s."""
        think = self.think_time()
        if think > 0:
            time.sleep(self.rng.uniform(0, think))


STATUSES = ("closed", "results_entered", "held", "scheduled")


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def hidden_fields(html: str) -> dict:
    """The hidden inputs (CSRF token, version, submission key) of the first form on a page."""
    fields = {}
    for tag in HIDDEN_RE.findall(html):
        attrs = dict(ATTR_RE.findall(tag))
        if "name" in attrs and attrs["name"] not in fields:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


# --- the database ------------------------------------------------------------------------------------------

def prepare(url: str, scale: float, rebuild: bool) -> dict:
    """Build the data unless it is there; return what the users need."""
    os.environ["PORTAL_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="portal-load-")
    if url.startswith("postgresql"):
        _create_database(url)
    import load_data
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from bench._bulk import end_build
    from portal import create_app
    from portal.auth.models import User
    from portal.events.models import Event
    from portal.extensions import db
    from portal.geo.models import Commune
    from portal.households.models import Household
    from portal.results.models import Invitation

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-" + "x" * 40})
    with app.app_context():
        upgrade()
        present = db.session.scalar(select(func.count()).select_from(User).where(User.username.like("load-%")))
        if rebuild or not present:
            db.session.close()
            downgrade(revision="base")
            upgrade()
            started = time.perf_counter()
            print(f"building the province (scale {scale}) …", flush=True)
            load_data.build(scale)
            end_build()
            db.session.close()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
            print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
        info = load_data.facts()
        events = db.session.execute(select(Event.id, Event.organiser_office_id, Event.status)).all()
        info["events"] = [{"id": e, "office_id": o, "status": s} for e, o, s in events]
        info["households"] = {}
        for account in info["users"]["local_officer"]:
            office = account["office_id"]
            info["households"][office] = list(db.session.scalars(
                select(Household.id).join(Commune, Commune.id == Household.commune_id)
                .where(Commune.office_id == office, Household.id % 97 == 0).limit(300)))
        info["invitations"] = {}
        for event in info["today_events"]:
            info["invitations"][event["id"]] = list(db.session.scalars(
                select(Invitation.id).where(Invitation.event_id == event["id"]).order_by(Invitation.id)))
        households = db.session.scalar(select(func.count()).select_from(Household))
        info["summary"] = (f"{households:,} households, {info['people']:,} people, {len(events)} events; "
                           f"{db.engine.dialect.name} {db.engine.url.render_as_string(hide_password=True)}")
        db.engine.dispose()
    return info


def prepare_beside(url: str, info: dict, letters: int) -> int | None:
    """The event of the first local officer's office whose letters are printed beside the load (when asked),
    and the commune and hamlet the big import is for."""
    from portal import create_app
    from portal.extensions import db
    from portal.geo.models import Commune, Hamlet

    office = info["users"]["local_officer"][0]["office_id"]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-" + "x" * 40})
    with app.app_context():
        event = load_beside.ensure_letters_event(office, letters) if letters else None
        commune = db.session.scalar(db.select(Commune).where(Commune.office_id == office).order_by(Commune.id))
        info["beside_commune"] = commune.id
        info["beside_hamlet"] = db.session.scalar(db.select(Hamlet.name).where(Hamlet.commune_id == commune.id)
                                                  .order_by(Hamlet.id))
        db.engine.dispose()
    return event


def start_rq_worker(url: str, server) -> object:
    """An RQ worker for the print jobs (REDIS_URL), with the web's settings."""
    import subprocess

    env = {**server.env, "REDIS_URL": os.environ["REDIS_URL"]}
    return subprocess.Popen([str(BIN / "flask"), "--app", "portal", "worker"], cwd=ROOT, env=env)


def _create_database(url: str) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    server, name = plain.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --- gunicorn and its memory --------------------------------------------------------------------------------

class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py in production mode (on ``port``, or a random one).

    ``name`` tells the instances apart in the logs (``access.log``, ``access-pdf.log``...); ``env`` adds to the
    environment (the print gunicorn's ``GUNICORN_TIMEOUT``). Two instances given the same ``secret_key`` accept
    each other's sessions, as two units of one server do."""

    def __init__(self, url: str, workers: int | None, log_dir: Path, nice: int = 0, *, port: int | None = None,
                 name: str = "", env: dict | None = None, secret_key: str | None = None):
        self.port = port or free_port()
        self.name = name
        suffix = f"-{name}" if name else ""
        env = {**os.environ, "DATABASE_URL": url, "PORTAL_ENV": "production",
               "SECRET_KEY": secret_key or secrets.token_urlsafe(48), "PORTAL_INSTANCE_PATH": str(log_dir),
               "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_MAX_REQUESTS": "0",
               "GUNICORN_ACCESS_LOG": str(log_dir / f"access{suffix}.log"),
               "GUNICORN_ERROR_LOG": str(log_dir / f"error{suffix}.log"), "BENCH_TIMING_DIR": str(log_dir),
               **(env or {})}
        if workers:
            env["GUNICORN_WORKERS"] = str(workers)
        self.env = env
        self.log_dir = log_dir
        # deploy/gunicorn.conf.py itself, with two hooks that note when a worker took and finished each request
        command = [str(BIN / "gunicorn"), "-c", "bench/gunicorn_timing.conf.py", "wsgi:app"]
        if nice:
            command = ["nice", "-n", str(nice), *command]
        self.process = __import__("subprocess").Popen(command, cwd=ROOT, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _h, _t = Browser(self.port).request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start: see " + str(log_dir / f"error{suffix}.log"))

    def workers(self) -> list[int]:
        """The worker processes' ids (children of the master)."""
        return children_of(self.process.pid)

    def stop(self) -> None:
        """A graceful stop (TERM); what still runs after gunicorn's graceful timeout and a little more (a worker
        laying out a long PDF, its render processes) is killed, so that the report still comes."""
        import subprocess

        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            for pid in descendants_of(self.process.pid):
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            self.process.kill()
            self.process.wait(timeout=10)
            print(f"gunicorn{' ' + self.name if self.name else ''} did not stop within 40 s: killed", flush=True)


def children_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in children.read_text().split()]
    except OSError:
        return []


def descendants_of(pid: int) -> list[int]:
    """Every process below ``pid`` (a worker's render pool and its resource tracker, say)."""
    found, todo = [], children_of(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo += children_of(child)
    return found


def runqueue_seconds(pid: int) -> float:
    """Seconds the threads of a process have spent runnable but waiting for a CPU (/proc/PID/task/*/schedstat:
    on CPU, waiting on a run queue, slices)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_of(pid: int) -> tuple[int, int] | None:
    """RSS and PSS of a process in KiB (PSS shares the pages workers inherit from the master fairly)."""
    rss = pss = None
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        return None
    return (rss or 0, pss or 0)


class MemorySampler(threading.Thread):
    """Every few seconds: each worker's RSS and PSS, and the sum over the processes the workers started (the
    render pools that lay out PDFs)."""

    def __init__(self, server: Gunicorn, every: float):
        super().__init__(daemon=True)
        self.server = server
        self.every = every
        self.samples: list[tuple[float, dict[int, tuple[int, int]]]] = []
        #: (RSS sum, PSS sum, count) of the workers' own child processes at each sample, KiB.
        self.helpers: list[tuple[int, int, int]] = []
        #: The machine's 1-minute load average at each sample (other programs share the cores).
        self.load: list[float] = []
        self.stopped = threading.Event()
        self.started_at = time.perf_counter()
        #: CPU seconds used by each worker (last value seen), to give the cost of a request without queueing.
        self.cpu: dict[int, float] = {}
        self.cpu_at_start: dict[int, float] = {}
        #: Seconds each worker waited for a CPU while it had work (run queue), to tell a busy machine.
        self.wait: dict[int, float] = {}
        self.wait_at_start: dict[int, float] = {}
        #: The same for the workers' child processes (those started during the run from 0).
        self.helper_cpu: dict[int, float] = {}
        self.helper_cpu_at_start: dict[int, float] = {}

    def run(self) -> None:
        while not self.stopped.is_set():
            sample = {}
            helpers = [0, 0, 0]
            for pid in self.server.workers():
                memory = memory_of(pid)
                if memory:
                    sample[pid] = memory
                    self.cpu[pid] = cpu_seconds(pid)
                    self.wait[pid] = runqueue_seconds(pid)
                    self.wait_at_start.setdefault(pid, self.wait[pid])
                    self.cpu_at_start.setdefault(pid, self.cpu[pid])
                for child in descendants_of(pid):
                    memory = memory_of(child)
                    if memory:
                        helpers = [helpers[0] + memory[0], helpers[1] + memory[1], helpers[2] + 1]
                        self.helper_cpu[child] = cpu_seconds(child)
                        self.helper_cpu_at_start.setdefault(child, self.helper_cpu[child] if not self.samples
                                                            else 0.0)
            self.samples.append((time.perf_counter() - self.started_at, sample))
            self.helpers.append(tuple(helpers))
            try:
                self.load.append(float(Path("/proc/loadavg").read_text().split()[0]))
            except (OSError, ValueError):
                pass
            self.stopped.wait(self.every)

    def worker_wait(self) -> float:
        return sum(self.wait[p] - self.wait_at_start[p] for p in self.wait)

    def worker_cpu(self) -> float:
        return sum(self.cpu[p] - self.cpu_at_start[p] for p in self.cpu)

    def helpers_cpu(self) -> float:
        return sum(self.helper_cpu[p] - self.helper_cpu_at_start[p] for p in self.helper_cpu)


# --- the run ------------------------------------------------------------------------------------------------

OFFICE_MIX = (("events_officer", 0.3), ("households_officer", 0.2), ("province_officer", 0.15), ("agent", 0.25),
              ("check_in", 0.1))


def make_users(info: dict, count: int, port: int, stats: Stats, seed: int, user_class: type = None,
               shares=OFFICE_MIX, pdf_port: int | None = None) -> list[User]:
    """The mix: of 20 users, 6 browse events, 4 search households, 3 watch the campaign, 5 agents, 2 check in
    (or the ``shares`` given)."""
    accounts = info["users"]
    plan = []
    for role, share in shares:
        plan += [role] * max(1, round(count * share))
    plan = plan[:count]
    users = []
    local = accounts["local_officer"]
    today = {e["office_id"]: e["id"] for e in info["today_events"]}
    for n, role in enumerate(plan):
        rng = random.Random(seed + n)
        if role in ("events_officer", "households_officer"):
            account = dict(local[n % len(local)])
        elif role == "province_officer":
            account = dict(accounts["province_officer"][n % len(accounts["province_officer"])])
        elif role == "agent":
            account = dict(accounts["agent"][n % len(accounts["agent"])])
        else:
            account = dict(local[n % len(local)])
            offices_today = [e for e in info["today_events"] if e["office_id"] == account["office_id"]]
            event = offices_today[n % len(offices_today)]["id"] if offices_today else today[account["office_id"]]
            account["event_id"] = event
            account["pending"] = list(reversed(info["invitations"][event]))
        users.append((user_class or User)(role, account, port, info, stats, rng, pdf_port=pdf_port))
    return users


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(len(ordered) * p / 100)) - 1))]


def report(stats: Stats, elapsed: float, sampler: MemorySampler, users: int, think: str, info: dict,
           topology: str, pdf_sampler: MemorySampler | None = None) -> bool:
    total = sum(len(v) for v in stats.durations.values())
    errors = sum(len(v) for v in stats.errors.values())
    print(f"\n{info['summary']}")
    print(topology)
    print(f"{users} users, think time ~{think}")
    print(f"{total} requests in {elapsed:.0f} s: {total / elapsed:.1f} requests/s; errors: {errors}")
    worker_cpu = sampler.worker_cpu()
    client_cpu = sum(os.times()[:2])
    pages_served = sum(len(v) for k, v in stats.durations.items() if not (pdf_sampler and k.startswith("print")))
    print(f"CPU used: page gunicorn's workers {worker_cpu:.0f} s ({worker_cpu * 1000 / max(pages_served, 1):.0f} ms "
          f"per request they served, {worker_cpu / elapsed:.2f} cores), their render processes "
          f"{sampler.helpers_cpu():.0f} s", end="")
    if pdf_sampler is not None:
        pdf_cpu = pdf_sampler.worker_cpu()
        print(f"; print gunicorn's workers {pdf_cpu:.0f} s, their render processes {pdf_sampler.helpers_cpu():.0f} s",
              end="")
    print(f"; the load test's client {client_cpu:.0f} s")
    print(f"page gunicorn's workers waited {sampler.worker_wait():.0f} s for a CPU while they had work (run queue, "
          f"/proc/PID/schedstat), beside their {worker_cpu:.0f} s on one: more than that is a machine short of cores")
    if sampler.load:
        print(f"machine load average during the run: min {min(sampler.load):.1f}, mean "
              f"{statistics.mean(sampler.load):.1f}, max {max(sampler.load):.1f} on {os.cpu_count()} cores "
              "(the load test's own client counts too)")
    print()
    print(f"  {'page':<40} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    ok = errors == 0
    for label in sorted(stats.durations, key=lambda k: (k.startswith("print"), k)):
        values = stats.durations[label]
        p95 = percentile(values, 95)
        is_page = not label.startswith("print")
        flag = ""
        if is_page and p95 >= TARGET_MS:
            flag = "  <-- p95 over target"
            ok = False
        print(f"  {label:<40} {len(values):>6} {statistics.median(values):>8.0f} {p95:>8.0f} "
              f"{percentile(values, 99):>8.0f} {max(values):>8.0f} {len(stats.errors.get(label, [])):>6}{flag}")
    pages = [v for k, vs in stats.durations.items() if not k.startswith("print") for v in vs]
    if pages:
        print(f"  {'all pages':<40} {len(pages):>6} {statistics.median(pages):>8.0f} {percentile(pages, 95):>8.0f} "
              f"{percentile(pages, 99):>8.0f} {max(pages):>8.0f}")
    prints = [v for k, vs in stats.durations.items() if k.startswith("print") for v in vs]
    if prints:
        where = "print gunicorn" if pdf_sampler is not None else "page workers"
        print(f"  {'all prints (' + where + ')':<40} {len(prints):>6} "
              f"{statistics.median(prints):>8.0f} {percentile(prints, 95):>8.0f} {percentile(prints, 99):>8.0f} "
              f"{max(prints):>8.0f}")
    for label, problems in stats.errors.items():
        shown = ", ".join(sorted(set(problems))[:3])
        print(f"  errors on {label}: {shown}")
    ok &= memory_report(sampler, "page gunicorn" if pdf_sampler is not None else "gunicorn")
    if pdf_sampler is not None:
        memory_report(pdf_sampler, "print gunicorn (*.pdf)", "reported apart, not held to the target")
    print("\nRESULT:", "ok" if ok else "PROBLEM", f"(targets: p95 < {TARGET_MS} ms for pages, 0 errors, "
          "page workers' memory stable)")
    return ok


#: The time a request spent in a worker, at the end of an access log line (deploy/gunicorn.conf.py's format).
_ACCESS_TIME = re.compile(r'"(?:GET|POST) (\S+) [^"]*" \d+ \S+ (\d+)ms')


def worker_times(access_log: Path) -> None:
    """The pages' time inside a gunicorn worker (its access log), beside the client's: what the client waited
    beyond it was spent before a worker took the request (or in the client)."""
    if not access_log.exists():
        return
    times = [int(m.group(2)) for line in access_log.read_text(errors="replace").splitlines()
             if (m := _ACCESS_TIME.search(line)) and not m.group(1).startswith("/healthz")]
    if not times:
        return
    over = sum(1 for t in times if t >= TARGET_MS)
    print(f"\npages' time inside a worker (gunicorn's access log): {len(times)} requests, p50 "
          f"{statistics.median(times):.0f} ms, p95 {percentile(times, 95):.0f} ms, p99 {percentile(times, 99):.0f} ms, "
          f"max {max(times)} ms; {over} ({over * 100 / len(times):.1f}%) at or over {TARGET_MS} ms. The client's "
          "time beyond this was spent before a worker took the request, or in the client.")


def memory_report(sampler: MemorySampler, title: str = "gunicorn", note: str = "") -> bool:
    samples = [(t, s) for t, s in sampler.samples if s]
    if not samples:
        print(f"\n{title}: workers' memory: no samples")
        return True
    helpers = [h for (_t, s), h in zip(sampler.samples, sampler.helpers, strict=True) if s]
    print(f"\n{title}: workers' memory{f' ({note})' if note else ''}, sampled every {sampler.every:g} s, MiB; PSS "
          "counts shared pages once; render: the processes the workers started, which lay out PDFs:")
    print(f"  {'t (s)':>6} {'workers':>7} {'RSS sum':>8} {'RSS max':>8} {'PSS sum':>8} {'render':>7} {'its RSS':>8} "
          f"{'its PSS':>8}")
    step = max(1, len(samples) // 12)
    shown = list(range(0, len(samples), step)) + ([len(samples) - 1] if (len(samples) - 1) % step else [])
    for index in shown:
        t, sample = samples[index]
        rss = [m[0] for m in sample.values()]
        pss = [m[1] for m in sample.values()]
        h_rss, h_pss, h_count = helpers[index]
        print(f"  {t:>6.0f} {len(sample):>7} {sum(rss) / 1024:>8.1f} {max(rss) / 1024:>8.1f} {sum(pss) / 1024:>8.1f} "
              f"{h_count:>7} {h_rss / 1024:>8.1f} {h_pss / 1024:>8.1f}")
    pids = {pid for _t, s in samples for pid in s}
    first = samples[0][1]
    # Stable: the workers' total RSS in the last quarter of the run is within 5% of the second quarter's
    # (after warm-up: templates compiled, fonts loaded, connection pools filled). Medians, so that a worker
    # holding a big PDF for a few seconds does not decide it.
    n = len(samples)
    second = [sum(m[0] for m in s.values()) / 1024 for _t, s in samples[n // 4: n // 2] or samples]
    last = [sum(m[0] for m in s.values()) / 1024 for _t, s in samples[3 * n // 4:] or samples]
    before, after = statistics.median(second), statistics.median(last)
    growth = after - before
    stable = growth <= max(0.05 * before, 5)
    print(f"  worker processes seen: {len(pids)} (replaced: {len(pids) - len(first)}); total RSS, median of the "
          f"second quarter {before:.0f} MiB, of the last quarter {after:.0f} MiB: {growth:+.0f} MiB -> "
          f"{'stable' if stable else 'GROWING'} (limit +5%); render processes at most "
          f"{max(h[2] for h in helpers)}, {max(h[0] for h in helpers) / 1024:.0f} MiB RSS")
    return stable


def worker_kind(env: dict) -> str:
    """What deploy/gunicorn.conf.py makes of a gunicorn's environment: "sync workers" or "gthread workers of 4
    threads"."""
    import runpy
    from unittest import mock

    with mock.patch.dict(os.environ, env, clear=True):
        settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    if settings["worker_class"] == "gthread":
        return f"gthread workers of {settings['threads']} threads"
    return f"{settings['worker_class']} workers"


def topology_line(server: Gunicorn, workers: int, pdf_server: Gunicorn | None, nice: int) -> str:
    """What served the run, for the report."""
    niceness = f" at niceness {nice}" if nice else ""
    if pdf_server is None:
        return (f"topology: one gunicorn (deploy/gunicorn.conf.py, production mode{niceness}) of {workers} "
                f"{worker_kind(server.env)} serves pages and PDFs alike (--pdf-workers 0)")
    pdf_kind = worker_kind(pdf_server.env)
    return (f"topology: pages on gunicorn :{server.port} ({workers} {worker_kind(server.env)}); every *.pdf on a "
            f"second gunicorn :{pdf_server.port} ({len(pdf_server.workers())} {pdf_kind}, GUNICORN_TIMEOUT=120), "
            "chosen by the path as nginx's `location ~ \\.pdf$` does (docs/operations.md, \"Keeping prints away "
            f"from pages\"); both deploy/gunicorn.conf.py, production mode{niceness}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 250,000 households")
    parser.add_argument("--rebuild", action="store_true", help="drop and build the data again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--duration", type=float, default=600, help="seconds of load (default 600)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between two pages, seconds")
    parser.add_argument("--workers", type=int, default=None, help="default: deploy/gunicorn.conf.py's")
    parser.add_argument("--sample", type=float, default=5.0, help="memory sampling period, seconds")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--mix", choices=("office", "field"), default="office",
                        help="field: mostly agents on phones, pauses per role as in the field")
    parser.add_argument("--beside-import", type=float, default=0, metavar="MB",
                        help="an officer uploads a household file of this size again and again")
    parser.add_argument("--beside-import-confirm", type=int, default=0, metavar="N",
                        help="confirm every N-th of those imports (the others are cancelled); 0: never")
    parser.add_argument("--beside-letters", type=int, default=0, metavar="N",
                        help="an officer prints an N-letter invitation job again and again")
    parser.add_argument("--pdf-workers", type=int, default=2, metavar="N",
                        help="serve *.pdf from a second gunicorn of N workers (timeout 120 s) as docs/operations.md "
                             "(\"Keeping prints away from pages\") tells nginx to; 0: one gunicorn serves everything")
    parser.add_argument("--port", type=int, default=0,
                        help="the page gunicorn's port (the print gunicorn's is the next one); default: free ones")
    parser.add_argument("--start-together", action="store_true",
                        help="every user asks for a first page at the same instant (a burst; earlier versions did "
                             "this); by default each first waits a random part of one pause, as at any moment of a "
                             "working day")
    parser.add_argument("--nice", type=int, default=0,
                        help="run gunicorn at this niceness (e.g. -10 as root on a machine others share)")
    args = parser.parse_args()

    info = prepare(args.database_url, args.scale, args.rebuild)
    print(info["summary"], flush=True)
    if args.build_only:
        return
    info["think"] = args.think
    shares = OFFICE_MIX
    if args.mix == "field":
        shares = [(role, share) for role, share, _t in load_beside.FIELD_MIX]
        info["think_of"] = {role: think for role, _s, think in load_beside.FIELD_MIX}
    letters_event = None
    if args.beside_letters or args.beside_import:
        letters_event = prepare_beside(args.database_url, info, args.beside_letters)
    log_dir = Path(tempfile.mkdtemp(prefix="portal-load-logs-"))
    secret_key = secrets.token_urlsafe(48)  # one key: a session from the page gunicorn is good at the print one
    server = Gunicorn(args.database_url, args.workers, log_dir, args.nice, port=args.port or None,
                      secret_key=secret_key)
    pdf_server = None
    try:
        if args.pdf_workers:
            pdf_server = Gunicorn(args.database_url, args.pdf_workers, log_dir, args.nice,
                                  port=args.port + 1 if args.port else None, name="pdf",
                                  env={"GUNICORN_TIMEOUT": "120", "GUNICORN_THREADS": "1"},
                                  secret_key=secret_key)
    except Exception:
        server.stop()
        raise
    pdf_port = pdf_server.port if pdf_server else None
    rq_worker = start_rq_worker(args.database_url, server) if os.environ.get("REDIS_URL") else None
    workers = len(server.workers())
    topology = topology_line(server, workers, pdf_server, args.nice)
    print(topology, flush=True)
    stats = Stats()
    users = make_users(info, args.users, server.port, stats, args.seed, shares=shares, pdf_port=pdf_port)
    besides: list[load_beside.Beside] = []
    try:
        for user in users:
            user.login()
        sampler = MemorySampler(server, args.sample)
        sampler.start()
        stalls = load_timing.StallMonitor()
        stalls.start()
        queues = load_timing.AcceptQueueSampler([server.port] + ([pdf_port] if pdf_port else []))
        queues.start()
        net_before = load_timing.nstat()
        pdf_sampler = MemorySampler(pdf_server, args.sample) if pdf_server else None
        if pdf_sampler:
            pdf_sampler.start()
        deadline = time.perf_counter() + args.duration
        started = time.perf_counter()
        officer = dict(info["users"]["local_officer"][0])
        if args.beside_import:
            importer = User("beside", officer, server.port, info, Stats(), random.Random(1), pdf_port=pdf_port)
            importer.login()
            besides.append(load_beside.ImportBeside(importer, stats, deadline, args.beside_import,
                                                    info["beside_commune"], info["beside_hamlet"],
                                                    confirm_every=args.beside_import_confirm))
        if letters_event:
            printer = User("beside", officer, server.port, info, Stats(), random.Random(2), pdf_port=pdf_port)
            printer.login()
            besides.append(load_beside.LettersBeside(printer, stats, deadline, letters_event, args.beside_letters))
        for beside in besides:
            beside.start()

        def run(user: User) -> None:
            if not args.start_together:
                user.arrive()
            while time.perf_counter() < deadline:
                try:
                    user.act()
                except Exception as exc:  # noqa: BLE001 - counted as an error, the user goes on
                    stats.add("client error", 0.0, f"{type(exc).__name__}: {exc}")
                user.pause()

        threads = [threading.Thread(target=run, args=(u,), daemon=True) for u in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.duration + 120)
        elapsed = time.perf_counter() - started
        net_after = load_timing.nstat()
        for each in (sampler, pdf_sampler, stalls, queues):
            if each is not None:
                each.stopped.set()
                each.join(10)
        for beside in besides:
            beside.join(900)
    finally:
        server.stop()
        if pdf_server is not None:
            pdf_server.stop()
        if rq_worker is not None:
            rq_worker.terminate()
            rq_worker.wait(timeout=30)
    think = f"{args.think:g}" if args.mix == "office" else "per role " + ", ".join(
        f"{role} {t:g}" for role, _s, t in load_beside.FIELD_MIX)
    think += (" s; every user's first page at the same instant (--start-together)" if args.start_together
              else "; each user's first page after a random part of one pause")
    ok = report(stats, elapsed, sampler, len(users), think, info, topology, pdf_sampler)
    worker_times(Path(log_dir) / "access.log")
    page_ids = [i for label, ids in stats.ids.items() if not label.startswith("print") for i in ids]
    load_timing.report_split("pages", page_ids, log_dir, TARGET_MS)
    load_timing.report_memory_steps("gunicorn workers", log_dir)
    stalls.report()
    queues.report()
    load_timing.report_nstat(net_before, net_after)
    load_beside.report(besides)
    if args.nice:
        print(f"gunicorn ran at niceness {args.nice}")
    print(f"gunicorn logs: {log_dir}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
