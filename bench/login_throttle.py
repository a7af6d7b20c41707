"""Login throttling under attack: 1,000 wrong passwords against one account through 4 gunicorn workers.

Prints how the attempts were answered, then shows that the real password works at once from another address
(the guessing address is held on that account, its owner elsewhere is not).

    .venv/bin/python bench/login_throttle.py [--database-url postgresql://postgres@127.0.0.1/portal_bench]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from _server import Browser, Instance

USERNAME = "can.bo.tinh"
PASSWORD = "mat-khau-that-2026"  # noqa: S105


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args()

    instance = Instance(args.database_url)
    instance.flask("users", "create", "--username", USERNAME, "--role", "admin", "--password-stdin",
                   stdin=PASSWORD + "\n")
    server = instance.serve(workers=4)
    try:
        attackers = [Browser(server.port, "127.0.0.1") for _ in range(args.threads)]

        def attempt(i: int) -> int:
            status, _headers = attackers[i % len(attackers)].login(USERNAME, f"doan-sai-{i:04d}")
            return status

        started = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            statuses = Counter(pool.map(attempt, range(args.attempts)))
        elapsed = time.perf_counter() - started

        print(f"database: {args.database_url or 'SQLite (instance folder)'}; gunicorn workers: 4")
        print(f"{args.attempts} wrong-password attempts from 127.0.0.1 in {elapsed:.1f} s "
              f"({args.attempts / elapsed:.0f}/s), {args.threads} concurrent clients")
        print(f"  checked and refused (422): {statuses.get(422, 0)}")
        print(f"  throttled without checking (429): {statuses.get(429, 0)}")
        other = {k: v for k, v in statuses.items() if k not in (422, 429)}
        print(f"  other answers: {other or 'none'}")

        # The real officer, from another address.
        officer = Browser(server.port, "127.0.0.2")
        waited_from = time.perf_counter()
        tries = 0
        while True:
            tries += 1
            status, headers = officer.login(USERNAME, PASSWORD)
            if status != 429:
                break
            time.sleep(min(float(headers.get("Retry-After", 1)), 5))
        waited = time.perf_counter() - waited_from
        print(f"real password from 127.0.0.2: HTTP {status} after {waited:.1f} s and {tries} tries "
              f"(303 = signed in)")
        ok = status == 303 and statuses.get(429, 0) > statuses.get(422, 0) and not other
        print("RESULT:", "throttled, and the officer still got in" if ok else "UNEXPECTED")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
