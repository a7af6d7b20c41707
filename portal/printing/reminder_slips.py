"""Reminder slips for an agent's round: one slip per person to remind (a quarter of an A4 page each, cut along
the dashed lines), left at the door or handed over, with the due date, the last amount paid and the agent's
phone. The people are the agent's worklist (retention.queries.worklist), those still to remind."""

from __future__ import annotations

from datetime import date

from ..i18n.formatting import format_date, format_money, local_today
from ..retention import queries
from .due import issuer_of

SLIPS_PER_PAGE = 4
TITLES = {"bhxh_tn": "Phiếu nhắc đóng BHXH tự nguyện", "bhyt_hgd": "Phiếu nhắc gia hạn thẻ BHYT hộ gia đình"}


def _text(scheme: str, due_on: date | None, today: date) -> str:
    when = format_date(due_on) if due_on else "……"
    if scheme == "bhxh_tn":
        if due_on and due_on < today:
            return (f"Bảo hiểm xã hội tự nguyện của Ông/Bà đã đóng đến ngày {when}. Đề nghị Ông/Bà đóng tiếp để "
                    "thời gian tham gia không bị gián đoạn, bảo đảm quyền hưởng lương hưu sau này.")
        return (f"Bảo hiểm xã hội tự nguyện của Ông/Bà được đóng đến ngày {when}. Đề nghị Ông/Bà đóng tiếp "
                "trước ngày này để thời gian tham gia không bị gián đoạn.")
    if due_on and due_on < today:
        return (f"Thẻ bảo hiểm y tế hộ gia đình của Ông/Bà đã hết hạn ngày {when}. Đề nghị Ông/Bà gia hạn thẻ "
                "để tiếp tục được hưởng quyền lợi khám, chữa bệnh.")
    return (f"Thẻ bảo hiểm y tế hộ gia đình của Ông/Bà có giá trị đến ngày {when}. Đề nghị Ông/Bà gia hạn "
            "trước ngày này để quyền lợi khám, chữa bệnh không bị gián đoạn.")


def reminder_slips(work, agent, scheme: str, user, *, today: date | None = None) -> dict:
    """The context of ``reminder_slips.html`` for the people still to remind on a worklist."""
    today = today or local_today()
    superior, issuer, place = issuer_of(user)
    items = [i for i in work.items if i.state == "todo"]
    amounts = queries.last_amounts([i.person.id for i in items], scheme)
    slips = []
    for number, item in enumerate(items, start=1):
        amount = amounts.get(item.person.id)
        address = ", ".join(part for part in (item.address, item.hamlet, item.commune)
                            if part and (part is item.address or part not in (item.address or "")))
        slips.append({"number": number, "name": item.person.full_name, "household": item.head,
                      "address": address, "text": _text(scheme, item.due_on, today),
                      "amount": format_money(amount, "đồng") if amount else ""})
    pages = [slips[i:i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    return {"title": TITLES[scheme], "issuer_superior": superior, "issuer_name": issuer, "place": place or "……",
            "date": today, "pages": pages, "agent": agent.full_name if agent else "",
            "agent_phone": (agent.phone or "") if agent else ""}
