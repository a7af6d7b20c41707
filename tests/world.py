"""Two territories side by side, with a user of every role in the first, for scope and matrix tests.

``own`` is the territory of the signed-in users: local office L1 of province P1 (communes C1, C2) with
agent A1 covering hamlet H1 of C1. ``other`` is what they must not see. For a local officer, an agent or a
viewer, that is local office L2 of the same province; for a province officer it is province P2.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path

from portal.auth import roles

from . import factories


@dataclass
class Territory:
    """The objects of one territory."""

    province: object
    province_office: object
    office: object
    commune: object
    commune2: object
    hamlet: object
    hamlet2: object
    organisation: object
    agent: object
    household: object = None
    person: object = None
    event: object = None
    visit_list: object = None
    assignment: object = None
    invitation: object = None
    evidence: object = None
    speaker: object = None


@dataclass
class World:
    """Both territories and the users of the own one."""

    own: Territory
    near: Territory  # another local office in the same province
    far: Territory  # another province
    users: dict = field(default_factory=dict)
    campaign_own: object = None
    campaign_far: object = None

    def other_for(self, role: str) -> Territory:
        """The territory a user of this role must not see."""
        return self.far if role == roles.PROVINCE_OFFICER else self.near


def _territory(province, province_office, label: str) -> Territory:
    office = factories.make_office(province, f"BHXH cơ sở {label}", parent=province_office)
    commune = factories.make_commune(province, f"Xã {label} Một", office=office)
    commune2 = factories.make_commune(province, f"Xã {label} Hai", office=office)
    hamlet = factories.make_hamlet(commune, f"Thôn {label} Thượng")
    hamlet2 = factories.make_hamlet(commune, f"Thôn {label} Hạ")
    organisation = factories.make_organisation(office, f"Bưu điện {label}")
    agent = factories.make_agent(office, organisation=organisation, communes=[commune], hamlets=[hamlet],
                                 name=f"Đại Lý {label}")
    territory = Territory(province, province_office, office, commune, commune2, hamlet, hamlet2, organisation,
                          agent)
    territory.household, territory.person = factories.make_household(hamlet, f"Hộ {label}")
    territory.event = factories.make_event(commune, office, agents=[agent], title=f"Hội nghị {label}")
    territory.visit_list, territory.assignment = factories.make_visit_list(territory.event, territory.household,
                                                                            agent)
    territory.invitation = factories.make_invitation(territory.event, territory.household, agent)
    territory.evidence = factories.make_evidence(territory.event)
    territory.speaker = factories.make_speaker(office, f"Báo Cáo Viên {label}")
    return territory


def build_world() -> World:
    """Create both territories and one user per role in the own one."""
    p1 = factories.make_province("15", "Lào Cai")
    p2 = factories.make_province("19", "Thái Nguyên")
    po1 = factories.make_office(p1, kind="province", code="BHXH-15")
    po2 = factories.make_office(p2, kind="province", code="BHXH-19")
    own = _territory(p1, po1, "Nghĩa Lộ")
    near = _territory(p1, po1, "Bảo Yên")
    far = _territory(p2, po2, "Đại Từ")
    world = World(own=own, near=near, far=far)
    world.campaign_own = factories.make_campaign(p1, po1)
    world.campaign_far = factories.make_campaign(p2, po2)
    world.users = {
        roles.ADMIN: factories.make_user(roles.ADMIN),
        roles.PROVINCE_OFFICER: factories.make_user(roles.PROVINCE_OFFICER, office_id=po1.id),
        roles.LOCAL_OFFICER: factories.make_user(roles.LOCAL_OFFICER, office_id=own.office.id),
        roles.AGENT: factories.make_user(roles.AGENT, agent_id=own.agent.id),
        roles.VIEWER: factories.make_user(roles.VIEWER, office_id=own.office.id),
    }
    return world


def _references(value, out: list) -> object:
    """``value`` with every model object replaced by its (class, primary key), collecting them in ``out``."""
    from .transactions import identity

    if value is None or isinstance(value, (str, int)):
        return value
    if is_dataclass(value):
        return replace(value, **{f.name: _references(getattr(value, f.name), out) for f in fields(value)})
    if isinstance(value, dict):
        return {k: _references(v, out) for k, v in value.items()}
    ref = identity(value)
    out.append(ref)
    return _Ref(ref)


@dataclass(frozen=True)
class _Ref:
    ref: tuple


def world_refs(world: World) -> tuple[World, list]:
    """The world with references in place of its objects, and the list of those references."""
    refs: list = []
    return _references(world, refs), refs


def fill_world(template: World, loaded: dict) -> World:
    """The world of :func:`world_refs` with each reference replaced by its object in ``loaded``."""

    def fill(value):
        if isinstance(value, _Ref):
            return loaded[value.ref]
        if is_dataclass(value):
            return replace(value, **{f.name: fill(getattr(value, f.name)) for f in fields(value)})
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    return fill(template)


def world_files(world: World) -> dict[Path, bytes]:
    """The files the world wrote (its evidence), by path, with their content."""
    from flask import current_app

    folder = Path(current_app.instance_path) / "uploads" / "evidence"
    found = {}
    for territory in (world.own, world.near, world.far):
        if territory.evidence is not None:
            path = folder / territory.evidence.stored_name
            found[path] = path.read_bytes()
    return found


__all__ = ["Territory", "World", "build_world", "fill_world", "world_files", "world_refs"]
