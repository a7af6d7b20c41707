"""Losing a web host under load: the cluster rehearsal (deploy/cluster.sh: two gunicorn hosts, one RQ worker,
PostgreSQL, Redis, HAProxy) with bench/load.py's users working against the balancer, one host killed with
SIGKILL part-way and started again later.

Each simulated user signs in once and keeps its cookie for the whole run. A request that fails (connection
refused or reset, or a 502/503/504 from the balancer) is tried once more a second later, as a person would;
what still fails counts as an error. After the run every write the users saw succeed (agents' visit outcomes,
check-ins) is looked for in the database, and every answer that sent a user back to the sign-in page counts
as a lost session. It prints, before the kill, while one host is down and after it is back: requests,
throughput, errors, requests that succeeded on the second try, p50/p95 of pages, and the machine's load.

    .venv/bin/python bench/failover.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_x
    .venv/bin/python bench/failover.py --duration 120 --kill-at 40 --revive-at 80     # a short rehearsal
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT  # noqa: E402
from load import DEFAULT_URL, Stats, User, make_users, percentile, prepare  # noqa: E402

RETRIED_STATUSES = (502, 503, 504)
GROUPS = ("host-a", "host-b", "worker-c")


def group_cpu(cluster_dir: str) -> dict[str, float]:
    """CPU seconds used so far by each host's processes (its process group, children that ended included)."""
    leaders = {}
    for name in GROUPS:
        try:
            leaders[int(Path(cluster_dir, f"{name}.pid").read_text())] = name
        except (OSError, ValueError):
            continue
    used = dict.fromkeys(GROUPS, 0.0)
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = leaders.get(int(fields[2]))  # the process group
        if name:
            used[name] += sum(int(v) for v in fields[11:15]) / tick
    return used


class Ledger:
    """Every request with its phase, and the writes and sessions to check afterwards."""

    def __init__(self, kill_at: float, revive_at: float):
        self.lock = threading.Lock()
        self.kill_at, self.revive_at = kill_at, revive_at
        self.started = time.perf_counter()
        self.rows: list[tuple[str, str, float, bool, bool]] = []  # phase, label, ms, ok, retried
        self.problems: dict[tuple[str, str, str], int] = defaultdict(int)  # (phase, label, problem) -> count
        self.outcomes: dict[int, list[tuple[float, str]]] = defaultdict(list)  # assignment -> (when, outcome)
        self.check_ins: set[int] = set()
        self.lost_sessions: list[str] = []
        self.load: dict[str, list[float]] = defaultdict(list)
        #: CPU seconds each host used in each phase.
        self.cpu: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(GROUPS, 0.0))

    def phase(self, at: float | None = None) -> str:
        at = (time.perf_counter() if at is None else at) - self.started
        if at < self.kill_at:
            return "before"
        return "during" if at < self.revive_at else "after"

    def add(self, phase: str, label: str, ms: float, ok: bool, retried: bool) -> None:
        with self.lock:
            self.rows.append((phase, label, ms, ok, retried))


class ClusterUser(User):
    """A load user that tries a failed request once more and notes what it wrote."""

    ledger: Ledger

    def call(self, label, method, path, form=None, headers=None, expect=(200,)):
        started = time.perf_counter()
        phase = self.ledger.phase(started)
        retried = False
        for attempt in (1, 2):
            try:
                status, response_headers, text = self.browser.request(method, path, form,
                                                                      {**self.headers, **(headers or {})})
            except OSError as exc:
                status, response_headers, text, problem = 0, {}, "", f"{type(exc).__name__}"
            else:
                problem = None if status in expect else f"HTTP {status} for {method} {path.split('?')[0]}"
            if (status == 0 or status in RETRIED_STATUSES) and attempt == 1:
                retried = True
                time.sleep(1.0)  # the person reads the error and tries again
                continue
            break
        ms = (time.perf_counter() - started) * 1000
        location = response_headers.get("Location", "") + response_headers.get("HX-Redirect", "")
        if "/login" in location:
            with self.ledger.lock:
                self.ledger.lost_sessions.append(f"{self.account['username']} {method} {path.split('?')[0]}")
            problem = problem or "sent to the sign-in page"
        self.stats.add(label, ms, problem)
        self.ledger.add(phase, label, ms, problem is None, retried)
        if problem:
            with self.ledger.lock:
                self.ledger.problems[(phase, label, problem.split(" for ")[0])] += 1
        if problem is None and method == "POST":
            self._note_write(path, form or {}, status)
        return status, response_headers, text

    def _note_write(self, path: str, form: dict, status: int) -> None:
        if path.startswith("/my/assignments/") and status == 303:
            assignment = int(path.rsplit("/", 1)[1])
            with self.ledger.lock:
                self.ledger.outcomes[assignment].append((time.perf_counter(), form["outcome"]))
        elif path.endswith("/attendance/check-in"):
            with self.ledger.lock:
                self.ledger.check_ins.add(int(form["invitation_id"]))


def cluster(command: str, *args: str, env: dict) -> None:
    subprocess.run(["bash", "deploy/cluster.sh", command, *args], cwd=ROOT, env=env, check=True)


def verify_writes(url: str, ledger: Ledger) -> tuple[int, list[str]]:
    """Each acknowledged write, looked up in the database: (how many were checked, what is missing)."""
    import psycopg

    missing = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for assignment, writes in ledger.outcomes.items():
            last = max(writes)[1]
            stored = conn.execute("SELECT outcome FROM visit_assignments WHERE id = %s", (assignment,)).fetchone()
            if stored is None or stored[0] != last:
                missing.append(f"assignment {assignment}: wrote {last!r}, database has {stored and stored[0]!r}")
        if ledger.check_ins:
            found = {row[0] for row in conn.execute("SELECT invitation_id FROM attendances WHERE invitation_id "
                                                    "= ANY(%s)", (list(ledger.check_ins),))}
            missing += [f"check-in of invitation {i}" for i in sorted(ledger.check_ins - found)]
    return len(ledger.outcomes) + len(ledger.check_ins), missing


def measure_worker(info: dict, port: int, url: str, cluster_dir: str, count: int) -> None:
    """Print runs through the RQ worker: every invitation letter of up to ``count`` of today's events."""
    import re

    import psycopg
    from load import LoadBrowser
    from load_data import PASSWORD

    events = info["today_events"]
    office = events[0]["office_id"]
    account = next(a for a in info["users"]["local_officer"] if a["office_id"] == office)
    browser = LoadBrowser(port)
    browser.login(account["username"], PASSWORD)
    before = group_cpu(cluster_dir)["worker-c"]
    started = time.perf_counter()
    jobs = []
    for event in [e for e in events if e["office_id"] == office][:count]:
        _s, _h, page = browser.request("GET", f"/events/{event['id']}/documents")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, headers, _t = browser.request("POST", f"/events/{event['id']}/print/invitations-job",
                                              {"csrf_token": token})
        jobs.append(int(headers.get("Location", "/0").rstrip("/").rsplit("/", 1)[1]))
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    while True:
        with psycopg.connect(plain) as conn:
            rows = conn.execute("SELECT status, progress_total, started_at, finished_at, result_size FROM jobs "
                                "WHERE id = ANY(%s)", (jobs,)).fetchall()
        if all(r[0] in ("done", "failed") for r in rows) or time.perf_counter() - started > 900:
            break
        time.sleep(1)
    elapsed = time.perf_counter() - started
    cpu = group_cpu(cluster_dir)["worker-c"] - before
    letters = sum(r[1] for r in rows if r[0] == "done")
    busy = sum((r[3] - r[2]).total_seconds() for r in rows if r[0] == "done")
    print(f"\nworker: {len(rows)} invitation jobs ({[r[0] for r in rows].count('done')} done), {letters} letters, "
          f"{sum(r[4] or 0 for r in rows if r[0] == 'done') / 1024 / 1024:.1f} MiB of PDF in the shared store; "
          f"{elapsed:.0f} s from the first request to the last file, jobs running {busy:.0f} s: "
          f"{letters * 60 / max(busy, 1e-9):.0f} letters a minute; worker CPU {cpu:.0f} s "
          f"({cpu * 1000 / max(letters, 1):.0f} ms a letter); load average {os.getloadavg()[0]:.1f}")


def report(ledger: Ledger, elapsed: float, args, checked: int, missing: list[str]) -> bool:
    spans = {"before": (0, args.kill_at), "during": (args.kill_at, args.revive_at),
             "after": (args.revive_at, elapsed)}
    print(f"\n{args.users} users, think ~{args.think:g} s, {elapsed:.0f} s; host a killed (SIGKILL) at "
          f"{args.kill_at:.0f} s, started again at {args.revive_at:.0f} s")
    print(f"  {'phase':<8} {'seconds':>7} {'requests':>8} {'req/s':>6} {'errors':>6} {'retried ok':>10} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'load avg':>8} {'web CPU ms/req':>14}")
    for phase, (a, b) in spans.items():
        rows = [r for r in ledger.rows if r[0] == phase]
        pages = [r[2] for r in rows if not r[1].startswith("print") and r[3]]
        load = ledger.load.get(phase) or [0.0]
        seconds = max(1e-9, b - a)
        print(f"  {phase:<8} {seconds:>7.0f} {len(rows):>8} {len(rows) / seconds:>6.1f} "
              f"{sum(1 for r in rows if not r[3]):>6} {sum(1 for r in rows if r[4] and r[3]):>10} "
              f"{statistics.median(pages) if pages else 0:>7.0f} {percentile(pages, 95) if pages else 0:>7.0f} "
              f"{statistics.mean(load):>8.1f} "
              f"{(ledger.cpu[phase]['host-a'] + ledger.cpu[phase]['host-b']) * 1000 / max(1, len(rows)):>14.0f}")
    errors = [r for r in ledger.rows if not r[3]]
    for (phase, label, problem), count in sorted(ledger.problems.items()):
        print(f"  failed {phase}: {label}: {problem} x {count}")
    print(f"writes acknowledged to users and checked in the database: {checked}; missing: {len(missing)}")
    for line in missing[:10]:
        print(f"  missing: {line}")
    print(f"sessions lost (answers that sent a signed-in user to the sign-in page): {len(ledger.lost_sessions)}")
    for line in ledger.lost_sessions[:5]:
        print(f"  {line}")
    ok = not missing and not ledger.lost_sessions
    print("\nRESULT:", "ok" if ok else "PROBLEM", f"(no write and no session lost; {len(errors)} requests failed "
          "even on a second try)")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 250,000 households (built if missing)")
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--kill-at", type=float, default=None, help="seconds (default: a third of the run)")
    parser.add_argument("--revive-at", type=float, default=None, help="seconds (default: two thirds)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per web host")
    parser.add_argument("--port", type=int, default=8100, help="the balancer's port (hosts on the next two)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--jobs", type=int, default=3, help="invitation print jobs run through the worker "
                                                             "after the load (0: none)")
    args = parser.parse_args()
    args.kill_at = args.duration / 3 if args.kill_at is None else args.kill_at
    args.revive_at = 2 * args.duration / 3 if args.revive_at is None else args.revive_at

    info = prepare(args.database_url, args.scale, False)
    print(info["summary"], flush=True)
    info["think"] = args.think
    env = {**os.environ, "DATABASE_URL": args.database_url, "CLUSTER_PORT": str(args.port),
           "CLUSTER_DIR": tempfile.mkdtemp(prefix="portal-cluster-"), "GUNICORN_WORKERS": str(args.workers)}
    env.pop("PORTAL_INSTANCE_PATH", None)
    cluster("start", env=env)
    try:
        stats = Stats()
        ledger = Ledger(args.kill_at, args.revive_at)
        ClusterUser.ledger = ledger
        users = make_users(info, args.users, args.port, stats, args.seed, user_class=ClusterUser)
        for user in users:
            user.login()
        ledger.started = time.perf_counter()
        deadline = ledger.started + args.duration
        stop = threading.Event()

        def run(user) -> None:
            while time.perf_counter() < deadline:
                try:
                    user.act()
                except Exception as exc:  # noqa: BLE001 - counted, the user goes on
                    stats.add("client error", 0.0, f"{type(exc).__name__}: {exc}")
                    ledger.add(ledger.phase(), "client error", 0.0, False, False)
                user.pause()

        def sample_load() -> None:
            last = group_cpu(env["CLUSTER_DIR"])
            while not stop.wait(5):
                phase = ledger.phase()
                ledger.load[phase].append(os.getloadavg()[0])
                now = group_cpu(env["CLUSTER_DIR"])
                for name in GROUPS:
                    ledger.cpu[phase][name] += max(0.0, now[name] - last[name])  # a killed host starts from 0
                last = now

        threads = [threading.Thread(target=run, args=(u,), daemon=True) for u in users]
        sampler = threading.Thread(target=sample_load, daemon=True)
        sampler.start()
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, ledger.started + args.kill_at - time.perf_counter()))
        cluster("kill", "a", env=env)
        time.sleep(max(0.0, ledger.started + args.revive_at - time.perf_counter()))
        cluster("revive", "a", env=env)
        for thread in threads:
            thread.join(args.duration + 120)
        elapsed = time.perf_counter() - ledger.started
        stop.set()
        if args.jobs:
            measure_worker(info, args.port, args.database_url, env["CLUSTER_DIR"], args.jobs)
    finally:
        cluster("stop", env=env)
    checked, missing = verify_writes(args.database_url, ledger)
    ok = report(ledger, elapsed, args, checked, missing)
    print(f"cluster logs: {env['CLUSTER_DIR']}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
