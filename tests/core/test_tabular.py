"""Reading spreadsheets as officers have them, and refusing hostile files before anything is parsed."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date

import pytest
from flask_babel import gettext
from openpyxl import Workbook

from portal.core.tabular import MAX_UPLOAD_BYTES, Formula, TableError, read_rows, read_table

ALIASES = {"full_name": ["Họ và tên"], "date_of_birth": ["Ngày sinh"], "cccd": ["Số CCCD"]}


def _xlsx(rows, *, extra=None) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    if extra:
        extra(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change) -> bytes:
    """The same XLSX with some parts changed: ``change(name, bytes) -> bytes | None`` (None drops the part)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def test_header_below_title_rows_and_every_row_of_a_long_file(app):
    rows = [["DANH SÁCH RÀ SOÁT"], ["Xã Nghĩa Lộ"], [], ["STT", "Họ và tên", "Ngày sinh", "Số CCCD"]]
    rows += [[n, f"Người Số {n}", date(1980, 1, 1 + n % 28), 1234567890 + n] for n in range(1, 61)]
    table = read_table(_xlsx(rows), "ds.xlsx", ALIASES, required=["full_name"])
    assert table.header_row == 4 and table.columns == {"full_name": 1, "date_of_birth": 2, "cccd": 3}
    assert len(table.rows) == 60  # rows past the header scan are read too
    assert table.rows[0] == (5, [1, "Người Số 1", date(1980, 1, 2), 1234567891])
    assert table.rows[-1][0] == 64 and table.rows[-1][1][1] == "Người Số 60"


def test_text_is_nfc_and_trimmed_and_formulas_come_back_unevaluated(app):
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Thị Ánh ")
    data = _xlsx([["Họ và tên", "Số CCCD"], [nfd, "=1+1"], ["Lò Văn Pọm", "=SUM(A1:A2)"]])
    rows = list(read_rows(data, "ds.xlsx"))
    assert rows[1][0] == "Nguyễn Thị Ánh" and unicodedata.is_normalized("NFC", rows[1][0])
    assert rows[1][1] == Formula("=1+1") and rows[2][1] == Formula("=SUM(A1:A2)")


def test_shared_formulas_are_found_too(app):
    def shared(name, content):
        if name == "xl/worksheets/sheet1.xml":
            return content.replace(b"<v>2</v>", b'<f t="shared" ref="B2:B3" si="0">A2*2</f><v>2</v>', 1) \
                .replace(b"<v>3</v>", b'<f t="shared" si="0"/><v>3</v>', 1)
        return content

    data = _rezip(_xlsx([["Họ và tên", "Số CCCD"], ["An", 2], ["Bình", 3]]), shared)
    rows = list(read_rows(data, "ds.xlsx"))
    assert isinstance(rows[1][1], Formula) and isinstance(rows[2][1], Formula)
    assert rows[1][1].text == "=A2*2"


def test_csv_in_the_encodings_and_separators_people_use(app):
    text = "Họ và tên;Ngày sinh\nNguyễn Văn An;05/03/1980\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-16"), text.replace(";", ",").encode()):
        table = read_table(data, "ds.csv", ALIASES, required=["full_name"])
        assert table.rows == [(2, ["Nguyễn Văn An", "05/03/1980"])]


def _refused(data: bytes, filename: str, message: str, **params) -> None:
    """Reading the file raises the user's message (in the interface language) naming the file."""
    with pytest.raises(TableError) as caught:
        list(read_rows(data, filename))
    assert str(caught.value) == gettext(message, file=filename, **params)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "%(file)s is empty."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
     "%(file)s is an old Excel (.xls) file. Save it as .xlsx or .csv and try again."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50, "%(file)s is not a spreadsheet (CSV or XLSX)."),
    (b"PK\x03\x04 not really a zip", "%(file)s is damaged or not a real XLSX file."),
])
def test_files_that_are_not_spreadsheets(app, data, message):
    _refused(data, "ds.xlsx", message)


def test_size_limit(app):
    _refused(b"a" * (MAX_UPLOAD_BYTES + 1), "big.csv", "%(file)s is larger than %(mb)d MB.", mb=20)


def test_zip_bomb_is_refused_before_parsing(app):
    bomb = _rezip(_xlsx([["Họ và tên"]]), lambda name, content: content)
    out = io.BytesIO(bomb)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 8_000_000)  # 8 MB of zeros in a few kB
    _refused(out.getvalue(), "bomb.xlsx", "%(file)s expands to an unreasonable size and was refused.")


def test_encrypted_parts_are_refused(app):
    data = bytearray(_xlsx([["Họ và tên"], ["An"]]))
    position = data.find(b"PK\x01\x02")  # central directory entries: general purpose flags at offset 8
    while position >= 0:
        data[position + 8] |= 0x1  # "encrypted"
        position = data.find(b"PK\x01\x02", position + 4)
    _refused(bytes(data), "locked.xlsx", "%(file)s is password-protected. Remove the password and try again.")


@pytest.mark.parametrize("dtd", [
    b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>',  # entity expansion
    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',  # external entity
])
def test_xml_entity_tricks_are_refused(app, dtd):
    def poison(name, content):
        if name == "xl/worksheets/sheet1.xml":
            assert b"<t>An</t>" in content
            return dtd + content.replace(b"<t>An</t>", b"<t>&lol2;&xxe;</t>")
        return content

    _refused(_rezip(_xlsx([["Họ và tên"], ["An"]]), poison), "evil.xlsx",
             "%(file)s contains XML declarations a spreadsheet never needs and was refused.")


def test_a_missing_workbook_part_is_a_damaged_file(app):
    data = _rezip(_xlsx([["Họ và tên"]]), lambda name, content: None if name == "xl/workbook.xml" else content)
    _refused(data, "broken.xlsx", "%(file)s is damaged or not a real XLSX file.")


def test_no_header_and_missing_required_column(app):
    with pytest.raises(TableError) as caught:
        read_table(_xlsx([["a", "b"], [1, 2]]), "ds.xlsx", ALIASES, required=["full_name"])
    assert "ds.xlsx" in str(caught.value) and "“Họ và tên”" in str(caught.value)
    # Nothing required: the row with the most text is the header, for the user to say what each column holds.
    table = read_table(_xlsx([["DANH SÁCH"], ["a", "b"], [1, 2]]), "ds.xlsx", ALIASES)
    assert table.header_row == 2 and table.columns == {} and table.rows == [(3, [1, 2])]
    with pytest.raises(TableError) as caught:
        read_table(_xlsx([["Ngày sinh"], ["01/01/1990"]]), "ds.xlsx", ALIASES, required=["full_name"])
    assert str(caught.value) == gettext("%(file)s has no column for: %(names)s.", file="ds.xlsx", names="“Họ và tên”")
