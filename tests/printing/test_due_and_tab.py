"""The due list as PDF (same filter and scope as the page) and what the Documents tab offers to whom."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.i18n.formatting import local_today

from .. import factories
from .helpers import pdf_pages


def _due(hamlet, name, days):
    return factories.make_household(hamlet, name, bhxh_tn_status="participating", date_of_birth=date(1975, 3, 4),
                                    paid_until=local_today() + timedelta(days=days), phone="0912345678")


def test_due_list_pdf_keeps_the_agents_scope_and_is_audited(client, auth, world):
    _due(world.own.hamlet, "Lê Văn Mười", 3)
    _due(world.own.hamlet2, "Phạm Thị Hai", 4)  # same commune, a hamlet the agent does not cover
    _due(world.near.hamlet, "Đinh Văn Xa", 5)
    auth.login(world.users["agent"])
    page = client.get("/households/due?kind=paid_until").get_data(as_text=True)
    assert "/households/due.pdf?kind=paid_until" in page
    response = client.get("/households/due.pdf?kind=paid_until")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(pdf_pages(response.data))
    assert "DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN ĐẾN HẠN ĐÓNG" in text
    assert "Lê Văn Mười" in text and "1975" in text and "0912345678" in text
    assert "Phạm Thị Hai" not in text and "Đinh Văn Xa" not in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print.due_list"))
    assert entry.user_id == world.users["agent"].id and entry.details["rows"] == 1
    assert entry.details["filter"]["kind"] == "paid_until"
    auth.logout()
    auth.login(world.users["local_officer"])
    text = "".join(pdf_pages(client.get("/households/due.pdf?kind=paid_until&group=agent").data))
    assert "Phạm Thị Hai" in text and "Lê Văn Mười" in text and "Đinh Văn Xa" not in text
    assert "Đại lý (thôn, xã)" in text and "Chưa có đại lý" in text


def test_due_list_pdf_names_the_commune_and_falls_back_on_the_household_phone(client, auth, world):
    from portal.households.models import Household, Person

    household, person = _due(world.own.hamlet, "Lê Văn Hộ", 3)
    person = db.session.get(Person, person.id)
    person.phone = None
    db.session.get(Household, household.id).phone = "0987000111"
    db.session.commit()
    auth.login(world.users["local_officer"])
    text = " ".join(" ".join(pdf_pages(client.get("/households/due.pdf?kind=paid_until").data)).split())
    assert "0987000111" in text
    assert f"{world.own.hamlet.name}, {world.own.commune.name}" in text
    assert "VssID" in text


def test_due_list_pdf_refuses_a_bad_filter(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.get("/households/due.pdf?kind=paid_until&from=31/02/2026")
    assert response.status_code == 303 and "/households/due" in response.headers["Location"]


def test_documents_tab_by_role(client, auth, world):
    url = f"/events/{world.own.event.id}/documents"
    auth.login(world.users["local_officer"])
    page = client.get(url).get_data(as_text=True)
    for link in ("print/attendance.pdf", "print/report.pdf", "print/leaflet.pdf", "print/invitations-job",
                 "leaflet-audience", 'name="csrf_token"'):
        assert link in page, link
    auth.logout()
    auth.login(world.users["agent"])
    page = client.get(url).get_data(as_text=True)
    assert "print/visits.pdf" in page and "print/attendance.pdf" not in page and "leaflet" not in page
    assert "invitations-job" not in page
    auth.logout()
    auth.login(world.users["viewer"])
    page = client.get(url).get_data(as_text=True)
    assert "/print/" not in page and "leaflet-audience" not in page
