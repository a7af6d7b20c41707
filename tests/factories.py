"""Factories for test objects. Each commits, so the object is visible to requests made afterwards."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import cache

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.extensions import db

DEFAULT_PASSWORD = "mat-khau-thu-nghiem"  # noqa: S105
_counter = itertools.count(1)


@cache
def _default_hash() -> str:
    # Argon2 is slow on purpose; one hash serves every test user with the default password.
    return hash_password(DEFAULT_PASSWORD)


def make_user(role: str = "admin", *, username: str | None = None, password: str | None = None, **fields) -> User:
    """A committed user of a role."""
    n = next(_counter)
    user = User(
        username=username or f"{role.replace('_', '')}{n}",
        full_name=fields.pop("full_name", f"Người Dùng {n}"),
        role=role,
        password_hash=hash_password(password) if password else _default_hash(),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_province(code: str = "15", name: str = "Lào Cai", division_type: str = "tỉnh"):
    """A committed province (returns the existing one with that code)."""
    from portal.geo.models import Province

    province = Province.by_code(code)
    if province is None:
        province = Province(code=code, name=name, division_type=division_type)
        db.session.add(province)
        db.session.commit()
    return province


def make_commune(province, name: str | None = None, *, office=None, code: str | None = None, **fields):
    """A committed commune of a province."""
    from portal.geo.models import Commune

    n = next(_counter)
    commune = Commune(
        code=code or f"{90000 + n:05d}"[-5:],
        province_id=province.id,
        division_type=fields.pop("division_type", "xã"),
        office_id=office.id if office is not None else None,
        **fields,
    )
    commune.set_name(name or f"Xã Thử Nghiệm {n}")
    db.session.add(commune)
    db.session.commit()
    return commune


def make_hamlet(commune, name: str | None = None, kind: str = "thôn"):
    """A committed hamlet of a commune."""
    from portal.geo.models import Hamlet

    hamlet = Hamlet(commune_id=commune.id, kind=kind)
    hamlet.set_name(name or f"Thôn {next(_counter)}")
    db.session.add(hamlet)
    db.session.commit()
    return hamlet


def make_facility(province, name: str | None = None, *, code: str | None = None, level: str = "commune",
                  commune=None, active: bool = True):
    """A committed medical facility of a province (returns the existing one with that province and code)."""
    from sqlalchemy import select

    from portal.facilities.models import Facility

    if code is not None:
        found = db.session.scalar(select(Facility).where(Facility.province_id == province.id, Facility.code == code))
        if found is not None:
            return found
    n = next(_counter)
    facility = Facility(province_id=province.id, code=code or f"{province.code}{n % 1000:03d}", level=level,
                        commune_id=commune.id if commune is not None else None, active=active)
    facility.set_name(name or (f"Trạm Y tế {commune.name.lower()}" if commune is not None else f"Bệnh viện {n}"))
    db.session.add(facility)
    db.session.commit()
    return facility


def make_office(province, name: str | None = None, *, kind: str = "local", parent=None, code: str | None = None):
    """A committed BHXH office."""
    from portal.org.models import Office

    n = next(_counter)
    office = Office(
        code=code or f"BHXH-{province.code}-{n}",
        kind=kind,
        province_id=province.id,
        parent_id=parent.id if parent is not None else None,
    )
    office.set_name(name or (f"Bảo hiểm xã hội tỉnh {province.name}" if kind == "province" else f"BHXH cơ sở {n}"))
    db.session.add(office)
    db.session.commit()
    return office


def make_organisation(office, name: str | None = None, kind: str = "post_office"):
    """A committed agent organisation."""
    from portal.org.models import AgentOrganisation

    org = AgentOrganisation(office_id=office.id, kind=kind)
    org.set_name(name or f"Bưu điện {next(_counter)}")
    db.session.add(org)
    db.session.commit()
    return org


def make_agent(office, *, organisation=None, communes=(), hamlets=(), name: str | None = None, **fields):
    """A committed collection agent covering some communes and hamlets."""
    from portal.org.models import Agent

    n = next(_counter)
    agent = Agent(
        code=fields.pop("code", f"DL{n:05d}"),
        office_id=office.id,
        organisation_id=organisation.id if organisation is not None else None,
        **fields,
    )
    agent.set_name(name or f"Đại Lý Số {n}")
    agent.communes = list(communes)
    agent.hamlets = list(hamlets)
    db.session.add(agent)
    db.session.commit()
    return agent


def make_household(hamlet, head_name: str = "Nguyễn Văn An", *, address: str = "Nhà 1", **person_fields):
    """A committed household with its head as a person; returns (household, person)."""
    from portal.households.models import Household, Person
    from portal.households.services import place_person, set_household_fields, sync_tokens

    household = Household(poverty_status=person_fields.pop("poverty_status", "none"))
    set_household_fields(household, hamlet=hamlet, head_name=head_name, address=address)
    db.session.add(household)
    db.session.flush()
    person = Person(relation_to_head="head", **person_fields)
    person.set_name(head_name)
    place_person(person, household)
    db.session.add(person)
    db.session.flush()
    sync_tokens(person)
    db.session.commit()
    return household, person


def under_way(event) -> None:
    """Let an event have started an hour ago (ending in two hours): check-ins and its sign-ups are taken from the
    event's day on, results confirmed once it has started."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    event.starts_at, event.ends_at = start, start + timedelta(hours=3)
    db.session.commit()


def on_the_day(monkeypatch, event) -> None:
    """Set the clock of check-ins, sign-ups and results to an hour after the event starts (for an event kept on
    its own date)."""
    monkeypatch.setattr("portal.results.services.utcnow", lambda: event.starts_at + timedelta(hours=1))


def make_event(commune, office, *, agents=(), title: str = "Hội nghị tuyên truyền", starts_at=None, **fields):
    """A committed scheduled conference in a commune."""
    from datetime import UTC, datetime, timedelta

    from portal.events.models import Event, event_agents

    starts_at = starts_at or datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    event = Event(kind=fields.pop("kind", "conference"), title=title, commune_id=commune.id,
                  venue=fields.pop("venue", "Nhà văn hóa"), starts_at=starts_at,
                  ends_at=starts_at + timedelta(hours=3), organiser_office_id=office.id,
                  status=fields.pop("status", "scheduled"), **fields)
    db.session.add(event)
    db.session.flush()
    if agents:
        db.session.execute(event_agents.insert(), [{"event_id": event.id, "agent_id": a.id} for a in agents])
    db.session.commit()
    return event


def make_visit_list(event, household, agent=None):
    """A committed pre-visit list of an event with one household assigned to an agent."""
    from portal.visits.building import add_households
    from portal.visits.models import VisitAssignment, VisitList

    visit_list = VisitList(event_id=event.id, next_row=1)
    db.session.add(visit_list)
    db.session.flush()
    add_households(visit_list, [household.id])
    assignment = db.session.scalar(db.select(VisitAssignment).where(VisitAssignment.visit_list_id == visit_list.id))
    assignment.agent_id = agent.id if agent is not None else None
    db.session.commit()
    return visit_list, assignment


def make_invitation(event, household, agent=None):
    """A committed invitation of a household to an event, numbered on the attendance sheet."""
    from portal.results import services

    invitation = services.invite(event, household.id, agent_id=agent.id if agent else None)
    services.number_sheet(event)
    db.session.commit()
    return invitation


def make_evidence(event, content: bytes = b"%PDF-1.4 test evidence"):
    """A committed evidence file of an event, kept in the app's file store."""
    import hashlib
    import secrets

    from portal.results.models import Evidence
    from portal.storage import storage

    stored = secrets.token_hex(16) + ".pdf"
    storage().put(Evidence.key_of(stored), content)
    evidence = Evidence(event_id=event.id, kind="attendance", original_name="danh-sach.pdf", stored_name=stored,
                        content_type="application/pdf", size=len(content), sha256=hashlib.sha256(content).hexdigest())
    db.session.add(evidence)
    db.session.commit()
    return evidence


def make_speaker(office, name: str = "Nguyễn Văn Giảng", **fields):
    """A committed speaker of an office's register."""
    from portal.events.models import Speaker

    speaker = Speaker(office_id=office.id, position=fields.pop("position", "Phó Giám đốc"), **fields)
    speaker.set_name(name)
    db.session.add(speaker)
    db.session.commit()
    return speaker


def make_campaign(province, province_office, *, year: int = 2027, kind: str = "may_month", **fields):
    """A committed campaign of a province (the May campaign month by default)."""
    from datetime import date

    from portal.campaigns.models import Campaign

    campaign = Campaign(name=fields.pop("name", f"Tháng vận động BHXH toàn dân năm {year}"), kind=kind,
                        starts_on=date(year, 5, 1), ends_on=date(year, 5, 31), province_id=province.id,
                        office_id=province_office.id, status=fields.pop("status", "draft"), **fields)
    db.session.add(campaign)
    db.session.commit()
    return campaign


def make_point(commune, *, hamlet=None, organisation=None, agents=(), name: str | None = None, **fields):
    """A committed collection point of a commune (in a hamlet if given), with its agents."""
    from portal.network.models import CollectionPoint, collection_point_agents

    point = CollectionPoint(commune_id=commune.id, hamlet_id=hamlet.id if hamlet is not None else None,
                            organisation_id=organisation.id if organisation is not None else None,
                            opening_days=fields.pop("opening_days", "mon wed fri"), **fields)
    point.set_name(name or f"Điểm thu {next(_counter)}")
    db.session.add(point)
    db.session.flush()
    if agents:
        db.session.execute(collection_point_agents.insert(), [{"point_id": point.id, "agent_id": a.id}
                                                              for a in agents])
    db.session.commit()
    return point


def make_collaborator(commune, name: str = "Lò Văn Trưởng", *, role: str = "hamlet_head", hamlet=None, **fields):
    """A committed collaborator of a commune."""
    from portal.network.models import Collaborator

    row = Collaborator(commune_id=commune.id, role=role, hamlet_id=hamlet.id if hamlet is not None else None,
                       **fields)
    row.set_name(name)
    db.session.add(row)
    db.session.commit()
    return row
