"""Helpers of the backup tests: a populated world, scratch databases of either kind, archive surgery."""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results import services as results

from .. import factories
from ..conftest import TEST_DATABASE_URL, make_test_app, reset_postgres_database


def populate(world) -> None:
    """Sign-ups, attendance, policy values (decimals), a second office level and an extra evidence file."""
    seed_shipped()
    own = world.own
    user = world.users["local_officer"]
    _h, person = factories.make_household(own.hamlet, "Lò Thị Hoa", address="Bản Mường 3", cccd="012345678901",
                                          bhxh_code="0101234567", date_of_birth=date(1985, 2, 3), phone="0912345678")
    factories.under_way(own.event)
    results.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                          event=own.event, income=1_500_000, mode="monthly")
    results.check_in(own.event, invitation=own.invitation, user=user)
    db.session.commit()
    factories.make_evidence(own.event, content="Ảnh chụp danh sách ký tên".encode())


def scratch_url(tmp_path: Path, name: str, kind: str | None = None) -> str:
    """A fresh database of the run's kind (or ``kind``) with no schema."""
    kind = kind or ("postgresql" if TEST_DATABASE_URL else "sqlite")
    if kind == "postgresql":
        url = f"{TEST_DATABASE_URL}_{name}"
        reset_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path}/{name}.sqlite3"


@contextmanager
def scratch_app(tmp_path: Path, name: str, kind: str | None = None) -> Iterator[Flask]:
    """An app on a scratch database and instance folder of its own, inside its app context."""
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    app = make_test_app(scratch_url(tmp_path, name, kind), str(tmp_path / f"instance-{name}"))
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def manifest_of(path: Path) -> dict:
    """The manifest of an archive."""
    with tarfile.open(path, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def rewrite(source: Path, target: Path, *, members=None, manifest=None) -> None:
    """Copy an archive, changing member bytes (``members``: name -> function of bytes) and the manifest."""
    with tarfile.open(source, "r:gz") as tar:
        items = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(target, "w:gz") as out:
        for member, data in items:
            if member.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif members and member.name in members:
                data = members[member.name](data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def table_file(manifest: dict, table: str) -> str:
    """The member name of a table's rows."""
    return next(t["file"] for t in manifest["tables"] if t["name"] == table)


def audit_actions() -> list[str]:
    """Actions of the audit log, oldest first."""
    from portal.audit.models import AuditEntry

    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
