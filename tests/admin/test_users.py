"""User administration, the password policy and the audit log page."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth import password_policy
from portal.auth.models import User
from portal.extensions import db

from .. import factories


def test_password_policy():
    assert password_policy.problems("mot-cau-dai-kho-doan-2026", "lan") == []
    assert password_policy.problems("short", "")
    assert password_policy.problems("password123", "")
    assert password_policy.problems("matkhau123", "")
    assert password_policy.problems("lan.nguyen-2026-abc", "lan.nguyen")


def _new_user_data(world, **over):
    data = {"username": "can.bo.moi", "full_name": "Hoàng Thị Mơ", "phone": "", "role": "local_officer",
            "office_id": str(world.own.office.id), "agent_id": "0", "locale": "vi",
            "password": "mot-cau-dai-kho-doan-2026"}
    data.update(over)
    return data


def test_admin_creates_an_account_and_it_signs_in(app, client, auth, world):
    auth.login(world.users["admin"])
    assert client.post("/admin/users/new", data=_new_user_data(world)).status_code == 303
    user = User.by_username("can.bo.moi")
    assert user.office_id == world.own.office.id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create")) is not None
    other = app.test_client()
    response = other.post("/login", data={"username": "can.bo.moi", "password": "mot-cau-dai-kho-doan-2026"})
    assert response.status_code == 303


def test_create_refuses_bad_combinations(client, auth, world):
    auth.login(world.users["admin"])
    taken = _new_user_data(world, username=world.users["viewer"].username)
    assert client.post("/admin/users/new", data=taken).status_code == 422
    wrong_office = _new_user_data(world, office_id=str(world.own.province_office.id))
    assert client.post("/admin/users/new", data=wrong_office).status_code == 422
    weak = _new_user_data(world, password="12345678")
    assert client.post("/admin/users/new", data=weak).status_code == 422
    agent_without_record = _new_user_data(world, role="agent", office_id="0")
    assert client.post("/admin/users/new", data=agent_without_record).status_code == 422


def test_scope_change_and_deactivation_end_sessions(app, client, auth, world):
    viewer = world.users["viewer"]
    other = app.test_client()
    other.post("/login", data={"username": viewer.username, "password": factories.DEFAULT_PASSWORD})
    assert other.get("/").status_code == 200
    auth.login(world.users["admin"])
    data = {"username": viewer.username, "full_name": viewer.full_name, "phone": "", "role": "viewer",
            "office_id": str(world.near.office.id), "agent_id": "0", "locale": "vi"}
    assert client.post(f"/admin/users/{viewer.id}/edit", data=data).status_code == 303
    assert other.get("/").status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.scope_change")) is not None
    other.post("/login", data={"username": viewer.username, "password": factories.DEFAULT_PASSWORD})
    assert other.get("/").status_code == 200
    client.post(f"/admin/users/{viewer.id}/deactivate")
    assert other.get("/").status_code == 302
    me = world.users["admin"]
    client.post(f"/admin/users/{me.id}/deactivate")
    db.session.refresh(me)
    assert me.active


def test_password_reset(app, client, auth, world):
    agent = world.users["agent"]
    auth.login(world.users["admin"])
    assert client.post(f"/admin/users/{agent.id}/password", data={"password": "abc"}).status_code == 422
    assert client.post(f"/admin/users/{agent.id}/password",
                       data={"password": "mat-khau-moi-cua-dai-ly"}).status_code == 303
    other = app.test_client()
    assert other.post("/login", data={"username": agent.username,
                                      "password": factories.DEFAULT_PASSWORD}).status_code == 422


def test_audit_page_filters(client, auth, world):
    auth.login(world.users["admin"])
    client.post("/logout")
    client.post("/login", data={"username": "nobody", "password": "wrong-password-1"})
    auth.login(world.users["admin"])
    html = client.get("/admin/audit/?outcome=failure").get_data(as_text=True)
    assert "nobody" in html
    html = client.get("/admin/audit/?action=auth.logout").get_data(as_text=True)
    assert "auth.logout" in html and "nobody" not in html
    assert "auth.login" in client.get("/admin/audit/?from=01/01/2020&to=31/12/2099").get_data(as_text=True)


def test_cli_office_and_agent_options(runner, world):
    ok = runner.invoke(args=["users", "create", "--username", "cli.local", "--role", "local_officer", "--office",
                             world.own.office.code, "--password-stdin"], input="mot-cau-dai-kho-doan\n")
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(args=["users", "create", "--username", "cli.bad", "--role", "local_officer", "--office",
                              world.own.province_office.code, "--password-stdin"], input="mot-cau-dai-kho-doan\n")
    assert bad.exit_code != 0
    agent = runner.invoke(args=["users", "create", "--username", "cli.agent", "--role", "agent", "--agent",
                                world.near.agent.code, "--password-stdin"], input="mot-cau-dai-kho-doan\n")
    assert agent.exit_code == 0, agent.output
    assert User.by_username("cli.agent").agent_id == world.near.agent.id
    common = runner.invoke(args=["users", "create", "--username", "cli.weak", "--role", "admin", "--password-stdin"],
                           input="password123\n")
    assert common.exit_code != 0


def test_each_account_change_leaves_its_audit_entry(client, auth, world):
    viewer = world.users["viewer"]
    auth.login(world.users["admin"])
    data = {"username": viewer.username, "full_name": "Tên Mới", "phone": "", "role": "viewer",
            "office_id": str(viewer.office_id), "agent_id": "0", "locale": "vi"}
    assert client.post(f"/admin/users/{viewer.id}/edit", data=data).status_code == 303
    assert client.post(f"/admin/users/{viewer.id}/edit", data={**data, "office_id": str(world.near.office.id)}
                       ).status_code == 303
    assert client.post(f"/admin/users/{viewer.id}/deactivate").status_code == 303
    assert client.post(f"/admin/users/{viewer.id}/reactivate").status_code == 303
    assert client.post(f"/admin/users/{viewer.id}/password", data={"password": "mat-khau-moi-cua-nguoi-xem"}
                       ).status_code == 303
    entries = [(e.action, e.details) for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "user", AuditEntry.object_id == viewer.id).order_by(AuditEntry.id))]
    assert entries == [
        ("user.update", None), ("user.update", None),
        ("user.scope_change", {"before": {"role": "viewer", "office_id": world.own.office.id, "agent_id": None},
                               "after": {"role": "viewer", "office_id": world.near.office.id, "agent_id": None}}),
        ("user.deactivate", None), ("user.reactivate", None), ("user.password_reset", None)]
    db.session.refresh(viewer)
    assert viewer.full_name == "Tên Mới" and viewer.active and viewer.office_id == world.near.office.id
    assert world.near.office.name in client.get(f"/admin/users/{viewer.id}").get_data(as_text=True)
    mine = client.get(f"/admin/users/{world.users['admin'].id}").get_data(as_text=True)
    assert "user.password_reset" in mine  # the entries an account made


def test_weak_passwords_are_refused_with_the_reason_in_vietnamese(app):
    with app.test_request_context():
        for weak in ("aaaaaaaa", "abcdefgh", "01234567", "qwertyuiop", "12341234"):
            assert password_policy.problems(weak, "lan"), weak
        assert "chỉ có dấu cách" in " ".join(password_policy.problems(" " * 8))
        assert password_policy.problems("\t \u00a0  \n  ")
        for own in ("bhxh2027", "Bảo-hiểm-của-tôi-2027", "tra-cuu-BHYT-nhanh", "cong-phat-trien-xyz-77"):
            assert any("BHXH" in p for p in password_policy.problems(own, "")), own
        assert password_policy.problems("hoa.tran-ngay-mua-xuan", "hoa.tran")
        assert password_policy.problems("hoatran-ngay-mua-xuan", "hoa.tran")
        assert password_policy.problems("mot-cau-dai-kho-doan-2026", "lan") == []
        assert password_policy.problems("Ra-quan-thang-5!", "can.bo") == []


def test_the_user_form_and_the_command_refuse_weak_passwords(client, auth, world, runner):
    auth.login(world.users["admin"])
    response = client.post("/admin/users/new", data=_new_user_data(world, password="bhxh2027"))
    assert response.status_code == 422
    assert "BHXH" in response.get_data(as_text=True)
    assert User.by_username("can.bo.moi") is None
    spaces = runner.invoke(args=["users", "create", "--username", "cli.space", "--role", "admin",
                                 "--password-stdin"], input=" " * 10 + "\n")
    assert spaces.exit_code != 0
    assert User.by_username("cli.space") is None
