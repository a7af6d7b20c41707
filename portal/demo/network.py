"""Demo of the outreach network: former communes, collection points, collaborators, commune facts, a training
whose attendance updates the agents' records, a talk within a village meeting and loudspeaker broadcasts.

Idempotent: every record is looked up by its name before it is created. The demo import file
(``files/ho-gia-dinh-xa-cu.csv``) names the former town of Mù Cang Chải and the former commune of Kim Nọi; it
lands in Xã Mù Cang Chải (the two hamlets it names are new: the import report offers to create them)."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import select

from ..auth.models import User
from ..campaigns.queries import may_campaign_of
from ..events import services as event_services
from ..events.models import Event
from ..extensions import db
from ..geo import facts, former
from ..geo.models import Commune, CommuneFact, Hamlet
from ..network import services as network
from ..network.models import Collaborator, CollectionPoint
from ..org.models import Agent, AgentOrganisation, Office, agent_communes, agent_hamlets
from .fieldwork import lower_first

IMPORT_FILE = Path(__file__).parent / "files" / "ho-gia-dinh-xa-cu.csv"
#: The commune the demo import file belongs to.
IMPORT_COMMUNE = "Xã Mù Cang Chải"
DEMO_SOURCE = "Dữ liệu minh họa"
#: Communes of the demo office recorded as meeting the new-rural standard, and as having escaped poverty.
NEW_RURAL, ESCAPED_POVERTY = ("Xã Tú Lệ", "Xã Sơn Lương"), ("Xã Nậm Có",)
COLLABORATORS = [
    ("Lò Văn Thanh", "hamlet_head", "Trưởng thôn"),
    ("Hoàng Thị Hiền", "association_leader", "Chi hội trưởng Hội Phụ nữ"),
    ("Giàng A Sình", "commune_official", "Công chức Lao động - Thương binh và Xã hội xã"),
]


def load_network(today: date) -> int:
    """Create what is missing; return how many records were added (caller commits)."""
    added = former.load().added
    office = db.session.scalar(select(Office).where(Office.code == "BHXH-15-NL"))
    if office is None:
        return added
    communes = list(db.session.scalars(select(Commune).where(Commune.office_id == office.id)
                                       .order_by(Commune.sort_key)))
    added += _points(office, communes)
    added += _facts(communes)
    added += _collaborators(communes)
    added += _activities(office, communes, today)
    db.session.flush()
    return added


def _agents_of(hamlet_id: int) -> list[int]:
    return list(db.session.scalars(select(agent_hamlets.c.agent_id).where(agent_hamlets.c.hamlet_id == hamlet_id)))


def _points(office: Office, communes: list[Commune]) -> int:
    """A post-office point for each commune; points in the first hamlets of half of them (the rest are gaps)."""
    post = db.session.scalar(select(AgentOrganisation).where(AgentOrganisation.office_id == office.id,
                                                              AgentOrganisation.kind == "post_office"))
    added = 0
    for index, commune in enumerate(communes):
        hamlets = list(db.session.scalars(select(Hamlet).where(Hamlet.commune_id == commune.id)
                                          .order_by(Hamlet.sort_key)))
        agents = list(db.session.scalars(select(agent_communes.c.agent_id)
                                         .where(agent_communes.c.commune_id == commune.id)))
        wanted = [(f"Điểm thu Bưu điện văn hóa {commune.name.replace('Xã ', 'xã ').replace('Phường ', 'phường ')}",
                   None, ["mon", "tue", "wed", "thu", "fri"], "7:30–11:00, 13:30–17:00", agents)]
        if index % 2 == 0:
            wanted += [(f"Điểm thu {hamlet.name}", hamlet.id, ["sat"] if n else ["wed", "sat"], "7:30–10:30",
                        _agents_of(hamlet.id)) for n, hamlet in enumerate(hamlets[:2])]
        for name, hamlet_id, days, hours, agent_ids in wanted:
            if db.session.scalar(select(CollectionPoint.id).where(CollectionPoint.commune_id == commune.id,
                                                                  CollectionPoint.name == name)) is not None:
                continue
            network.save_point(None, name=name, commune_id=commune.id, hamlet_id=hamlet_id,
                               organisation_id=post.id if post else None, address=None, days=days, hours=hours,
                               active=True, agent_ids=agent_ids)
            added += 1
    return added


def _facts(communes: list[Commune]) -> int:
    added = 0
    for names, fact, day in ((NEW_RURAL, "new_rural", date(2024, 12, 20)),
                             (ESCAPED_POVERTY, "escaped_poverty", date(2025, 12, 15))):
        for commune in communes:
            if commune.name in names and db.session.scalar(select(CommuneFact.id).where(
                    CommuneFact.commune_id == commune.id, CommuneFact.fact == fact)) is None:
                facts.record(commune, fact=fact, value=True, effective_from=day, source=DEMO_SOURCE)
                added += 1
    return added


def _collaborators(communes: list[Commune]) -> int:
    added = 0
    for commune in communes[:4]:
        hamlet = db.session.scalar(select(Hamlet).where(Hamlet.commune_id == commune.id).order_by(Hamlet.sort_key))
        for n, (name, role, position) in enumerate(COLLABORATORS):
            full_name = name if commune is communes[0] else f"{name.rsplit(' ', 1)[0]} {commune.name.split()[-1]}"
            if db.session.scalar(select(Collaborator.id).where(Collaborator.commune_id == commune.id,
                                                               Collaborator.full_name == full_name)) is not None:
                continue
            at_hamlet = hamlet if role != "commune_official" and hamlet else None
            place = f" {lower_first(at_hamlet.name)}" if at_hamlet else ""
            network.save_collaborator(None, full_name=full_name, role=role, position=position + place,
                                      commune_id=commune.id, hamlet_id=at_hamlet.id if at_hamlet else None,
                                      phone=f"09{n + 1}2{commune.id % 10000:04d}{n:02d}"[:10], active=True)
            added += 1
    return added


def _activities(office: Office, communes: list[Commune], today: date) -> int:
    """A training held a month ago (its attendance recorded), a talk within a village meeting and loudspeaker
    broadcasts in last May's campaign."""
    officer = db.session.scalar(select(User).where(User.username == "coso"))
    last_may = may_campaign_of(office.province_id, today.year if today > date(today.year, 5, 31) else today.year - 1)
    commune = communes[0]
    second = next((c for c in communes[1:] if c.division_type == "xã"), communes[-1])
    hamlet = db.session.scalar(select(Hamlet).where(Hamlet.commune_id == second.id).order_by(Hamlet.sort_key))
    training_day = today - timedelta(days=30)
    may_day = date(last_may.starts_on.year, 5, 14) if last_may else today - timedelta(days=20)
    plans = [
        dict(kind="training", title="Tập huấn nghiệp vụ cho đại lý thu và cộng tác viên", commune=commune,
             venue=f"Hội trường {office.name}", day=training_day, at=(time(8, 0), time(16, 30)), campaign=None),
        dict(kind="integrated_talk", title=f"Tuyên truyền lồng ghép họp {lower_first(hamlet.name)}" if hamlet else
             "Tuyên truyền lồng ghép họp thôn", commune=second, venue=f"Nhà văn hóa {lower_first(hamlet.name)}"
             if hamlet else "Nhà văn hóa thôn", day=may_day, at=(time(19, 30), time(21, 0)), campaign=last_may,
             extra={"host_meeting": f"Họp thôn định kỳ tháng 5 {lower_first(hamlet.name)}" if hamlet else "Họp thôn",
                    "attendee_count": 46}),
        dict(kind="media", title=f"Phát thanh tuyên truyền BHXH tự nguyện trên loa {lower_first(commune.name)}",
             commune=commune, venue=f"Đài truyền thanh {lower_first(commune.name)}", day=may_day + timedelta(days=1),
             at=(time(6, 0), time(6, 30)), campaign=last_may,
             extra={"media_channel": "loudspeaker", "media_items": 12, "reach": 3500}),
    ]
    added = 0
    for plan in plans:
        if db.session.scalar(select(Event.id).where(Event.title == plan["title"])) is not None:
            continue
        fields = {"kind": plan["kind"], "title": plan["title"], "commune_id": plan["commune"].id,
                  "hamlet_id": None, "venue": plan["venue"],
                  "starts_at": event_services.local_moment(plan["day"], plan["at"][0]),
                  "ends_at": event_services.local_moment(plan["day"], plan["at"][1]),
                  "organiser_office_id": office.id, "co_organiser_id": None,
                  "campaign_id": plan["campaign"].id if plan["campaign"] else None, "expected_attendance": None,
                  "notes": None, **plan.get("extra", {})}
        event = event_services.save(None, fields, speakers=[], agents=[], audience=[], user=officer,
                                    status="scheduled")
        event.status = "held"
        added += 1
        if plan["kind"] == "training":
            added += _training_attendance(event, office, communes, officer, today)
    return added


def _training_attendance(event: Event, office: Office, communes: list[Commune], officer, today: date) -> int:
    """Every active agent of the office but one came, and the collaborators of the first commune."""
    db.session.flush()
    agents = list(db.session.scalars(select(Agent.id).where(Agent.office_id == office.id, Agent.active.is_(True))
                                     .order_by(Agent.code)))
    collaborators = set(db.session.scalars(select(Collaborator.id).where(Collaborator.commune_id == communes[0].id)))
    network.record_training(event, agent_ids=set(agents[:-1]), collaborator_ids=collaborators, user=officer,
                            today=today)
    return len(agents[:-1]) + len(collaborators)
