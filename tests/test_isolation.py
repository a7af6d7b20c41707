"""What one test writes, the next does not see: the rolled-back mode of tests/transactions.py."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.models import Province

from . import factories


def test_without_the_world_the_database_is_empty(app):
    assert db.session.scalar(select(func.count()).select_from(Province)) == 0


def test_a_test_changes_the_world_and_adds_to_it(client, auth, world):
    world.own.event.title = "Đã đổi tên"
    factories.make_province("99", "Tỉnh Thử")
    auth.login(world.users["admin"])
    assert client.get(f"/events/{world.own.event.id}").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Province)) == 3


def test_the_next_one_sees_the_world_as_built(world):
    assert world.own.event.title == "Hội nghị Nghĩa Lộ"
    assert Province.by_code("99") is None
    assert db.session.scalar(select(func.count()).select_from(Province)) == 2
