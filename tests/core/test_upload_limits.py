"""Hostile tables made in the test: refused with the limit named, nothing written; DTDs found past padding."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.core import tabular
from portal.extensions import db
from portal.households.models import Person


def _post(client, world, data: bytes, name: str):
    form = {"commune": str(world.own.commune.id), "file": (io.BytesIO(data), name)}
    return client.post(f"/households/import?commune={world.own.commune.id}", data=form,
                       content_type="multipart/form-data")


def test_a_wide_csv_is_refused_naming_the_column_limit_and_nothing_is_written(client, auth, world):
    people = db.session.scalar(select(func.count()).select_from(Person))
    auth.login(world.users["local_officer"])
    wide = ("Họ và tên,Thôn/Tổ," + ",".join(f"c{i}" for i in range(30_000)) + "\n").encode()
    response = _post(client, world, wide, "rong.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "200" in html and "cột" in html
    assert db.session.scalar(select(func.count()).select_from(Person)) == people


def test_many_rows_are_refused_naming_the_row_limit(client, auth, world, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 1_000)
    people = db.session.scalar(select(func.count()).select_from(Person))
    auth.login(world.users["local_officer"])
    rows = "Họ và tên,Thôn/Tổ\n" + "".join(f"Người Thứ,{world.own.hamlet.name}\n" for _ in range(1_500))
    response = _post(client, world, rows.encode(), "dai.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "1.000" in html and "dòng" in html
    assert db.session.scalar(select(func.count()).select_from(Person)) == people


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_CELLS", 50)
    data = ("a,b,c,d,e\n" * 20).encode()
    with pytest.raises(tabular.TableError, match="50"):
        list(tabular.read_rows(data, "o.csv"))


def test_a_dtd_pushed_past_the_start_of_a_part_by_padding_is_found():
    book = io.BytesIO()
    Workbook().save(book)
    source = zipfile.ZipFile(io.BytesIO(book.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = b" " * 100_000 + b'<!DOCTYPE x [<!ENTITY a "b">]>' + body
            target.writestr(item, body)
    with pytest.raises(tabular.TableError):
        list(tabular.read_rows(out.getvalue(), "dem.xlsx"))
