"""Helpers for benchmarks: a throw-away instance served by gunicorn, and a minimal HTTP client."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """A fresh instance folder and database, migrated, with a flask CLI bound to it."""

    def __init__(self, database_url: str | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        self.env = {**os.environ, "PORTAL_INSTANCE_PATH": str(self.dir), "SECRET_KEY": "bench-" + "x" * 40}
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.flask("db", "upgrade")

    def flask(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run([str(BIN / "flask"), "--app", "portal", *args], cwd=ROOT, env=self.env,
                                input=stdin, capture_output=True, text=True, check=True)
        return result.stdout

    def serve(self, workers: int = 4) -> Server:
        return Server(self, workers)


class Server:
    """gunicorn serving the instance on a random port."""

    def __init__(self, instance: Instance, workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "wsgi:app"], cwd=ROOT, env=instance.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


class Browser:
    """Cookies, a CSRF token and a fixed source address: enough to post the login form like a browser."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.port = port
        self.source = source
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        conn.close()
        return response.status, dict(response.headers), text

    def login(self, username: str, password: str) -> tuple[int, dict]:
        if self.token is None:
            _status, _headers, text = self.request("GET", "/login")
            self.token = CSRF_RE.search(text).group(1)
        status, headers, _text = self.request(
            "POST", "/login", {"csrf_token": self.token, "username": username, "password": password})
        return status, headers
