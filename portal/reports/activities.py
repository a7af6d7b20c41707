"""Outreach activities of a campaign by kind: how many were held, who came, and the media work's items and reach.

Conferences are not the only activity offices count: talks within other meetings, round-tables, legal-advice
sessions, trainings, door-to-door days and media work are reported too, each with its own figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..auth.scope import Place
from ..events.models import EVENT_KINDS, Event
from ..extensions import db
from ..geo.models import Commune
from ..results.models import Attendance
from .exports import Column, Table
from .queries import HELD, utc_bounds

#: The kinds as the printed reports name them.
KIND_VI = {
    "conference": "Hội nghị tuyên truyền", "training": "Tập huấn đại lý thu, cộng tác viên",
    "door_to_door": "Ra quân đến từng nhà", "mobile_propaganda": "Tuyên truyền lưu động", "dialogue": "Đối thoại",
    "integrated_talk": "Tuyên truyền lồng ghép", "round_table": "Tọa đàm", "legal_advice": "Tư vấn pháp luật",
    "media": "Truyền thông (loa truyền thanh, bài viết, bài đăng)",
}
assert set(KIND_VI) == set(EVENT_KINDS)


@dataclass
class ActivityLine:
    """One kind of activity held in the campaign's period."""

    kind: str
    held: int = 0
    #: Check-ins at the event plus the head count recorded for talks, round-tables and legal advice.
    attendees: int = 0
    media_items: int = 0
    reach: int = 0


def by_kind(campaign, where: Place) -> list[ActivityLine]:
    """Activities held in the campaign's period in the communes of the offices the place covers, by kind (in the
    order of EVENT_KINDS, kinds with none left out). Two queries."""
    start, end = utc_bounds(campaign)
    held = (Event.status.in_(HELD), Event.starts_at >= start, Event.starts_at < end,
            Event.commune_id.in_(select(Commune.id).where(Commune.office_id.in_(where.covered_office_ids))))
    lines: dict[str, ActivityLine] = {}
    for kind, count, counted, items, reach in db.session.execute(
            select(Event.kind, func.count(), func.sum(Event.attendee_count), func.sum(Event.media_items),
                   func.sum(Event.reach)).where(*held).group_by(Event.kind)):
        lines[kind] = ActivityLine(kind, int(count), int(counted or 0), int(items or 0), int(reach or 0))
    for kind, people in db.session.execute(
            select(Event.kind, func.count(Attendance.id)).join(Attendance, Attendance.event_id == Event.id)
            .where(*held).group_by(Event.kind)):
        if kind in lines:
            lines[kind].attendees += int(people)
    return [lines[k] for k in EVENT_KINDS if k in lines]


def table(lines: list[ActivityLine]) -> Table:
    """The activities as a table of the printed and exported reports."""
    columns = [Column("Hình thức", "text", 40, 80), Column("Số buổi, đợt đã tổ chức", "int", 14, 30),
               Column("Số người dự", "int", 14, 30), Column("Số buổi phát thanh, bài viết, bài đăng", "int", 16, 34),
               Column("Lượt tiếp cận", "int", 14, 30)]
    media = [line.kind == "media" for line in lines]
    rows = [[KIND_VI[line.kind], line.held, None if m else line.attendees, line.media_items if m else None,
             line.reach if m else None] for line, m in zip(lines, media, strict=True)]
    return Table("Hoạt động theo hình thức", columns, rows,
                 total=["Tổng cộng", sum(line.held for line in lines), None, None, None] if lines else None,
                 note=None if lines else "Chưa có hoạt động nào được tổ chức trong thời gian của chiến dịch.")
