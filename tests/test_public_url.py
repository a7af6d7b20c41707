"""HSTS in production; the configured public address for links leaving the request; trusted hosts."""

from __future__ import annotations

import pytest

from portal import UnsafeConfiguration, create_app

from .printing.helpers import invite_many
from .test_production_config import GOOD_SECRET, production  # noqa: F401 - the fixture


def test_production_sends_hsts_and_development_does_not(production, client):  # noqa: F811
    app = create_app({"SECRET_KEY": GOOD_SECRET})
    response = app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_the_public_url_makes_its_host_the_only_one_answered(production):  # noqa: F811
    app = create_app({"SECRET_KEY": GOOD_SECRET, "PUBLIC_URL": "https://cong.bhxh.example.vn"})
    assert app.config["PUBLIC_URL"] == "https://cong.bhxh.example.vn/"
    assert app.config["TRUSTED_HOSTS"] == ["cong.bhxh.example.vn"]
    web = app.test_client()
    assert web.get("/login", base_url="https://cong.bhxh.example.vn").status_code == 200
    assert web.get("/login", base_url="https://evil.example.com").status_code == 400
    with pytest.raises(UnsafeConfiguration):
        create_app({"SECRET_KEY": GOOD_SECRET, "PUBLIC_URL": "cong.bhxh.example.vn"})


def test_invitation_jobs_take_the_public_url_not_the_host_header(app, client, auth, world, monkeypatch):
    from portal.printing import services

    app.config["PUBLIC_URL"] = "https://cong.bhxh.example.vn/"
    seen = []
    real = services.start_invitations_job

    def recorded(event, *, user, base_url, letters):
        seen.append(base_url)
        return real(event, user=user, base_url=base_url, letters=letters)

    monkeypatch.setattr(services, "start_invitations_job", recorded)
    invite_many(world.own.event, world.own.hamlet, ["Lê Văn An"], world.own.agent)
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{world.own.event.id}/print/invitations-job")  # asked of http://localhost/
    assert response.status_code == 303
    assert seen == ["https://cong.bhxh.example.vn/"]
