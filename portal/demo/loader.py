"""Builds the demo data set: Lào Cai with three BHXH cơ sở offices, their hamlets, agents and one user per role.

Every step looks for what exists first (by official codes, office and agent codes, usernames), so running it
again adds nothing. Names are generated from fixed lists with a fixed seed, so every machine gets the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..auth import roles
from ..auth.models import User
from ..auth.services import create_user
from ..extensions import db
from ..geo.loader import load_geography
from ..geo.models import Commune, Hamlet, Province
from ..i18n.formatting import local_today
from ..org.models import Agent, AgentOrganisation, Office
from ..policy.services import seed_shipped
from .campaigns import load_campaigns
from .coverage import load_coverage
from .enrolments import load_outside_events
from .facilities import load_facilities
from .households import load_households
from .network import load_network
from .plan import load_plan
from .retention import load_retention

PROVINCE_CODE = "15"
#: The demo's "today" for coverage dates: the first day of the month the data is loaded.
DEMO_TODAY = date.today().replace(day=1)  # noqa: DTZ011 - a calendar date


@dataclass(frozen=True)
class DemoAccount:
    """A demo login printed by ``make run``."""

    username: str
    password: str
    role: str
    full_name: str
    office_code: str | None = None
    agent_code: str | None = None


#: Local offices: code, name, and the communes they serve with the district each belonged to before 2025.
OFFICES = [
    ("BHXH-15-NL", "Bảo hiểm xã hội cơ sở Nghĩa Lộ", "Tổ 5, phường Nghĩa Lộ, tỉnh Lào Cai", {
        "Mù Cang Chải": ["Xã Khao Mang", "Xã Mù Cang Chải", "Xã Púng Luông", "Xã Chế Tạo", "Xã Nậm Có"],
        "Trạm Tấu": ["Xã Trạm Tấu", "Xã Hạnh Phúc", "Xã Phình Hồ", "Xã Tà Xi Láng"],
        "Nghĩa Lộ": ["Phường Nghĩa Lộ", "Phường Trung Tâm", "Phường Cầu Thia"],
        "Văn Chấn": ["Xã Tú Lệ", "Xã Liên Sơn", "Xã Gia Hội", "Xã Sơn Lương", "Xã Thượng Bằng La",
                     "Xã Chấn Thịnh", "Xã Nghĩa Tâm", "Xã Văn Chấn", "Xã Cát Thịnh"],
    }),
    ("BHXH-15-SP", "Bảo hiểm xã hội cơ sở Sa Pa", "Phường Sa Pa, tỉnh Lào Cai", {
        "Sa Pa": ["Phường Sa Pa", "Xã Tả Phìn", "Xã Tả Van", "Xã Bản Hồ", "Xã Mường Bo"],
        "Bát Xát": ["Xã Bát Xát", "Xã Mường Hum", "Xã Dền Sáng", "Xã Y Tý", "Xã A Mú Sung", "Xã Trịnh Tường",
                    "Xã Bản Xèo"],
    }),
    ("BHXH-15-BH", "Bảo hiểm xã hội cơ sở Bắc Hà", "Xã Bắc Hà, tỉnh Lào Cai", {
        "Bắc Hà": ["Xã Bắc Hà", "Xã Bảo Nhai", "Xã Bản Liền", "Xã Cốc Lầu", "Xã Tả Củ Tỷ", "Xã Lùng Phình"],
        "Mường Khương": ["Xã Mường Khương", "Xã Pha Long", "Xã Bản Lầu", "Xã Cao Sơn"],
        "Si Ma Cai": ["Xã Si Ma Cai", "Xã Sín Chéng"],
    }),
]

DEMO_ACCOUNTS = [
    DemoAccount("admin", "demo-quantri-2026", roles.ADMIN, "Trần Quốc Huy"),
    DemoAccount("tinh", "demo-tinh-2026", roles.PROVINCE_OFFICER, "Lê Thị Hồng Nhung", office_code="BHXH-15"),
    DemoAccount("coso", "demo-coso-2026", roles.LOCAL_OFFICER, "Phạm Văn Đức", office_code="BHXH-15-NL"),
    DemoAccount("daily", "demo-daily-2026", roles.AGENT, "Hà Thị Mai", agent_code="DL-NL-01"),
    DemoAccount("xem", "demo-xem-2026", roles.VIEWER, "Hoàng Minh Tuấn", office_code="BHXH-15-NL"),
]

_HAMLET_WORDS = [
    "Nà Phát", "Khe Cam", "Bản Mế", "Làng Mới", "Pác Ngòi", "Nậm Khánh", "Sín Chải", "Tả Thàng", "Lùng Sán",
    "Ná Hối", "Cán Cấu", "Nậm Đét", "Làng Dỉn", "Cốc Phương", "Khe Bai", "Đồng Tâm", "Hồng Ca", "Nà Lốc",
    "Phiêng Ngần", "Bản Pho", "Suối Thầu", "Tà Chải", "Nậm Pạc", "Đông Hà", "Làng Vàng", "Khe Lếch",
]
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Lò", "Giàng", "Sùng",
           "Vàng", "Lù", "Triệu", "Lục", "Nông"]
_MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Thị Hồng", "Ngọc", "Thị Thanh"]
_MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "A", "Seo", "Văn Tuấn"]
_GIVEN_F = ["Mai", "Lan", "Hương", "Thảo", "Dung", "Ánh", "Yến", "Chi", "Sinh", "Dợ", "Mỷ", "Nhung", "Hà"]
_GIVEN_M = ["Dũng", "Hùng", "Tuấn", "Long", "Chứ", "Pháng", "Sơn", "Thắng", "Hải", "Lâm", "Phong", "Vinh"]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_F)} {rng.choice(_GIVEN_F)}"
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_M)} {rng.choice(_GIVEN_M)}"


def _phone(rng: random.Random) -> str:
    return rng.choice(["091", "094", "098", "097", "086", "088"]) + f"{rng.randrange(10**7):07d}"


class _Counter:
    def __init__(self):
        self.created = 0

    def add(self, obj):
        db.session.add(obj)
        self.created += 1
        return obj


def load_demo() -> int:
    """Create what is missing; return how many records were added."""
    rng = random.Random(2026)
    counter = _Counter()
    result = load_geography(PROVINCE_CODE)
    counter.created += result.provinces_added + result.communes_added
    db.session.flush()
    province = db.session.scalar(select(Province).where(Province.code == PROVINCE_CODE))
    communes = {c.name: c for c in db.session.scalars(select(Commune).where(Commune.province_id == province.id))}

    province_office = db.session.scalar(select(Office).where(Office.code == "BHXH-15"))
    if province_office is None:
        province_office = Office(code="BHXH-15", kind="province", province_id=province.id,
                                 address="Đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai", phone="02143840123")
        province_office.set_name("Bảo hiểm xã hội tỉnh Lào Cai")
        counter.add(province_office)
        db.session.flush()

    for code, name, address, districts in OFFICES:
        office = db.session.scalar(select(Office).where(Office.code == code))
        if office is None:
            office = Office(code=code, kind="local", province_id=province.id, parent_id=province_office.id,
                            address=address, phone="0214" + f"{rng.randrange(10**6):06d}")
            office.set_name(name)
            counter.add(office)
            db.session.flush()
        else:
            rng.randrange(10**6)  # keep the sequence identical on every run
        _load_office_area(rng, counter, office, districts, communes)
    db.session.flush()
    # Nghĩa Lộ's communes were in Yên Bái (facility codes 15…), Sa Pa's and Bắc Hà's in Lào Cai (10…).
    counter.created += load_facilities(PROVINCE_CODE, {
        "15": [name for names in OFFICES[0][3].values() for name in names],
        "10": [name for _c, _n, _a, districts in OFFICES[1:] for names in districts.values() for name in names],
    })
    _load_accounts(counter)
    counter.created += load_households(random.Random(7), DEMO_TODAY)
    counter.created += seed_shipped()
    counter.created += load_campaigns(DEMO_TODAY, PROVINCE_CODE)
    counter.created += load_outside_events(DEMO_TODAY, PROVINCE_CODE)
    counter.created += load_coverage(DEMO_TODAY, PROVINCE_CODE)
    counter.created += load_retention(local_today())
    counter.created += load_network(DEMO_TODAY)
    counter.created += load_plan(PROVINCE_CODE)
    db.session.commit()
    return counter.created


def _hamlet_name(word: str, ban: bool) -> str:
    """"Bản X" or "Thôn X"; a place name that is already a "Bản" keeps its own word."""
    if word.startswith(("Bản ", "Thôn ")):
        return word
    return f"{'Bản' if ban else 'Thôn'} {word}"


def _load_office_area(rng, counter, office, districts, communes) -> None:
    served: list[Commune] = []
    for district, names in districts.items():
        for commune_name in names:
            commune = communes[commune_name]
            if commune.office_id is None:
                commune.office_id = office.id
            if commune.legacy_district is None:
                commune.legacy_district = district
            served.append(commune)
    existing = {(h.commune_id, h.name): h for h in db.session.scalars(
        select(Hamlet).where(Hamlet.commune_id.in_([c.id for c in served])))}
    hamlets_by_commune: dict[int, list[Hamlet]] = {}
    for commune in served:
        count = rng.randint(4, 7)
        if commune.division_type == "phường":
            names = [(f"Tổ dân phố {i}", "tổ dân phố") for i in range(1, count + 1)]
        else:
            words = rng.sample(_HAMLET_WORDS, count)
            names = [(_hamlet_name(w, rng.random() < 0.4), None) for w in words]
        for hamlet_name, kind in names:
            kind = kind or ("bản" if hamlet_name.startswith("Bản") else "thôn")
            hamlet = existing.get((commune.id, hamlet_name))
            if hamlet is None:
                hamlet = Hamlet(commune_id=commune.id, kind=kind)
                hamlet.set_name(hamlet_name)
                counter.add(hamlet)
            hamlets_by_commune.setdefault(commune.id, []).append(hamlet)
    db.session.flush()

    short = office.code.rsplit("-", 1)[-1]
    organisations = []
    org_specs = [("post_office", f"Bưu điện {office.name.replace('Bảo hiểm xã hội cơ sở', 'khu vực')}"),
                 ("women_union", f"Hội Liên hiệp Phụ nữ {served[0].name}"),
                 ("farmers_union", f"Hội Nông dân {served[1].name}")]
    for kind, org_name in org_specs:
        org = db.session.scalar(select(AgentOrganisation).where(
            AgentOrganisation.office_id == office.id, AgentOrganisation.name == org_name))
        if org is None:
            org = AgentOrganisation(office_id=office.id, kind=kind, phone=_phone(rng))
            org.set_name(org_name)
            counter.add(org)
        else:
            _phone(rng)
        organisations.append(org)
    db.session.flush()

    # One agent for each pair of communes, covering all their hamlets.
    for index in range(0, len(served), 2):
        group = served[index:index + 2]
        code = f"DL-{short}-{index // 2 + 1:02d}"
        name, phone = _name(rng), _phone(rng)
        trained = date(2026, rng.randint(1, 4), rng.randint(1, 28)) if rng.random() < 0.8 else None
        organisation = organisations[0] if rng.random() < 0.7 else rng.choice(organisations[1:])
        if code == "DL-NL-01":
            name = "Hà Thị Mai"
        agent = db.session.scalar(select(Agent).where(Agent.code == code))
        if agent is None:
            agent = Agent(code=code, office_id=office.id, organisation_id=organisation.id, phone=phone,
                          trained_on=trained, active=True)
            agent.set_name(name)
            agent.communes = group
            agent.hamlets = [h for c in group for h in hamlets_by_commune.get(c.id, [])]
            counter.add(agent)


def _load_accounts(counter) -> None:
    for account in DEMO_ACCOUNTS:
        if User.by_username(account.username) is not None:
            continue
        fields = {}
        if account.office_code:
            fields["office_id"] = db.session.scalar(select(Office.id).where(Office.code == account.office_code))
        if account.agent_code:
            fields["agent_id"] = db.session.scalar(select(Agent.id).where(Agent.code == account.agent_code))
        create_user(username=account.username, full_name=account.full_name, role=account.role,
                    password=account.password, **fields)
        counter.created += 1
