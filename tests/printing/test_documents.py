"""The event's documents: attendance sheet, visit list, invitations, sign-up sheet."""

from __future__ import annotations

import io
import subprocess

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


def test_invitees_added_after_the_first_print_are_marked(client, auth, world):
    from portal.results.services import invite

    own = world.own
    event = factories.make_event(own.commune, own.office, agents=[own.agent])

    def invite_all(names):
        for name in names:
            household, _ = factories.make_household(own.hamlet, name, address=f"Nhà {name}")
            invite(event, household.id, agent_id=own.agent.id)
        db.session.commit()

    invite_all(["Trần Thị Bình", "Lê Văn An"])
    auth.login(world.users["local_officer"])
    url = f"/events/{event.id}/print/attendance.pdf"
    first = "".join(_pages(client.get(url).data))
    assert "*" not in first and "Mời bổ sung" not in first
    invite_all(["Âu Văn Muộn"])
    text = "".join(_pages(client.get(url).data))
    # The late invitee comes last (row 3, after the first two in name order), marked and explained.
    assert "3*" in text and text.index("Trần Thị Bình") < text.index("Âu Văn Muộn")
    assert "(*) Mời bổ sung sau khi danh sách đã in lần đầu." in text
    assert "1*" not in text and "2*" not in text


def test_invitations_one_page_each_with_row_numbers(client, auth, world):
    _invite(world, ["Lê Văn An", "Hà Thị Mai"])
    auth.login(world.users["local_officer"])
    pages = _pages(client.get(f"/events/{world.own.event.id}/print/invitations.pdf").data)
    assert len(pages) == 3
    assert all("GIẤY MỜI" in p.upper() for p in pages)
    assert any("Hà Thị Mai" in p for p in pages)
    hamlet = world.own.hamlet.name
    assert any(f"Nhà 40, {hamlet}" in p for p in pages)  # the hamlet after the house number


def _layout_text(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,  # noqa: S603,S607
                          text=True).stdout


def test_invitations_follow_decree_30(client, auth, world, tmp_path):
    _invite(world, ["Lê Văn An"])
    auth.login(world.users["local_officer"])
    data = client.get(f"/events/{world.own.event.id}/print/invitations.pdf").data
    text = _layout_text(data, tmp_path)
    letter = text.split("\f")[0]
    assert "Số: ……/GM-BHXH" in letter
    assert "Nơi nhận:" in letter and "- Như trên;" in letter and "- Lưu: VT." in letter
    assert "GIÁM ĐỐC" in letter and "(Ký, đóng dấu)" in letter
    assert "Thủ trưởng đơn vị" not in letter and "ghi rõ họ tên" not in letter
    assert "thẻ căn cước" in letter and "căn cước công dân" not in letter
    # The place is the issuing office's seat, not the event's commune, and the line is set to the right.
    seat = world.own.office.name.split("cơ sở ")[-1]
    line = next(line for line in letter.splitlines() if ", ngày " in line)
    assert line.strip().startswith(f"{seat}, ngày ") and world.own.commune.name not in line
    assert len(line) - len(line.lstrip()) > 30
    # No page numbers on letters.
    assert all(not page.strip().splitlines()[0].strip().isdigit() for page in text.split("\f") if page.strip())


def test_the_office_name_never_breaks_inside_the_place_name(app):
    from portal.printing.offices import unbroken_office_name

    assert str(unbroken_office_name("BHXH cơ sở Nghĩa Lộ")) == 'BHXH cơ sở <span class="nowrap">Nghĩa Lộ</span>'
    assert str(unbroken_office_name("Bảo hiểm xã hội tỉnh <Lào Cai>")) == (
        'Bảo hiểm xã hội tỉnh <span class="nowrap">&lt;Lào Cai&gt;</span>')
    assert str(unbroken_office_name("Văn phòng")) == "Văn phòng"


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


def test_the_visit_list_has_phones_and_for_all_agents_an_agent_column(client, auth, world):
    from portal.households.models import Household

    household = db.session.get(Household, world.own.household.id)
    household.phone = "0977111222"
    db.session.commit()
    auth.login(world.users["local_officer"])
    everyone = "".join(_pages(client.get(f"/events/{world.own.event.id}/print/visits.pdf").data))
    assert "Điện thoại" in everyone and "0977111222" in everyone
    assert "Đại lý thu" in everyone.replace("\n", " ") and world.own.agent.full_name in everyone
    one = "".join(_pages(client.get(f"/events/{world.own.event.id}/print/visits.pdf?agent={world.own.agent.id}"
                                    ).data))
    assert "0977111222" in one and one.count(world.own.agent.full_name) == 1  # in the heading only


def test_signup_sheet_has_the_registration_fields(client, auth, world):
    from datetime import date

    from portal.households.models import Household, Person

    head = db.session.scalar(select(Person).where(Person.household_id == world.own.household.id))
    head.cccd, head.bhxh_code, head.sex = "001080012345", "0101234567", "female"
    head.date_of_birth, head.birth_year_only, head.ethnicity, head.nationality = date(1975, 1, 1), True, "Mông", "Lào"
    long_address = "Số nhà 1234 ngõ Hoàng Liên Sơn kéo dài đến tận chân núi Phan Xi Păng và khu tái định cư mới"
    db.session.get(Household, head.household_id).address = long_address
    db.session.commit()
    auth.login(world.users["local_officer"])
    data = client.get(f"/events/{world.own.event.id}/print/signup-sheet.pdf").data
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = " ".join(" ".join(_pages(data)).split())
    for label in ("Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Quốc tịch", "Số CCCD", "Mã số BHXH",
                  "Điện thoại", "Nơi cư trú", "Địa chỉ liên hệ", "Nơi đăng ký KCB ban đầu",
                  "Mức thu nhập tháng làm căn cứ đóng", "Phương thức đóng", "Từ tháng", "Đối tượng được hỗ trợ",
                  "VS = Một lần cho nhiều năm về sau", "CN = Hộ cận nghèo", "VssID"):
        assert label in text, label
    assert "1975" in text and "Mông" in text and "Lào" in text and "☒ Nữ" in text
    assert "…2345" in text and "001080012345" not in text and "0101234567" not in text  # last digits only
    assert all(word in text for word in long_address.split())  # wrapped, nothing cut


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
