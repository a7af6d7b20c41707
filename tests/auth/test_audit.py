"""Audit entries: denials are logged, personal numbers are masked."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.audit.services import mask_personal, record
from portal.extensions import db


def test_personal_numbers_are_masked():
    text = "CCCD 001234567890, BHXH 0123456789, ĐT 0912 345 678, +84912345678, mã 12345"
    masked = mask_personal(text)
    for secret in ("001234567890", "0123456789", "0912 345 678", "+84912345678"):
        assert secret not in masked
    assert "*********890" in masked
    assert "mã 12345" in masked  # short numbers (ids, counts) stay
    assert mask_personal({"a": ["0912345678"]}) == {"a": ["*******678"]}


def test_record_masks_details(app):
    record("person.view", object_type="person", object_id=7, details={"query": "tìm 0912345678"})
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry))
    assert entry.details == {"query": "tìm *******678"}
    assert entry.outcome == "success"


def test_permission_denials_are_audited(tmp_path):
    from flask_migrate import upgrade

    from portal.auth.roles import ADMINS, roles_required

    from ..conftest import PortalClient, make_test_app
    from ..factories import DEFAULT_PASSWORD, make_user

    app = make_test_app(f"sqlite:///{tmp_path}/deny.sqlite3", str(tmp_path / "inst"))
    app.test_client_class = PortalClient

    @app.get("/only-admins")
    @roles_required(ADMINS)
    def only_admins():
        return "secret"

    with app.app_context():
        upgrade()
        user = make_user("agent", username="dai.ly.x")
        client = app.test_client()
        client.post("/login", data={"username": "dai.ly.x", "password": DEFAULT_PASSWORD})
        assert client.get("/only-admins").status_code == 403
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "authz.denied"))
        assert entry is not None and entry.user_id == user.id and entry.outcome == "denied"
        assert entry.details["path"] == "/only-admins"
        db.engine.dispose()
