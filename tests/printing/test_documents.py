"""The event's documents: attendance sheet, visit list, invitations, sign-up sheet."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db

from .. import factories


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _invite(world, names):
    """Invite households without numbering them: the first print numbers them in name order."""
    from portal.results.services import invite

    own = world.own
    for n, name in enumerate(names):
        household, _ = factories.make_household(own.hamlet, name, address=f"Nhà {n + 40}")
        invite(own.event, household.id, agent_id=own.agent.id)
    db.session.commit()


def test_attendance_sheet_in_vietnamese_order_with_rows(client, auth, world):
    _invite(world, ["Trần Thị Bình", "Lê Văn An", "Đỗ Thị Ánh"])
    auth.login(world.users["local_officer"])
    response = client.get(f"/events/{world.own.event.id}/print/attendance.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "".join(_pages(response.data))
    # The world's household was numbered first; the three new ones follow in given-name order.
    assert text.index("Lê Văn An") < text.index("Đỗ Thị Ánh") < text.index("Trần Thị Bình")
    assert "DANH SÁCH KÝ TÊN" in text.upper() and "Ký tên" in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print.attendance_sheet"))
    assert entry is not None and entry.user_id == world.users["local_officer"].id


def test_invitations_one_page_each_with_row_numbers(client, auth, world):
    _invite(world, ["Lê Văn An", "Hà Thị Mai"])
    auth.login(world.users["local_officer"])
    pages = _pages(client.get(f"/events/{world.own.event.id}/print/invitations.pdf").data)
    assert len(pages) == 3
    assert all("GIẤY MỜI" in p.upper() for p in pages)
    assert any("Hà Thị Mai" in p for p in pages)
    hamlet = world.own.hamlet.name
    assert any(f"Nhà 40, {hamlet}" in p for p in pages)  # the hamlet after the house number


def test_an_address_naming_its_hamlet_is_printed_once(client, auth, world):
    own = world.own
    household, _ = factories.make_household(own.hamlet, "Lò Văn Páo", address=f"Nhà 7, {own.hamlet.name}")
    from portal.results.services import invite

    invite(own.event, household.id, agent_id=own.agent.id)
    db.session.commit()
    auth.login(world.users["local_officer"])
    text = "".join(_pages(client.get(f"/events/{own.event.id}/print/invitations.pdf").data))
    assert f"Nhà 7, {own.hamlet.name}" in text and text.count(f"{own.hamlet.name}, {own.hamlet.name}") == 0


def test_agent_prints_only_their_own_visit_list(client, auth, world):
    auth.login(world.users["agent"])
    text = "".join(_pages(client.get(f"/events/{world.own.event.id}/print/visits.pdf?agent={world.near.agent.id}"
                                     ).data))
    assert world.own.household.head_name in text
    assert client.get(f"/events/{world.own.event.id}/print/attendance.pdf").status_code == 403
    assert client.get(f"/events/{world.near.event.id}/print/visits.pdf").status_code == 404


def test_signup_sheet_has_the_registration_fields(client, auth, world):
    auth.login(world.users["local_officer"])
    text = "".join(_pages(client.get(f"/events/{world.own.event.id}/print/signup-sheet.pdf").data))
    for label in ("Số CCCD", "Mã số BHXH", "Mức thu nhập", "VssID"):
        assert label in text


def test_no_letters_yet_says_where_they_come_from(client, auth, world):
    """Before anyone is invited, the documents page says how households get letters; the print is no dead end."""
    from portal.results.models import Invitation

    db.session.execute(Invitation.__table__.delete())
    db.session.commit()
    auth.login(world.users["local_officer"])
    event = world.own.event
    page = client.get(f"/events/{event.id}/documents").get_data(as_text=True)
    assert f"/events/{event.id}/print/invitations.pdf" not in page
    assert "Chưa mời hộ nào" in page and f"/events/{event.id}/previsit" in page
    response = client.get(f"/events/{event.id}/print/invitations.pdf")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/events/{event.id}/documents")
    assert "Chưa mời hộ nào" in client.get(response.headers["Location"]).get_data(as_text=True)
