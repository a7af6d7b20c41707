"""Loading the official geography and the demo data."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.geo.models import Commune, Hamlet, Province
from portal.org.models import Agent, Office


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_geo_load_all_provinces_and_communes(runner):
    result = runner.invoke(args=["geo", "load"])
    assert result.exit_code == 0, result.output
    assert _count(Province) == 34
    assert _count(Commune) == 3321
    assert set(db.session.scalars(select(Commune.division_type).distinct())) == {"xã", "phường", "đặc khu"}
    lao_cai = Province.by_code("15")
    assert lao_cai.name == "Lào Cai" and lao_cai.full_name == "Tỉnh Lào Cai"
    again = runner.invoke(args=["geo", "load"])
    assert "34" not in again.output.split("added")[0] and _count(Commune) == 3321


def test_geo_load_one_province(runner):
    result = runner.invoke(args=["geo", "load", "--province", "15"])
    assert result.exit_code == 0, result.output
    assert _count(Province) == 1
    assert _count(Commune) == 99
    commune = db.session.scalar(select(Commune).where(Commune.name == "Phường Nghĩa Lộ"))
    assert commune.search_name == "phuong nghia lo"


def test_geo_load_unknown_province(runner):
    result = runner.invoke(args=["geo", "load", "--province", "99"])
    assert result.exit_code != 0
    assert "No province" in result.output


def test_demo_builds_a_territory_with_every_role(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert _count(Office) == 4
    assert _count(Hamlet) > 150
    assert _count(Agent) >= 20
    users = {u.username: u for u in db.session.scalars(select(User))}
    assert users["coso"].office_id is not None and users["daily"].agent_id is not None
    # Every hamlet of an office's communes is covered by at least one agent.
    uncovered = db.session.scalar(
        select(func.count()).select_from(Hamlet).where(
            Hamlet.commune_id.in_(select(Commune.id).where(Commune.office_id.is_not(None))),
            ~Hamlet.id.in_(select(db.text("hamlet_id FROM agent_hamlets"))),
        )
    )
    assert uncovered == 0
    counts = (_count(Hamlet), _count(Agent), _count(User))
    assert runner.invoke(args=["demo", "load"]).output.startswith("Demo data ready (0 new")
    assert (_count(Hamlet), _count(Agent), _count(User)) == counts
