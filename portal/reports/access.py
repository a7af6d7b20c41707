"""Which part of a campaign's province a report request shows: the offices the user sees, and the level asked for."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER
from ..auth.scope import scoped
from ..extensions import db
from ..geo.models import Commune, Province
from ..org.models import Office

#: Who reads reports (agents see their own figures on their home page only).
READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)


@dataclass
class Place:
    """A level (offices, or one office's communes, agents or events) within the offices a user sees."""

    level: str
    offices: list[int]  #: local offices of the campaign's province the user sees
    office: Office | None = None
    commune: tuple[int, str] | None = None  #: (id, name) when the events of one commune are asked for

    @property
    def office_id(self) -> int | None:
        return self.office.id if self.office else None

    @property
    def office_ids(self) -> list[int]:
        return [self.office.id] if self.office else self.offices

    @property
    def single_office(self) -> bool:
        return len(self.offices) == 1

    def args(self, **changes) -> dict:
        """Query arguments that bring back this place (with some changed)."""
        args = {"level": self.level, "office": self.office_id,
                "commune": self.commune[0] if self.commune else None}
        args.update(changes)
        return {k: v for k, v in args.items() if v is not None and not (k == "level" and v == "office")}


def visible_offices(campaign) -> list[int]:
    """The local offices of the campaign's province whose territory the user sees."""
    return list(db.session.scalars(scoped(Office, select(Office.id)).where(
        Office.province_id == campaign.province_id, Office.kind == "local").order_by(Office.sort_key)))


def place(campaign, levels: tuple[str, ...] = ("commune", "agent")) -> Place:
    """``?level=``, ``?office=`` and ``?commune=`` of the request; an office the user does not see, or a
    commune outside the office, falls back to the offices level; one office only starts at its communes."""
    offices = visible_offices(campaign)
    level = request.args.get("level")
    level = level if level in levels else "office"
    office_id = request.args.get("office", type=int)
    if level != "office" and office_id not in offices:
        level, office_id = "office", None
    if level == "office" and len(offices) == 1:
        level, office_id = "commune", offices[0]
    result = Place(level, offices, db.session.get(Office, office_id) if office_id else None)
    commune_id = request.args.get("commune", type=int)
    if level == "event" and commune_id:
        found = db.session.execute(select(Commune.id, Commune.name).where(
            Commune.id == commune_id, Commune.office_id == office_id)).first()
        result.commune = tuple(found) if found else None
    return result


def issuer(campaign) -> dict:
    """The issuing body of a printed report: the user's office (and the office above it), and the place."""
    office = db.session.get(Office, current_user.office_id) if current_user.office_id else None
    office = office or db.session.get(Office, campaign.office_id)
    parent = db.session.get(Office, office.parent_id) if office.parent_id else None
    province = db.session.get(Province, campaign.province_id)
    superior = parent.name if parent else ("Bảo hiểm xã hội Việt Nam" if office.kind == "province" else "")
    return {"issuer_name": office.name, "issuer_superior": superior,
            "place": province.name if province else ""}
