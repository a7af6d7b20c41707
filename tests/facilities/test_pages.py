"""The facilities register: list and search, add, edit, close and reopen, within the user's provinces."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.facilities.models import Facility

from .. import factories


def _facility(code):
    return db.session.scalar(select(Facility).where(Facility.code == code))


def test_search_without_diacritics_in_the_users_provinces(client, auth, world):
    station = factories.make_facility(world.own.province, "Trạm Y tế xã Nghĩa Lộ Một", code="15101",
                                      commune=world.own.commune)
    hospital = factories.make_facility(world.own.province, "Bệnh viện Đa khoa tỉnh Lào Cai", code="10001",
                                       level="province")
    far = factories.make_facility(world.far.province, "Trạm Y tế xã Đại Từ Một", code="19101",
                                  commune=world.far.commune)
    auth.login(world.users["local_officer"])
    html = client.get("/facilities/?q=tram+y+te").get_data(as_text=True)
    assert station.name in html and hospital.name not in html and far.name not in html
    html = client.get("/facilities/?q=BỆNH VIỆN").get_data(as_text=True)
    assert hospital.name in html and station.name not in html
    assert "10001" in client.get("/facilities/?q=100").get_data(as_text=True)
    # The active search answers with the results alone.
    fragment = client.htmx_get("/facilities/?q=nghia+lo", target="results").get_data(as_text=True)
    assert "<html" not in fragment and station.name in fragment
    auth.logout()
    auth.login(world.users["province_officer"])
    html = client.get("/facilities/?q=dai+tu").get_data(as_text=True)
    assert far.name not in html
    auth.logout()
    auth.login(world.users["admin"])
    assert far.name in client.get("/facilities/?q=dai+tu").get_data(as_text=True)


def test_closed_facilities_are_listed_only_when_asked(client, auth, world):
    closed = factories.make_facility(world.own.province, "Phòng khám khu vực Tú Lệ", code="15090", level="other",
                                     active=False)
    auth.login(world.users["viewer"])
    assert closed.name not in client.get("/facilities/").get_data(as_text=True)
    html = client.get("/facilities/?inactive=1").get_data(as_text=True)
    assert closed.name in html and "/deactivate" not in html and "/activate" not in html  # a viewer reads


def test_add_edit_and_refusals(client, auth, world):
    auth.login(world.users["province_officer"])
    province = world.own.province
    data = {"province_id": str(province.id), "code": " 15a01 ", "name": "Trạm  Y tế xã Nghĩa Lộ Hai",
            "level": "commune", "commune_id": str(world.own.commune2.id)}
    assert client.post("/facilities/new", data=data).status_code == 303
    facility = _facility("15A01")
    assert facility.name == "Trạm Y tế xã Nghĩa Lộ Hai" and facility.search_name == "tram y te xa nghia lo hai"
    assert facility.active and facility.commune_id == world.own.commune2.id
    # The same code twice in a province, a code that is not five letters or digits, a station without its commune.
    again = client.post("/facilities/new", data=data)
    assert again.status_code == 422 and "đã có" in again.get_data(as_text=True)
    assert client.post("/facilities/new", data={**data, "code": "15-01"}).status_code == 422
    assert client.post("/facilities/new", data={**data, "code": "15102", "commune_id": "0"}).status_code == 422
    # A province outside the officer's area is not there to choose.
    other = {**data, "province_id": str(world.far.province.id), "code": "19001", "commune_id": "0", "level": "other"}
    assert client.post("/facilities/new", data=other).status_code == 404
    response = client.post(f"/facilities/{facility.id}/edit", data={**data, "name": "Trạm Y tế xã Nghĩa Lộ 2"})
    assert response.status_code == 303
    db.session.refresh(facility)
    assert facility.name == "Trạm Y tế xã Nghĩa Lộ 2" and facility.code == "15A01"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "facility",
                                                                 AuditEntry.object_id == facility.id)).all()
    assert actions == ["facility.create", "facility.update"]


def test_the_communes_follow_the_province(client, auth, world):
    auth.login(world.users["admin"])
    page = client.get("/facilities/new").get_data(as_text=True)
    assert 'id="field-commune_id"' in page
    response = client.post("/facilities/new", data={"province_id": str(world.far.province.id), "code": "",
                                                    "name": "", "level": "commune", "commune_id": "0",
                                                    "_check": "commune-choices"},
                           headers={"HX-Request": "true", "HX-Trigger-Name": "", "HX-Target": "field-commune_id"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "<form" not in html
    assert world.far.commune.name in html and world.own.commune.name not in html
    assert 'class="error' not in html  # nothing is said about empty fields while filling in
    assert _facility("") is None


def test_close_and_reopen(client, auth, world):
    hospital = factories.make_facility(world.own.province, "Bệnh viện Đa khoa khu vực Nghĩa Lộ", code="15001",
                                       level="district")
    auth.login(world.users["province_officer"])
    assert client.post(f"/facilities/{hospital.id}/deactivate").status_code == 303
    db.session.refresh(hospital)
    assert not hospital.active
    assert hospital.name not in client.htmx_get("/facilities/", target="results").get_data(as_text=True)
    assert client.post(f"/facilities/{hospital.id}/activate").status_code == 303
    db.session.refresh(hospital)
    assert hospital.active
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "facility")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["facility.deactivate", "facility.activate"]
    far = factories.make_facility(world.far.province, "Bệnh viện Thái Nguyên", code="19001", level="province")
    assert client.post(f"/facilities/{far.id}/deactivate").status_code == 404
    db.session.refresh(far)
    assert far.active
