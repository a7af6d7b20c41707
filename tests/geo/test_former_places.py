"""Former communes (before July 2025): the shipped list, imports that name them, the commune search."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.geo import former
from portal.geo.models import FormerPlace
from portal.households.models import Person
from portal.org.models import Agent, agent_communes

from .. import factories

SOURCE = "Nghị quyết thử"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _places(world) -> None:
    own, near = world.own.commune.name, world.near.commune.name
    result = former.load("province_code,former_district,former_name,commune_name,source\n"
                         f"15,Huyện Văn Chấn,Thị trấn Sơn Thịnh,{own},{SOURCE}\n"
                         f"15,Huyện Văn Chấn,Xã Suối Bu,{near},{SOURCE}\n"
                         f"15,Huyện Trạm Tấu,Xã Suối Bu,{own},{SOURCE}\n"
                         f"15,Huyện Văn Chấn,Xã Không Có,Xã Chưa Tồn Tại,{SOURCE}\n")
    db.session.commit()
    assert (result.added, len(result.skipped)) == (3, 1)


def test_the_resolver_reads_current_and_former_names(world):
    _places(world)
    places = former.Resolver(province_ids=[world.own.province.id])
    assert places.find(world.own.commune.name).former is None
    found = places.find("thi tran son thinh")
    assert found.commune_id == world.own.commune.id
    assert found.label == f"Thị trấn Sơn Thịnh (cũ) → {world.own.commune.name}"
    assert places.find("Xã Suối Bu") is None  # two former communes of that name: the district decides
    assert places.find("Xã Suối Bu", "Huyện Trạm Tấu").commune_id == world.own.commune.id
    assert places.find("Xã Suối Bu", "Văn Chấn").commune_id == world.near.commune.id
    assert places.find("Xã Không Biết") is None


def test_loading_twice_updates_instead_of_adding(world):
    _places(world)
    again = former.load(f"province_code,former_district,former_name,commune_name,source\n"
                        f"15,Huyện Văn Chấn,Thị trấn Sơn Thịnh,{world.near.commune.name},{SOURCE}\n")
    assert (again.added, again.updated) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(FormerPlace)) == 3


def test_the_shipped_list_is_readable():
    text = former.SHIPPED.read_text(encoding="utf-8")
    assert text.startswith("province_code,former_district,former_name,commune_name,source")
    assert "Thị trấn Mù Cang Chải,Xã Mù Cang Chải" in text
    assert (Path(former.SHIPPED).parent / "README.md").exists()


def test_household_import_reads_a_former_commune_and_shows_it(client, auth, world):
    _places(world)
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Thôn/Tổ", "Xã/Phường", "Huyện", "Địa chỉ", "Quan hệ với chủ hộ"]
    data = _xlsx([header, ["Lò Văn Cũ", "01/01/1980", "Nam", hamlet, "Thị trấn Sơn Thịnh", "", "Nhà 1", "Chủ hộ"],
                  ["Lò Văn Hai", "01/01/1981", "Nam", hamlet, "Xã Suối Bu", "Huyện Trạm Tấu", "Nhà 2", "Chủ hộ"]])
    url = f"/households/import?commune={world.own.commune.id}"
    response = client.post(url, data={"commune": str(world.own.commune.id), "file": (io.BytesIO(data), "cu.xlsx")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert f"Thị trấn Sơn Thịnh (cũ) → {world.own.commune.name}" in html
    before = db.session.scalar(select(func.count()).select_from(Person))
    assert client.post(url, data={"commune": str(world.own.commune.id), "confirm": "1"}).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Person)) == before + 2


def test_household_import_rejects_a_former_commune_of_another_commune(client, auth, world):
    _places(world)
    auth.login(world.users["local_officer"])
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Thôn/Tổ", "Xã/Phường", "Huyện", "Địa chỉ", "Quan hệ với chủ hộ"]
    data = _xlsx([header, ["Lò Văn Ba", "01/01/1980", "Nam", world.own.hamlet.name, "Xã Suối Bu", "Huyện Văn Chấn",
                           "Nhà 1", "Chủ hộ"]])
    before = db.session.scalar(select(func.count()).select_from(Person))
    response = client.post(f"/households/import?commune={world.own.commune.id}", data={
        "commune": str(world.own.commune.id), "file": (io.BytesIO(data), "cu.xlsx")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Xã Suối Bu (cũ) → {world.near.commune.name}" in html and 'row-number">2</td><td>E</td>' in html
    assert db.session.scalar(select(func.count()).select_from(Person)) == before


def test_agent_and_hamlet_imports_read_former_communes(client, auth, world):
    _places(world)
    auth.login(world.users["local_officer"])
    agents = _xlsx([["Mã đại lý", "Họ và tên", "Xã/Phường"], ["DL-CU-01", "Hà Thị Cũ", "Thị trấn Sơn Thịnh"]])
    url = f"/org/agents/import?office={world.own.office.id}"
    response = client.post(url, data={"file": (io.BytesIO(agents), "dl.xlsx")}, content_type="multipart/form-data")
    assert "Thị trấn Sơn Thịnh (cũ) →" in response.get_data(as_text=True)
    assert client.post(url, data={"confirm": "1"}).status_code == 303
    agent = db.session.scalar(select(Agent).where(Agent.code == "DL-CU-01"))
    assert set(db.session.scalars(select(agent_communes.c.commune_id).where(
        agent_communes.c.agent_id == agent.id))) == {world.own.commune.id}
    hamlets = _xlsx([["Tên thôn", "Xã cũ"], ["Thôn Sơn Thịnh 1", "Thị trấn Sơn Thịnh"], ["Thôn Lạc", "Xã Suối Bu"]])
    response = client.post(f"/geo/communes/{world.own.commune.id}/hamlets/import",
                           data={"file": (io.BytesIO(hamlets), "thon.xlsx")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "Thị trấn Sơn Thịnh (cũ) →" in html and 'row-number">3</td>' in html


def test_commune_search_finds_the_commune_by_a_former_name(client, auth, world):
    _places(world)
    auth.login(world.users["local_officer"])
    html = client.get("/geo/communes?q=son+thinh").get_data(as_text=True)
    assert world.own.commune.name in html and world.near.commune.name not in html
    page = client.get(f"/geo/communes/{world.own.commune.id}").get_data(as_text=True)
    assert "Thị trấn Sơn Thịnh" in page and f"/network/points?commune={world.own.commune.id}" in page
    factories.make_commune(world.own.province, "Xã Sơn Thịnh Mới", office=world.own.office)
    assert "Xã Sơn Thịnh Mới" in client.get("/geo/communes?q=son+thinh").get_data(as_text=True)
