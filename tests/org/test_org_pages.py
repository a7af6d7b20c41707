"""Offices, organisations and agents pages."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.geo.models import Commune
from portal.org.models import Agent, AgentOrganisation, agent_hamlets


def test_agents_search_sort_and_scope(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get("/org/agents?q=dai+ly").get_data(as_text=True)
    assert world.own.agent.full_name in html and world.near.agent.full_name not in html
    assert client.get(f"/org/agents/{world.near.agent.id}").status_code == 404


def test_agent_edit_validates_and_sets_coverage(client, auth, world):
    auth.login(world.users["local_officer"])
    agent = world.own.agent
    data = {"code": agent.code, "full_name": "nguyễn thị  hoa", "phone": "12", "office_id": str(world.own.office.id),
            "organisation_id": "0", "trained_on": "", "active": "y", "communes": [str(world.own.commune.id)],
            "hamlets": [str(world.own.hamlet.id), str(world.own.hamlet2.id)]}
    assert client.post(f"/org/agents/{agent.id}/edit", data=data).status_code == 422
    assert client.post(f"/org/agents/{agent.id}/edit", data={**data, "phone": "+84 912 000 111",
                                                              "trained_on": "15/03/2026"}).status_code == 303
    db.session.refresh(agent)
    assert agent.full_name == "Nguyễn Thị Hoa" and agent.phone == "0912000111"
    hamlets = set(db.session.scalars(select(agent_hamlets.c.hamlet_id).where(agent_hamlets.c.agent_id == agent.id)))
    assert hamlets == {world.own.hamlet.id, world.own.hamlet2.id}
    clash = {**data, "phone": "", "code": world.near.agent.code}
    assert client.post(f"/org/agents/{agent.id}/edit", data=clash).status_code == 422


def test_new_agent(client, auth, world):
    auth.login(world.users["local_officer"])
    data = {"code": "dl-moi-01", "full_name": "Vàng A Sử", "phone": "", "office_id": str(world.own.office.id),
            "organisation_id": str(world.own.organisation.id), "trained_on": "", "active": "y"}
    assert client.post("/org/agents/new", data=data).status_code == 303
    assert db.session.scalar(select(Agent).where(Agent.code == "DL-MOI-01")) is not None


def test_office_edit_moves_communes(client, auth, world):
    auth.login(world.users["province_officer"])
    office = world.own.office
    data = {"code": office.code, "name": office.name, "kind": "local", "province_id": str(world.own.province.id),
            "address": "", "phone": "", "communes": [str(world.own.commune.id), str(world.near.commune.id)]}
    response = client.post(f"/org/offices/{office.id}/edit", data=data, follow_redirects=True)
    assert world.near.commune.name in response.get_data(as_text=True)
    assert db.session.get(Commune, world.near.commune.id).office_id == office.id
    assert db.session.get(Commune, world.own.commune2.id).office_id is None
    auth.logout()
    auth.login(world.users["local_officer"])
    assert client.get(f"/org/offices/{office.id}/edit").status_code == 403


def test_organisation_create(client, auth, world):
    auth.login(world.users["local_officer"])
    data = {"name": "Hội Phụ nữ xã Nghĩa Lộ", "kind": "women_union", "office_id": str(world.own.office.id),
            "phone": "", "address": ""}
    assert client.post("/org/organisations/new", data=data).status_code == 303
    assert db.session.scalar(select(AgentOrganisation).where(AgentOrganisation.kind == "women_union")) is not None
    assert client.post("/org/organisations/new", data={**data, "name": ""}).status_code == 422


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_inline_edit_of_an_agent(client, auth, world):
    auth.login(world.users["local_officer"])
    agent = world.own.agent
    url = f"/org/agents/{agent.id}/inline"
    headers = {"HX-Request": "true", "HX-Target": f"agent-{agent.id}"}
    ok = client.post(url, data={"field": "phone", "value": "+84 987 654 321"}, headers=headers)
    assert ok.status_code == 200 and "0987654321" in ok.get_data(as_text=True)
    bad = client.post(url, data={"field": "trained_on", "value": "31/02/2026"}, headers=headers)
    assert bad.status_code == 422
    assert bad.get_data(as_text=True).lstrip().startswith(f'<tr id="agent-{agent.id}"')  # the row, not a page
    db.session.refresh(agent)
    assert agent.phone == "0987654321" and agent.trained_on is None
    plain = client.post(url, data={"field": "phone", "value": "0912 345 678"})  # without JavaScript
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/org/agents")
    db.session.refresh(agent)
    assert agent.phone == "0912345678"


def test_agent_import_reports_then_confirms(client, auth, world):
    import io

    auth.login(world.users["local_officer"])
    office = world.own.office
    messy = _xlsx([["DANH SÁCH ĐẠI LÝ THU"], [], ["Mã đại lý", "Họ và tên", "Số điện thoại", "Đơn vị", "Xã/Phường"],
                   ["DL-A1", "lò văn a", "0912 111 222", world.own.organisation.name, world.own.commune.name],
                   ["DL-A2", "Hà Thị B", "12345", "", ""],
                   ["DL-A1", "Lò Văn A", "", "", ""],
                   ["DL-A3", "Vàng Thị C", "", "Bưu điện Mặt Trăng", "Xã Không Có"]])
    response = client.post(f"/org/agents/import?office={office.id}", data={
        "office": str(office.id), "file": (io.BytesIO(messy), "daily.xlsx")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for row in ("5", "6", "7"):
        assert f'row-number">{row}<' in html
    assert db.session.scalar(select(Agent).where(Agent.code == "DL-A1")) is None
    clean = _xlsx([["Mã đại lý", "Họ và tên", "Số điện thoại", "Xã/Phường"],
                   ["DL-A1", "lò văn a", "0912111222", world.own.commune.name.replace("Xã ", "")]])
    response = client.post(f"/org/agents/import?office={office.id}", data={
        "office": str(office.id), "file": (io.BytesIO(clean), "daily.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert client.post(f"/org/agents/import?office={office.id}", data={"office": str(office.id),
                                                                       "confirm": "1"}).status_code == 303
    agent = db.session.scalar(select(Agent).where(Agent.code == "DL-A1"))
    assert agent.full_name == "Lò Văn A" and agent.phone == "0912111222"


def _error_under(html: str, field: str) -> str | None:
    """The error text shown under a form field, or None."""
    import re

    found = re.search(rf'<small id="{field}-error" class="error">(.*?)</small>', html, re.S)
    return found.group(1) if found else None


def test_agent_form_shows_each_error_under_its_own_field(client, auth, world):
    from flask_babel import force_locale, gettext
    from markupsafe import escape

    with force_locale("vi"):
        digits = str(escape(gettext("A name cannot contain digits.")))
    auth.login(world.users["local_officer"])
    agent = world.own.agent
    data = {"code": agent.code, "full_name": "Nguyễn Văn 2", "phone": "0912000111",
            "office_id": str(world.own.office.id), "organisation_id": "0", "trained_on": "", "active": "y"}
    response = client.post(f"/org/agents/{agent.id}/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_under(html, "full_name") == digits and _error_under(html, "phone") is None
    both = client.post(f"/org/agents/{agent.id}/edit", data={**data, "phone": "12"}).get_data(as_text=True)
    assert _error_under(both, "full_name") == digits and _error_under(both, "phone") is not None
    db.session.refresh(agent)
    assert agent.full_name != "Nguyễn Văn 2"


def test_each_change_leaves_its_audit_entry(client, auth, world):
    from portal.audit.models import AuditEntry

    def entries():
        return [(e.action, e.object_type, e.object_id, e.details) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("office.%") | AuditEntry.action.like("organisation.%")
                                     | AuditEntry.action.like("agent.%")).order_by(AuditEntry.id))]

    auth.login(world.users["province_officer"])
    office = world.own.office
    data = {"code": office.code, "name": office.name, "kind": "local", "province_id": str(world.own.province.id),
            "address": "", "phone": "", "communes": [str(world.own.commune.id), str(world.near.commune.id)]}
    assert client.post(f"/org/offices/{office.id}/edit", data=data).status_code == 303
    organisation = {"name": "Hội Nông dân", "kind": "farmers_union", "office_id": str(office.id), "phone": "",
                    "address": ""}
    assert client.post("/org/organisations/new", data=organisation).status_code == 303
    agent = world.own.agent
    assert client.post(f"/org/agents/{agent.id}/edit", data={
        "code": agent.code, "full_name": agent.full_name, "phone": "0912000111", "office_id": str(office.id),
        "organisation_id": "0", "trained_on": "", "active": "y"}).status_code == 303
    assert client.post(f"/org/agents/{agent.id}/inline", data={"field": "active", "value": "0"},
                       headers={"HX-Request": "true"}).status_code == 200
    made = db.session.scalar(select(AgentOrganisation).where(AgentOrganisation.kind == "farmers_union"))
    assert entries() == [
        ("office.update", "office", office.id, {"communes_added": [world.near.commune.id],
                                                "communes_removed": [world.own.commune2.id]}),
        ("organisation.create", "organisation", made.id, None),
        ("agent.update", "agent", agent.id, None),
        ("agent.update", "agent", agent.id, {"field": "active"}),
    ]
    db.session.refresh(agent)
    assert agent.active is False and agent.phone == "0912000111"
