"""Values as officers type them and Excel mangles them."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from portal.i18n import normalise as n


def test_names_are_nfc_single_spaced_and_capitalised():
    nfd = unicodedata.normalize("NFD", "nguyễn  thị   ánh")
    assert n.person_name(nfd) == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", n.person_name(nfd))
    with pytest.raises(n.Invalid):
        n.person_name("  ")
    with pytest.raises(n.Invalid):
        n.person_name("Nguyễn Văn 2")


@pytest.mark.parametrize(("raw", "expected"), [
    ("001234567890", "001234567890"),
    (1234567890, "001234567890"),  # Excel dropped two zeros
    (12345678901.0, "012345678901"),
    ("001 234 567 890", "001234567890"),
    (None, None), ("", None),
])
def test_cccd(raw, expected):
    assert n.cccd(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "123456789", "0012345678901", "00123456789A"])
def test_cccd_rejects(raw):
    with pytest.raises(n.Invalid):
        n.cccd(raw)


def test_bhxh_code():
    assert n.bhxh_code(123456789) == "0123456789"
    assert n.bhxh_code("01-2345-6789") == "0123456789"
    with pytest.raises(n.Invalid):
        n.bhxh_code("12345")


@pytest.mark.parametrize(("raw", "expected"), [
    ("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"), ("84912345678", "0912345678"),
    (912345678, "0912345678"), ("091.234.5678", "0912345678"), ("", None),
])
def test_phone(raw, expected):
    assert n.phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "1912345678", "09123456789", "abc"])
def test_phone_rejects(raw):
    with pytest.raises(n.Invalid):
        n.phone(raw)


def test_birth_dates_from_every_form_excel_gives():
    today = date(2026, 11, 22)
    assert n.birth_date("05/03/1980", today) == date(1980, 3, 5)
    assert n.birth_date("5/3/1980", today) == date(1980, 3, 5)
    assert n.birth_date(29285, today) == date(1980, 3, 5)  # Excel serial
    assert n.birth_date("29285", today) == date(1980, 3, 5)
    assert n.birth_date(datetime(1980, 3, 5), today) == date(1980, 3, 5)
    for bad in ("31/02/1980", "1980", 1980, "05/03/2030", "hôm qua", "01/01/1890"):
        with pytest.raises(n.Invalid):
            n.birth_date(bad, today)


def test_categories():
    assert n.sex("Nữ") == "female" and n.sex("NAM") == "male" and n.sex(None) is None
    assert n.relation("Chủ hộ") == "head" and n.relation("con gái") == "child" and n.relation("Vợ") == "spouse"
    assert n.poverty("Hộ cận nghèo") == "near_poor" and n.poverty(None) == "none" and n.poverty("nghèo") == "poor"
    assert n.bhxh_status("Dừng đóng") == "stopped" and n.bhxh_status("đang tham gia") == "participating"
    assert n.yes_no("x") is True and n.yes_no("Không") is False and n.yes_no("") is None
    for fn, bad in ((n.sex, "khác"), (n.relation, "hàng xóm"), (n.poverty, "giàu"), (n.yes_no, "có lẽ")):
        with pytest.raises(n.Invalid):
            fn(bad)


def test_income_bands_from_amounts_and_words(app):
    assert n.income_band(1_200_000) == "under_1_5m"
    assert n.income_band("2.500.000") == "1_5m_to_3m"
    assert n.income_band("5.000.000 đ") == "3m_to_5m"
    assert n.income_band("Trên 5 triệu") == "over_5m"
    assert n.income_band("") is None
    with pytest.raises(n.Invalid):
        n.income_band("khá giả")


def test_potential_groups_by_their_vietnamese_names(app):
    assert n.tags("Hộ kinh doanh; cận nghèo") == {"household_business", "near_poor"}
    assert n.tags("TIEU THUONG, Làng nghề") == {"small_trader", "craft_village"}
    assert n.tags(None) is None
    with pytest.raises(n.Invalid) as caught:
        n.tags("Hộ kinh doanh, Giàu có")
    assert "Giàu có" in str(caught.value)
