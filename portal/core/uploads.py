"""Uploads kept for a short while between a preview and its confirmation (never addressed by URL)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, session

MAX_AGE = 3600


def _folder() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "pending"
    path.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in path.glob("*.bin"):
        if now - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    return path


def keep(kind: str, data: bytes, filename: str) -> None:
    """Keep an uploaded file for this session's confirmation step."""
    token = secrets.token_hex(16)
    (_folder() / f"{token}.bin").write_bytes(data)
    session[f"upload_{kind}"] = {"token": token, "filename": filename[:200]}


def take(kind: str, *, remove: bool = False) -> tuple[bytes, str] | None:
    """The file kept for this session's confirmation, or None when it expired."""
    info = session.get(f"upload_{kind}")
    if not info:
        return None
    path = _folder() / f"{info['token']}.bin"
    if not path.exists():
        session.pop(f"upload_{kind}", None)
        return None
    data = path.read_bytes()
    if remove:
        path.unlink(missing_ok=True)
        session.pop(f"upload_{kind}", None)
    return data, info["filename"]
