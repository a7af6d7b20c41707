"""Reading the values officers type and Excel mangles: ID numbers, phones, dates, names, categories.

Each function takes raw cell content and returns the clean value or raises :class:`Invalid` with a
Vietnamese message that says what is wrong (the caller adds where: file, row, column).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ..i18n.collation import fold_diacritics
from ..i18n.formatting import parse_date


class Invalid(ValueError):
    """A value that cannot be accepted; ``str(exc)`` is the message for the user."""


_NON_DIGIT = re.compile(r"[\s.\-'’]")
EXCEL_EPOCH = date(1899, 12, 30)


def text(value) -> str:
    """Trimmed NFC text with single spaces ("" for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").split())


def person_name(value) -> str:
    """A person's name: NFC, single spaces, each word capitalised ("nguyễn văn  an" -> "Nguyễn Văn An")."""
    name = text(value)
    if not name:
        raise Invalid(_("The name is empty."))
    if any(ch.isdigit() for ch in name):
        raise Invalid(_("A name cannot contain digits."))
    if len(name) > 120:
        raise Invalid(_("The name is longer than 120 characters."))
    return " ".join(word[:1].upper() + word[1:].lower() for word in name.split())


def _digits(value, length: int, label: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise Invalid(_("%(label)s must contain digits only.", label=label))
        value = int(value)
    raw = _NON_DIGIT.sub("", str(value).strip())
    if not raw:
        return None
    if not raw.isdigit():
        raise Invalid(_("%(label)s must contain digits only.", label=label))
    if len(raw) < length:
        # Excel stores these as numbers and drops leading zeros.
        raw = raw.zfill(length)
    if len(raw) != length:
        raise Invalid(_("%(label)s must have %(n)d digits (found %(found)d).", label=label, n=length,
                        found=len(raw)))
    return raw


def cccd(value) -> str | None:
    """A 12-digit citizen ID, restoring leading zeros Excel dropped (old 9-digit CMND numbers are refused)."""
    if value not in (None, ""):
        raw = _NON_DIGIT.sub("", str(int(value) if isinstance(value, float) and value.is_integer() else value))
        if raw.isdigit() and len(raw) == 9:
            raise Invalid(_("This is an old 9-digit ID (CMND); enter the 12-digit CCCD number."))
        if raw.isdigit() and len(raw) < 10:
            raise Invalid(_("The CCCD number must have 12 digits (found %(found)d).", found=len(raw)))
    return _digits(value, 12, _("The CCCD number"))


def bhxh_code(value) -> str | None:
    """A 10-digit social insurance code, restoring leading zeros."""
    if value not in (None, ""):
        raw = _NON_DIGIT.sub("", str(int(value) if isinstance(value, float) and value.is_integer() else value))
        if raw.isdigit() and len(raw) < 8:
            raise Invalid(_("The social insurance code must have 10 digits (found %(found)d).", found=len(raw)))
    return _digits(value, 10, _("The social insurance code"))


def phone(value) -> str | None:
    """A Vietnamese mobile or landline number as 10 (or 11 for landlines) digits starting with 0; accepts +84."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = re.sub(r"[\s.\-()]", "", str(value))
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    elif raw.isdigit() and len(raw) == 9 and raw[0] in "35789":
        raw = "0" + raw  # Excel dropped the leading zero
    if not raw.isdigit() or not raw.startswith("0") or len(raw) != 10:
        raise Invalid(_("The phone number must have 10 digits and start with 0 (or +84)."))
    return raw


def birth_date(value, today: date | None = None) -> date | None:
    """A date of birth from an Excel date, an Excel serial number, or dd/mm/yyyy text; a bare year is refused."""
    if value is None or value == "":
        return None
    today = today or date.today()  # noqa: DTZ011 - a calendar date
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 1000 <= value <= 2200 and float(value).is_integer():
            raise Invalid(_("Only the year was given; enter the full date as dd/mm/yyyy."))
        if not 1 <= value < 80000:
            raise Invalid(_("The date %(value)s is not a valid date.", value=value))
        result = EXCEL_EPOCH + timedelta(days=int(value))
    else:
        raw = text(value)
        if raw.isdigit() and len(raw) == 4:
            raise Invalid(_("Only the year was given; enter the full date as dd/mm/yyyy."))
        if raw.isdigit():
            return birth_date(int(raw), today)
        try:
            result = parse_date(raw.split(" ")[0])
        except ValueError as exc:
            raise Invalid(_("“%(value)s” is not a date in the form dd/mm/yyyy.", value=raw)) from exc
    if result > today:
        raise Invalid(_("The date of birth %(value)s is in the future.", value=result.strftime("%d/%m/%Y")))
    if result.year < today.year - 120:
        raise Invalid(_("The date of birth %(value)s is too long ago.", value=result.strftime("%d/%m/%Y")))
    return result


def any_date(value) -> date | None:
    """Any date (paid-until, card expiry) from an Excel date, serial number or dd/mm/yyyy text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 80000:
            raise Invalid(_("The date %(value)s is not a valid date.", value=value))
        return EXCEL_EPOCH + timedelta(days=int(value))
    raw = text(value)
    try:
        return parse_date(raw.split(" ")[0])
    except ValueError as exc:
        raise Invalid(_("“%(value)s” is not a date in the form dd/mm/yyyy.", value=raw)) from exc


def _choice(value, table: dict[str, str], message: str) -> str | None:
    raw = fold_diacritics(text(value))
    if not raw:
        return None
    if raw in table:
        return table[raw]
    raise Invalid(message)


SEX_WORDS = {"nam": "male", "nu": "female", "male": "male", "female": "female", "m": "male", "f": "female",
             "1": "male", "0": "female"}
RELATION_WORDS = {
    "chu ho": "head", "ch": "head", "head": "head", "vo": "spouse", "chong": "spouse", "vo/chong": "spouse",
    "con": "child", "con trai": "child", "con gai": "child", "con de": "child", "bo": "parent", "me": "parent",
    "cha": "parent", "bo me": "parent", "cha me": "parent", "anh": "sibling", "chi": "sibling", "em": "sibling",
    "anh chi em": "sibling", "chau": "grandchild", "chau noi": "grandchild", "chau ngoai": "grandchild",
    "con dau": "in_law", "con re": "in_law", "khac": "other", "other": "other",
}
POVERTY_WORDS = {"ngheo": "poor", "ho ngheo": "poor", "can ngheo": "near_poor", "ho can ngheo": "near_poor",
                 "khong": "none", "": "none", "binh thuong": "none", "poor": "poor", "near_poor": "near_poor",
                 "none": "none", "x": "poor"}
STATUS_WORDS = {"chua tham gia": "never", "chua": "never", "never": "never", "dang tham gia": "participating",
                "dang dong": "participating", "co": "participating", "participating": "participating",
                "dung dong": "stopped", "tam dung": "stopped", "tam dung dong": "stopped", "ngung dong": "stopped",
                "stopped": "stopped"}


def sex(value) -> str | None:
    """"Nam"/"Nữ" (and a few other spellings) as "male"/"female"."""
    return _choice(value, SEX_WORDS, _("Sex must be “Nam” or “Nữ”."))


def relation(value) -> str | None:
    """Relation to the head of household ("Chủ hộ", "Vợ", "Con", …)."""
    return _choice(value, RELATION_WORDS, _("Unknown relation to the head of household; use e.g. Chủ hộ, Vợ, "
                                            "Chồng, Con, Bố, Mẹ, Cháu, Khác."))


def poverty(value) -> str:
    """Poverty status ("Nghèo", "Cận nghèo" or empty)."""
    return _choice(value, POVERTY_WORDS, _("Poverty status must be “Nghèo”, “Cận nghèo” or empty.")) or "none"


def bhxh_status(value) -> str | None:
    """Voluntary insurance status ("Chưa tham gia", "Đang tham gia", "Dừng đóng")."""
    return _choice(value, STATUS_WORDS, _("Insurance status must be “Chưa tham gia”, “Đang tham gia” or "
                                          "“Dừng đóng”."))


def yes_no(value) -> bool | None:
    """"Có"/"x"/"1" as True, "Không"/"0"/empty as False."""
    raw = fold_diacritics(text(value))
    if not raw:
        return None
    if raw in ("co", "x", "1", "yes", "true", "dung"):
        return True
    if raw in ("khong", "0", "no", "false"):
        return False
    raise Invalid(_("Enter “Có” or “Không”."))
