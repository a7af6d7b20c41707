"""The tests' sign-in through the session leaves exactly what a successful POST of the login form leaves."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import LoginThrottle
from portal.extensions import db

from .. import factories


def _after_sign_in(client, user) -> tuple[dict, tuple]:
    client.get("/")  # the page after signing in (it adds the CSRF token)
    with client.session_transaction() as session:
        state = dict(session)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == user.id)).one()
    return state, (entry.action, entry.outcome, entry.username, entry.ip, entry.object_type, entry.details)


def test_session_sign_in_matches_the_form(app, client, auth):
    by_form, by_session = factories.make_user("agent"), factories.make_user("agent")
    for user in (by_form, by_session):  # a failed attempt each from this address, which a success clears
        db.session.add(LoginThrottle(key=f"pair:{user.username}@127.0.0.1", failures=1,
                                     window_start=user.created_at))
    db.session.commit()
    other = app.test_client()

    auth.login_with_form(by_form)
    form_session, form_audit = _after_sign_in(client, by_form)
    type(auth)(other).login(by_session)
    session_session, session_audit = _after_sign_in(other, by_session)

    assert set(form_session) == set(session_session)
    for key in ("_fresh", "_id", "_permanent"):
        assert form_session.get(key) == session_session.get(key), key
    assert form_session["_user_id"] == f"{by_form.id}:{by_form.session_version}"
    assert session_session["_user_id"] == f"{by_session.id}:{by_session.session_version}"
    assert form_audit[0:2] == session_audit[0:2] == ("auth.login", "success")
    assert form_audit[3:] == session_audit[3:]
    db.session.expire_all()
    assert by_form.last_login_at is not None and by_session.last_login_at is not None
    assert db.session.scalars(select(LoginThrottle.key).where(LoginThrottle.key.like("pair:%"))).all() == []
