"""Where a page's time goes in bench/load.py: every request split into connect, queue, worker and return.

The client tags each request with an ``X-Bench-Id`` header and notes (``time.time()``) when it began, when the
TCP connection was up, when the request was sent, when the first line of the answer came and when the answer
was read. gunicorn, started with bench/gunicorn_timing.conf.py (deploy/gunicorn.conf.py plus two hooks), notes
for that id when a worker took the request and when it had written the answer. Joined:

- connect: the TCP handshake (a full listen queue drops SYNs: retransmitted after 1 s, 3 s, 7 s...);
- queue: request sent -> a worker took it (waiting in the listen queue behind busy workers);
- worker: inside the worker (the application, its database queries, writing the answer);
- return: answer written -> read by the client (the client's thread waiting for the CPU or the GIL).

Beside it: how far the client's own clock-keeping thread overslept (a stalled client delays every request it
times), the listen sockets' accept queues sampled from /proc/net/tcp, and the kernel's TCP counters (nstat:
listen overflows and drops, SYN retransmits) before and after the run.
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import threading
import time
from pathlib import Path

PHASES = ("connect", "queue", "worker", "return")
NSTAT_KEYS = ("TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtTCPSynRetrans", "TcpRetransSegs",
              "TcpExtTCPTimeouts")


class Timeline:
    """The client's times of every request, by id (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.prefix = f"{os.getpid()}-"
        self.counter = itertools.count(1)
        #: id -> (began, connected, sent, first byte, read), seconds since the epoch.
        self.client: dict[str, tuple[float, float, float, float, float]] = {}

    def new_id(self) -> str:
        return self.prefix + str(next(self.counter))

    def add(self, request_id: str, times: tuple[float, float, float, float, float]) -> None:
        with self.lock:
            self.client[request_id] = times


#: The one timeline of this process: LoadBrowser writes every request it makes into it.
TIMELINE = Timeline()


def worker_times(log_dir: Path) -> dict[str, tuple[float, float, float]]:
    """id -> (a worker took it, the worker had written the answer, CPU seconds its thread used meanwhile), from
    every gunicorn's timing files."""
    found = {}
    for path in Path(log_dir).glob("timing-*.log"):
        for line in path.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 3:
                found[parts[0]] = (float(parts[1]), float(parts[2]), float(parts[4]) if len(parts) > 4 else 0.0)
    return found


def split(request_ids: list[str], server: dict[str, tuple[float, float, float]]) -> tuple[dict[str, list[float]], int]:
    """Milliseconds in each phase for the requests of ``request_ids`` the server saw; and how many it did not."""
    phases: dict[str, list[float]] = {name: [] for name in PHASES}
    phases["total"] = []
    phases["worker CPU"] = []
    missing = 0
    for request_id in request_ids:
        client = TIMELINE.client.get(request_id)
        worker = server.get(request_id)
        if client is None or worker is None:
            missing += 1
            continue
        began, connected, sent, _first, read = client
        took, wrote, cpu = worker
        phases["connect"].append((connected - began) * 1000)
        phases["queue"].append((took - sent) * 1000)
        phases["worker"].append((wrote - took) * 1000)
        phases["return"].append((read - wrote) * 1000)
        phases["total"].append((read - began) * 1000)
        phases["worker CPU"].append(cpu * 1000)
    return phases, missing


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(len(ordered) * p / 100)) - 1))]


def report_split(title: str, request_ids: list[str], log_dir: Path, target_ms: float) -> None:
    """The split of the requests of ``request_ids``: p50, p95, max of each phase, and what the slow ones (at or
    over ``target_ms`` in the client) spent their time on."""
    server = worker_times(log_dir)
    phases, missing = split(request_ids, server)
    if not phases["total"]:
        return
    table = Path(log_dir) / f"split-{title.replace(' ', '-')}.tsv"
    with open(table, "w") as out:
        out.write("id\tbegan\tconnected\tsent\tfirst_byte\tread\tworker_took\tworker_wrote\tworker_cpu\n")
        for request_id in request_ids:
            if request_id in TIMELINE.client and request_id in server:
                times = (*TIMELINE.client[request_id], *server[request_id])
                out.write(request_id + "\t" + "\t".join(f"{t:.6f}" for t in times) + "\n")
    print(f"\nwhere the time went, {title}: {len(phases['total'])} requests matched with gunicorn's timing hooks"
          f"{f' ({missing} not: no answer or not seen by a worker)' if missing else ''}; ms")
    print(f"  {'phase':<10} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}   (client clock and worker clock: time.time())")
    for name in (*PHASES, "total", "worker CPU"):
        values = phases[name]
        print(f"  {name:<10} {statistics.median(values):>8.1f} {_pct(values, 95):>8.1f} {_pct(values, 99):>8.1f} "
              f"{max(values):>8.1f}")
    print("  connect: TCP handshake; queue: sent -> a worker took it; worker: took -> answer written; return: "
          "written -> read by the client; worker CPU: the CPU its thread used (the rest of 'worker' it waited for "
          f"the CPU or the database). Every request: {table}")
    slow = [i for i, total in enumerate(phases["total"]) if total >= target_ms]
    if slow:
        sums = {name: sum(phases[name][i] for i in slow) for name in PHASES}
        whole = sum(phases["total"][i] for i in slow) or 1
        shares = ", ".join(f"{name} {sums[name] * 100 / whole:.0f}%" for name in PHASES)
        print(f"  the {len(slow)} requests at or over {target_ms:g} ms spent their time in: {shares}")


def report_memory_steps(title: str, log_dir: Path, step_mib: float = 4.0) -> None:
    """The requests after which a worker's resident memory rose by ``step_mib`` or more, by page (ids in the
    path as N): where a worker that grows took its memory."""
    steps: dict[str, list[float]] = {}
    requests = 0
    for path in Path(log_dir).glob("timing-*.log"):
        rows = []
        for line in path.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 7:
                rows.append((float(parts[2]), int(parts[5]), parts[6]))
        rows.sort()
        requests += len(rows)
        for (_, before, _), (_, after, page) in zip(rows, rows[1:], strict=False):
            if (after - before) / 1024 >= step_mib:
                steps.setdefault(re.sub(r"\d+", "N", page), []).append((after - before) / 1024)
    if not requests:
        return
    grown = sum(sum(v) for v in steps.values())
    print(f"\n{title}: requests after which a worker's memory (RSS) rose by {step_mib:g} MiB or more: "
          f"{sum(len(v) for v in steps.values())} of {requests}, {grown:.0f} MiB in all")
    for page, rises in sorted(steps.items(), key=lambda item: -sum(item[1]))[:10]:
        print(f"  {page:<48} {len(rises):>4} times, {sum(rises):>6.1f} MiB (largest {max(rises):.1f})")


class StallMonitor(threading.Thread):
    """A thread of the client that asks to sleep 10 ms again and again and notes how much longer it slept: the
    time the client could not run (no free CPU, or another thread holding the GIL). Every request the client
    times is late by as much when it falls in such a stall."""

    def __init__(self, step: float = 0.01):
        super().__init__(daemon=True)
        self.step = step
        self.lags: list[float] = []  #: ms overslept, every step
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            before = time.perf_counter()
            time.sleep(self.step)
            self.lags.append(max(0.0, (time.perf_counter() - before - self.step) * 1000))

    def report(self) -> None:
        if not self.lags:
            return
        lags = self.lags
        print(f"the client's own stalls (a thread sleeping {self.step * 1000:g} ms overslept by): p50 "
              f"{statistics.median(lags):.1f} ms, p99 {_pct(lags, 99):.0f} ms, max {max(lags):.0f} ms; "
              f"{sum(1 for v in lags if v >= 100)} times 100 ms or more, {sum(1 for v in lags if v >= 1000)} times 1 s "
              f"or more ({sum(v for v in lags if v >= 100) / 1000:.1f} s in all)")


class AcceptQueueSampler(threading.Thread):
    """The accept queue (connections the kernel completed that no worker has taken yet) of the listening
    sockets on ``ports``, from /proc/net/tcp every ``every`` seconds."""

    def __init__(self, ports: list[int], every: float = 0.2):
        super().__init__(daemon=True)
        self.ports = {f"{port:04X}": port for port in ports}
        self.every = every
        self.samples: dict[int, list[int]] = {port: [] for port in ports}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
            except OSError:
                lines = []
            for line in lines:
                fields = line.split()
                local, state, queues = fields[1], fields[3], fields[4]
                port = self.ports.get(local.rsplit(":", 1)[1])
                if port is not None and state == "0A":
                    # tx_queue:rx_queue; for a listening socket rx_queue is its accept queue's length
                    self.samples[port].append(int(queues.split(":")[1], 16))
            self.stopped.wait(self.every)

    def report(self) -> None:
        for port, values in self.samples.items():
            if values:
                print(f"accept queue of :{port} (sampled every {self.every:g} s, gunicorn's backlog 2048): "
                      f"p50 {statistics.median(values):.0f}, p95 {_pct(values, 95):.0f}, max {max(values)} connections "
                      "waiting for a worker")


def nstat() -> dict[str, int]:
    """The kernel's TCP counters (absolute, the history file left alone)."""
    try:
        out = subprocess.run(["nstat", "-asz"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in NSTAT_KEYS:
            found[parts[0]] = int(parts[1])
    return found


def report_nstat(before: dict[str, int], after: dict[str, int]) -> None:
    if before and after:
        print("kernel TCP counters during the run (nstat, the whole machine): "
              + ", ".join(f"{key} +{after.get(key, 0) - before.get(key, 0)}" for key in NSTAT_KEYS))
