"""Importing a messy real-world file of people and households."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.households.models import Household, Person

from .. import factories


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Số điện thoại", "Thôn/Tổ", "Địa chỉ",
          "Quan hệ với chủ hộ", "Ghi chú riêng"]


def test_messy_file_gives_an_exact_report_and_writes_nothing(client, auth, world):
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    data = _xlsx([
        ["DANH SÁCH HỘ GIA ĐÌNH RÀ SOÁT"], ["Xã Nghĩa Lộ Một, năm 2026"], [],
        HEADER,
        [unicodedata.normalize("NFD", "Lò Văn Pọm"), "05/03/1970", "Nam", 1234567890, "+84 912 000 111", hamlet,
         "Nhà 3", "Chủ hộ", "x"],
        ["Lò Thị Dợ", 29285, "Nữ", "", "", hamlet, "Nhà 3", "Vợ", ""],
        ["Lò Văn Sai", "31/02/1990", "Nam", "", "", hamlet, "Nhà 3", "Con", ""],
        ["Lò Văn Cũ", "01/01/1985", "Nam", "123456789", "", hamlet, "Nhà 4", "Chủ hộ", ""],
        ["Lò Thị Dợ", 29285, "Nữ", "", "", hamlet, "Nhà 3", "Vợ", ""],
        ["Lò Văn Lạ", "01/01/1990", "Nam", "", "", "Thôn Không Có", "Nhà 9", "Chủ hộ", ""],
        ["=1+1", "01/01/1990", "Nam", "", "", hamlet, "Nhà 9", "Chủ hộ", ""],
    ])
    before = _people()
    response = client.post(f"/households/import?commune={world.own.commune.id}", data={
        "commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for row, column in (("7", "B"), ("8", "D"), ("9", "A"), ("10", "F"), ("11", "A")):
        assert f'row-number">{row}</td><td>{column}</td>' in html, (row, column)
    assert "Ghi chú riêng" in html  # an unused column is named
    assert _people() == before


def test_clean_file_imports_once_and_reimport_changes_nothing(client, auth, world, runner):
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    rows = [HEADER,
            ["Lò Văn Pọm", "05/03/1970", "Nam", 1234567890, "+84 912 000 111", hamlet, "Nhà 3", "Chủ hộ", ""],
            ["Lò Thị Dợ", 29285, "Nữ", "", "", hamlet, "", "Vợ", ""],
            ["Lò Văn Páo", "12/08/2001", "Nam", "", "", hamlet, "", "Con", ""]]
    data = _xlsx(rows)
    url = f"/households/import?commune={world.own.commune.id}"
    form = {"commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")}
    assert client.post(url, data=form, content_type="multipart/form-data").status_code == 200
    before = _people()
    assert client.post(url, data={"commune": str(world.own.commune.id), "confirm": "1"}).status_code == 303
    assert _people() == before + 3
    head = db.session.scalar(select(Person).where(Person.cccd == "001234567890"))
    assert head.phone == "0912000111" and head.full_name == "Lò Văn Pọm"
    household = db.session.get(Household, head.household_id)
    members = db.session.scalar(select(func.count()).select_from(Person).where(Person.household_id == household.id))
    assert members == 3 and household.head_name == "Lò Văn Pọm"
    again = client.post(url, data={"commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")},
                        content_type="multipart/form-data")
    assert "Tệp không có gì mới" in again.get_data(as_text=True) or "Nothing new" in again.get_data(as_text=True)
    assert _people() == before + 3


def test_cli_dry_run_and_rejection(runner, world, tmp_path):
    hamlet = world.own.hamlet.name
    good = tmp_path / "good.xlsx"
    good.write_bytes(_xlsx([HEADER, ["Hà Văn Mới", "01/02/1988", "Nam", "", "", hamlet, "Nhà 50", "Chủ hộ", ""]]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([HEADER, ["Hà Văn Sai", "1988", "Nam", "", "", hamlet, "Nhà 51", "Chủ hộ", ""]]))
    before = _people()
    dry = runner.invoke(args=["households", "import", str(good), "--commune", world.own.commune.code, "--dry-run"])
    assert dry.exit_code == 0 and "mới 1" in dry.output and _people() == before
    rejected = runner.invoke(args=["households", "import", str(bad), "--commune", world.own.commune.code])
    assert rejected.exit_code == 1 and "dòng 2, cột B" in rejected.output
    real = runner.invoke(args=["households", "import", str(good), "--commune", world.own.commune.code])
    assert real.exit_code == 0 and _people() == before + 1


def test_import_outside_scope_is_hidden(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.get(f"/households/import?commune={world.near.commune.id}").status_code == 404


def _post_file(client, world, rows, name="ds.xlsx", **form):
    data = {"commune": str(world.own.commune.id), "file": (io.BytesIO(_xlsx(rows)), name), **form}
    return client.post(f"/households/import?commune={world.own.commune.id}", data=data,
                       content_type="multipart/form-data")


def _post(client, world, **form):
    return client.post(f"/households/import?commune={world.own.commune.id}",
                       data={"commune": str(world.own.commune.id), **form})


def test_unknown_columns_are_mapped_on_the_report_then_imported(client, auth, world):
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    rows = [["Người được rà soát", "Xóm", "Năm/tháng/ngày sinh"], ["Lò Văn Pọm", hamlet, "05/03/1970"],
            ["Lò Thị Dợ", hamlet, "12/08/1975"]]
    first = _post_file(client, world, rows)
    html = first.get_data(as_text=True)
    assert first.status_code == 422
    assert 'name="map-0"' in html and 'name="map-2"' in html and "Lò Văn Pọm" in html  # columns, with samples
    assert 'name="confirm"' not in html
    before = _people()
    choices = {"map-0": "full_name", "map-1": "hamlet", "map-2": "date_of_birth", "recheck": "1"}
    second = _post(client, world, **choices)
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and 'name="confirm"' in html
    assert '<input type="hidden" name="map-2" value="date_of_birth">' in html and _people() == before
    done = _post(client, world, confirm="1", **{k: v for k, v in choices.items() if k != "recheck"})
    assert done.status_code == 303 and _people() == before + 2
    pom = db.session.scalar(select(Person).where(Person.full_name == "Lò Văn Pọm"))
    assert pom.date_of_birth.isoformat() == "1970-03-05" and pom.hamlet_id == world.own.hamlet.id


def test_missing_hamlets_are_created_only_when_asked(client, auth, world):
    from portal.audit.models import AuditEntry
    from portal.geo.models import Hamlet

    auth.login(world.users["local_officer"])
    rows = [HEADER, ["Vàng Seo Chứ", "01/01/1980", "Nam", "", "", "Bản Mới Lập", "Nhà 1", "Chủ hộ", ""],
            ["Vàng Thị Súa", "02/02/1982", "Nữ", "", "", "bản mới lập", "Nhà 1", "Vợ", ""]]
    refused = _post_file(client, world, rows)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'name="create_hamlets"' in html and "Bản Mới Lập" in html
    assert 'row-number">2</td><td>F</td>' in html and 'row-number">3</td><td>F</td>' in html
    checked = _post(client, world, recheck="1", create_hamlets="1")
    assert checked.status_code == 200 and '<input type="hidden" name="create_hamlets" value="1">' in \
        checked.get_data(as_text=True)
    assert db.session.scalar(select(Hamlet).where(Hamlet.name == "Bản Mới Lập")) is None  # nothing yet
    assert _post(client, world, confirm="1", create_hamlets="1").status_code == 303
    hamlet = db.session.scalar(select(Hamlet).where(Hamlet.name == "Bản Mới Lập"))
    assert hamlet.commune_id == world.own.commune.id and hamlet.kind == "bản"
    members = db.session.scalars(select(Person).where(Person.hamlet_id == hamlet.id)).all()
    assert sorted(p.full_name for p in members) == ["Vàng Seo Chứ", "Vàng Thị Súa"]
    assert len({p.household_id for p in members}) == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "households.import"))
    assert entry.details["hamlets_created"] == 1 and entry.details["new"] == 2


def test_a_person_found_by_number_is_updated_where_the_file_says_more(client, auth, world):
    from portal.households.models import person_tags

    own = world.own
    household, person = factories.make_household(own.hamlet, "Đinh Văn Tâm", cccd="001080000123",
                                                 occupation="Làm nông", date_of_birth=date(1980, 1, 2))
    version = person.version
    auth.login(world.users["local_officer"])
    header = ["Họ và tên", "Số CCCD", "Số điện thoại", "Thôn/Tổ", "Nghề nghiệp", "Nhóm đối tượng"]
    rows = [header, ["Đinh Văn Tâm", "1080000123", "0987 654 321", own.hamlet.name, "", "Hộ kinh doanh; Cận nghèo"]]
    report = _post_file(client, world, rows)
    html = report.get_data(as_text=True)
    assert report.status_code == 200 and "Đinh Văn Tâm" in html
    assert _post(client, world, confirm="1").status_code == 303
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert person.phone == "0987654321" and person.occupation == "Làm nông"  # an empty cell keeps the value
    assert person.version == version + 1
    tags = set(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == person.id)))
    assert tags == {"household_business", "near_poor"}
    again = _post_file(client, world, rows)
    assert "Tệp không có gì mới" in again.get_data(as_text=True) or "Nothing new" in again.get_data(as_text=True)


def test_numbers_that_clash_with_the_registry_are_rejected(client, auth, world):
    own, near = world.own, world.near
    factories.make_household(near.hamlet, "Người Xã Khác", cccd="001090000001")
    factories.make_household(own.hamlet, "Phạm Văn Một", cccd="001090000002", bhxh_code="0190000002")
    factories.make_household(own.hamlet2, "Phạm Văn Hai", cccd="001090000003", bhxh_code="0190000003",
                             address="Nhà 2")
    auth.login(world.users["local_officer"])
    header = ["Họ và tên", "Số CCCD", "Mã số BHXH", "Thôn/Tổ", "Địa chỉ"]
    rows = [header,
            ["Người Xã Khác", "001090000001", "", own.hamlet.name, ""],  # registered in another commune
            ["Phạm Văn Khác", "001090000003", "", own.hamlet.name, ""],  # this number is someone else's name
            ["Phạm Văn Một", "001090000002", "0190000003", own.hamlet.name, ""],  # two people's numbers
            ["Phạm Văn Hai", "001090000009", "", own.hamlet2.name, "Nhà 2"]]  # already has another CCCD
    response = _post_file(client, world, rows)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for row, column in (("2", "B"), ("3", "A"), ("4", "C"), ("5", "B")):
        assert f'row-number">{row}</td><td>{column}</td>' in html, (row, column)
    assert "…0003" in html  # the number already held is shown masked


def test_a_namesake_elsewhere_is_a_warning_and_another_commune_a_rejection(client, auth, world):
    own = world.own
    factories.make_household(own.hamlet2, "Hà Văn Trùng", address="Nhà 9", date_of_birth=date(1990, 1, 1))
    auth.login(world.users["local_officer"])
    header = ["Họ và tên", "Ngày sinh", "Thôn/Tổ", "Xã/Phường", "Địa chỉ"]
    warned = _post_file(client, world, [header, ["Hà Văn Trùng", "01/01/1990", own.hamlet.name, "", "Nhà 1"]])
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200 and 'class="data import-warnings"' in html and 'name="confirm"' in html
    elsewhere = _post_file(client, world, [header, ["Hà Văn Lạ", "", own.hamlet.name, world.near.commune.name, ""]])
    assert elsewhere.status_code == 422 and 'row-number">2</td><td>D</td>' in elsewhere.get_data(as_text=True)


def test_a_failed_write_leaves_nothing_behind(client, auth, world, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from portal.households import import_writer

    auth.login(world.users["local_officer"])
    rows = [HEADER] + [[f"Lý Văn {n}", "01/01/1980", "Nam", "", "", world.own.hamlet.name, f"Nhà {n}", "Chủ hộ", ""]
                       for n in ("An", "Bình", "Cường")]
    assert _post_file(client, world, rows).status_code == 200
    households = db.session.scalar(select(func.count()).select_from(Household))
    before = _people()

    def broken(report, now):
        raise IntegrityError("UPDATE people", {}, Exception("a concurrent change"))

    monkeypatch.setattr(import_writer, "_update", broken)  # after households and people were inserted
    response = _post(client, world, confirm="1")
    assert response.status_code == 303
    assert _people() == before and db.session.scalar(select(func.count()).select_from(Household)) == households
