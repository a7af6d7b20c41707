"""The due-payment lists of the households pages as a printed sheet an agent takes on the rounds.

The rows are the ones the due list shows on screen (same filter, same scope: an agent gets their own hamlets),
grouped per hamlet (communes in order, then their hamlets) or per agent in the same order, with a column to note
the outcome of the reminder. The place column names the commune too (two communes can have namesake hamlets),
and the phone is the household's when the person has none of their own.
"""

from __future__ import annotations

from datetime import date

from ..extensions import db
from ..i18n.formatting import format_date, local_today
from ..org.models import Agent, Office
from .offices import office_seat

TITLES = {
    "paid_until": "Danh sách người tham gia BHXH tự nguyện đến hạn đóng",
    "stopped": "Danh sách người đã dừng đóng BHXH tự nguyện",
    "bhyt_expiring": "Danh sách người có thẻ BHYT sắp hết hạn",
    "bhyt_expired": "Danh sách người có thẻ BHYT đã hết hạn",
}


def issuer_of(user) -> tuple[str, str, str]:
    """(superior body, issuing body, place) for a user's documents: their office, or their agent's office."""
    office_id = user.office_id
    if office_id is None and getattr(user, "agent_id", None):
        agent = db.session.get(Agent, user.agent_id)
        office_id = agent.office_id if agent else None
    office = db.session.get(Office, office_id) if office_id else None
    if office is None:
        return "", "Bảo hiểm xã hội Việt Nam", ""
    parent = db.session.get(Office, office.parent_id) if office.parent_id else None
    return (parent.name if parent else ""), office.name, office_seat(office.name)


def _when(kind: str, person) -> str:
    value = person.paid_until if kind in ("paid_until", "stopped") else person.bhyt_expires_on
    return format_date(value) if value else ""


def due_sheet(result, f, user, *, today: date | None = None) -> dict:
    """The context of ``sheet.html`` for a due list (``result`` from households.queries.due_list)."""
    today = today or local_today()
    superior, issuer, place = issuer_of(user)
    per_agent = f.group == "agent"
    rows = []
    for group in result.groups:
        label = group.name or ("Chưa có đại lý" if per_agent else "")
        for person, head, address, _hamlet_id, hamlet, commune, household_phone in group.rows:
            household = head if not address else f"{head}, {address}"
            where = f"{hamlet}, {commune}"
            rows.append([str(len(rows) + 1), person.full_name,
                         str(person.date_of_birth.year) if person.date_of_birth else "",
                         person.phone or household_phone or "", person.bhxh_code or "", household,
                         f"{label} ({where})" if per_agent else where, _when(f.kind, person), ""])
    window = ""
    if result.start and result.end:
        window = f"từ {format_date(result.start)} đến {format_date(result.end)}"
    elif result.start:
        window = f"từ {format_date(result.start)}"
    date_label = "Đóng đến" if f.kind in ("paid_until", "stopped") else "Thẻ BHYT đến"
    facts = [["Số người", str(len(rows))],
             ["Sắp xếp", "theo đại lý thu" if per_agent else "theo xã, phường, trong đó theo thôn, tổ"]]
    if window:
        facts.insert(0, ["Thời gian", window])
    return {
        "title": TITLES.get(f.kind, TITLES["paid_until"]), "subtitle": None, "issuer_superior": superior,
        "issuer_name": issuer, "place": place or "……", "date": today, "facts": facts,
        "columns": [{"label": "STT", "width": 10, "align": "center"}, {"label": "Họ và tên", "width": 42},
                    {"label": "Năm sinh", "width": 14, "align": "center"},
                    {"label": "Điện thoại", "width": 24}, {"label": "Mã số BHXH", "width": 24},
                    {"label": "Chủ hộ, địa chỉ", "width": 48},
                    {"label": "Đại lý (thôn, xã)" if per_agent else "Thôn, tổ; xã, phường", "width": 44},
                    {"label": date_label, "width": 22, "align": "center"},
                    {"label": "Kết quả nhắc", "width": 30}],
        "rows": rows, "blank_rows": 0, "signatures": ["Người lập danh sách", "Đại lý thu"],
        "note": ("Ghi kết quả nhắc: đã đóng, hẹn ngày đóng, không liên lạc được, không tiếp tục. "
                 "Người tham gia tra cứu quá trình đóng trên ứng dụng VssID của BHXH Việt Nam."), "landscape": True,
    }
