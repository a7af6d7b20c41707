"""Loading the official geography (the demo data: tests/test_demo.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.models import Commune, Province


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
