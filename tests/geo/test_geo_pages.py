"""Communes and hamlets pages, and the hamlet import."""

from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.models import Hamlet


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _count(commune) -> int:
    return db.session.scalar(select(func.count()).select_from(Hamlet).where(Hamlet.commune_id == commune.id))


def test_commune_search_without_diacritics_and_scope(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get("/geo/communes?q=nghia+lo").get_data(as_text=True)
    assert world.own.commune.name in html and world.near.commune.name not in html
    assert client.get(f"/geo/communes/{world.near.commune.id}").status_code == 404
    auth.logout()
    auth.login(world.users["agent"])
    html = client.get("/geo/communes").get_data(as_text=True)
    assert world.own.commune.name in html and world.own.commune2.name not in html


def test_hamlet_create_edit_duplicate_and_delete(client, auth, world):
    auth.login(world.users["local_officer"])
    commune = world.own.commune
    assert client.post(f"/geo/communes/{commune.id}/hamlets/new", data={"name": "Bản Mế", "kind": "bản"}
                       ).status_code == 303
    assert client.post(f"/geo/communes/{commune.id}/hamlets/new", data={"name": "Bản Mế", "kind": "bản"}
                       ).status_code == 422
    hamlet_id = db.session.scalar(select(Hamlet.id).where(Hamlet.name == "Bản Mế"))
    assert client.post(f"/geo/hamlets/{hamlet_id}/delete").status_code == 303
    assert db.session.scalar(select(Hamlet.id).where(Hamlet.id == hamlet_id)) is None
    # A hamlet with households stays.
    client.post(f"/geo/hamlets/{world.own.hamlet.id}/delete")
    assert db.session.get(Hamlet, world.own.hamlet.id) is not None


def test_import_reports_every_problem_and_writes_nothing(client, auth, world):
    auth.login(world.users["local_officer"])
    commune = world.own.commune
    before = _count(commune)
    data = _xlsx([
        ["DANH SÁCH THÔN, TỔ DÂN PHỐ"], ["Xã Nghĩa Lộ Một"], [],
        ["Tên thôn/tổ dân phố", "Loại"],
        [unicodedata.normalize("NFD", "Thôn Khe Cam"), None],
        ["Tổ dân phố 3", ""],
        ["", "thôn"],
        ["thôn khe cam", None],
        ["=HYPERLINK(\"x\")", None],
        ["Làng Mới", "làng xã"],
    ])
    response = client.post(f"/geo/communes/{commune.id}/hamlets/import",
                           data={"file": (io.BytesIO(data), "thon.xlsx")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for row in ("7", "8", "9", "10"):
        assert f'row-number">{row}<' in html
    assert _count(commune) == before


def test_import_preview_then_confirm_then_nothing_new(client, auth, world):
    auth.login(world.users["local_officer"])
    commune = world.own.commune
    before = _count(commune)
    data = _xlsx([["Thôn"], ["Thôn Khe Cam"], ["Tổ dân phố 3"], [world.own.hamlet.name]])
    response = client.post(f"/geo/communes/{commune.id}/hamlets/import",
                           data={"file": (io.BytesIO(data), "thon.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Tổ dân phố 3" in response.get_data(as_text=True)
    assert _count(commune) == before
    assert client.post(f"/geo/communes/{commune.id}/hamlets/import", data={"confirm": "1"}).status_code == 303
    assert _count(commune) == before + 2
    kinds = dict(db.session.execute(select(Hamlet.name, Hamlet.kind).where(Hamlet.commune_id == commune.id)).all())
    assert kinds["Tổ dân phố 3"] == "tổ dân phố" and kinds["Thôn Khe Cam"] == "thôn"
    again = client.post(f"/geo/communes/{commune.id}/hamlets/import",
                        data={"file": (io.BytesIO(data), "thon.xlsx")}, content_type="multipart/form-data")
    assert "0" in again.get_data(as_text=True) and _count(commune) == before + 2


def test_import_refuses_a_file_that_is_not_a_spreadsheet(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post(f"/geo/communes/{world.own.commune.id}/hamlets/import",
                           data={"file": (io.BytesIO(b"\x00\x01binary\x00junk"), "x.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "x.xlsx" in response.get_data(as_text=True)


def test_each_change_leaves_its_audit_entry(client, auth, world):
    from portal.audit.models import AuditEntry

    auth.login(world.users["local_officer"])
    commune = world.own.commune
    assert client.post(f"/geo/communes/{commune.id}/legacy-district", data={"legacy_district": " Văn Chấn "}
                       ).status_code == 303
    assert client.post(f"/geo/communes/{commune.id}/hamlets/new", data={"name": "Bản Mế", "kind": "bản"}
                       ).status_code == 303
    hamlet_id = db.session.scalar(select(Hamlet.id).where(Hamlet.name == "Bản Mế"))
    assert client.post(f"/geo/hamlets/{hamlet_id}/edit", data={"name": "Bản Mế Mới", "kind": "bản"}
                       ).status_code == 303
    assert client.post(f"/geo/hamlets/{hamlet_id}/delete").status_code == 303
    entries = [(e.action, e.object_type, e.object_id, e.details) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type.in_(("commune", "hamlet"))).order_by(AuditEntry.id))]
    assert entries == [("commune.update", "commune", commune.id, {"legacy_district": "Văn Chấn"}),
                       ("hamlet.create", "hamlet", hamlet_id, None), ("hamlet.update", "hamlet", hamlet_id, None),
                       ("hamlet.delete", "hamlet", hamlet_id, {"name": "Bản Mế Mới"})]
    assert db.session.get(type(commune), commune.id).legacy_district == "Văn Chấn"


def test_island_communes(client, auth, world):
    from portal.audit.models import AuditEntry
    from tests import factories

    special = factories.make_commune(world.own.province, "Đặc khu Thử", division_type="đặc khu")
    assert special.island and not world.own.commune.island  # a special zone is an island unit by default
    commune = world.own.commune
    auth.login(world.users["local_officer"])
    assert f"geo/communes/{commune.id}/facts" not in client.get(f"/geo/communes/{commune.id}").get_data(
        as_text=True)
    island = {"fact": "island", "value": "1", "effective_from": "01/07/2025", "source": "Nghị quyết 1673"}
    assert client.post(f"/geo/communes/{commune.id}/facts", data=dict(island)).status_code == 403
    auth.login(world.users["province_officer"])
    page = client.get(f"/geo/communes/{commune.id}").get_data(as_text=True)
    assert f"/geo/communes/{commune.id}/facts" in page
    assert client.post(f"/geo/communes/{commune.id}/facts", data=dict(island)).status_code == 303
    assert db.session.get(type(commune), commune.id).island
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "commune.fact")).one()
    assert entry.object_id == commune.id and entry.details["fact"] == "island" and entry.details["value"] is True
    assert client.post(f"/geo/communes/{commune.id}/facts", data={**island, "value": "0"}).status_code == 303
    assert not db.session.get(type(commune), commune.id).island  # the same day again corrects the entry
