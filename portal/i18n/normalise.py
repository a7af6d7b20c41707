"""Reading the values officers type and Excel mangles: ID numbers, phones, dates, names, categories.

Each function takes raw cell content and returns the clean value or raises :class:`Invalid` with a
Vietnamese message that says what is wrong (the caller adds where: file, row, column).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .collation import fold_diacritics
from .formatting import parse_date


class Invalid(ValueError):
    """A value that cannot be accepted; ``str(exc)`` is the message for the user."""


_CCCD_LABEL = _l("The CCCD number")
_CODE_LABEL = _l("The social insurance code")
_NON_DIGIT = re.compile(r"[\s.\-'’]")
EXCEL_EPOCH = date(1899, 12, 30)


def text(value) -> str:
    """Trimmed NFC text with single spaces ("" for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())  # split() also takes no-break spaces and line breaks


_HAS_DIGIT = re.compile(r"\d")


_APOSTROPHES = "'’"


@lru_cache(maxsize=65536)
def _capitalised(word: str) -> str:
    """First letter capital, the rest small, and a capital after an apostrophe: names of the Ê Đê, Gia Rai and
    other peoples keep it ("KSOR H'BEN" -> "Ksor H'Ben")."""
    out = []
    upper = True
    for ch in word:
        out.append(ch.upper() if upper else ch.lower())
        upper = ch in _APOSTROPHES
    return "".join(out)


def person_name(value) -> str:
    """A person's name: NFC, single spaces, each word capitalised ("nguyễn văn  an" -> "Nguyễn Văn An",
    "ksor h'ben" -> "Ksor H'Ben")."""
    name = text(value)
    if not name:
        raise Invalid(_("The name is empty."))
    if _HAS_DIGIT.search(name):
        raise Invalid(_("A name cannot contain digits."))
    if len(name) > 120:
        raise Invalid(_("The name is longer than 120 characters."))
    return " ".join(_capitalised(word) for word in name.split())


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
    return _digits(value, 12, _CCCD_LABEL)


def bhxh_code(value) -> str | None:
    """A 10-digit social insurance code, restoring leading zeros."""
    if value not in (None, ""):
        raw = _NON_DIGIT.sub("", str(int(value) if isinstance(value, float) and value.is_integer() else value))
        if raw.isdigit() and len(raw) < 8:
            raise Invalid(_("The social insurance code must have 10 digits (found %(found)d).", found=len(raw)))
    return _digits(value, 10, _CODE_LABEL)


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
    raise Invalid(str(message))


SEX_WORDS = {"nam": "male", "nu": "female", "male": "male", "female": "female", "m": "male", "f": "female",
             "1": "male", "0": "female"}
_SEX_MESSAGE = _l("Sex must be “Nam” or “Nữ”.")
RELATION_WORDS = {
    "chu ho": "head", "ch": "head", "head": "head", "vo": "spouse", "chong": "spouse", "vo/chong": "spouse",
    "con": "child", "con trai": "child", "con gai": "child", "con de": "child", "bo": "parent", "me": "parent",
    "cha": "parent", "bo me": "parent", "cha me": "parent", "anh": "sibling", "chi": "sibling", "em": "sibling",
    "anh chi em": "sibling", "chau": "grandchild", "chau noi": "grandchild", "chau ngoai": "grandchild",
    "con dau": "in_law", "con re": "in_law", "khac": "other", "other": "other",
}
_RELATION_MESSAGE = _l("Unknown relation to the head of household; use e.g. Chủ hộ, Vợ, "
                                            "Chồng, Con, Bố, Mẹ, Cháu, Khác.")
POVERTY_WORDS = {"ngheo": "poor", "ho ngheo": "poor", "can ngheo": "near_poor", "ho can ngheo": "near_poor",
                 "khong": "none", "": "none", "binh thuong": "none", "poor": "poor", "near_poor": "near_poor",
                 "none": "none", "x": "poor"}
_POVERTY_MESSAGE = _l("Poverty status must be “Nghèo”, “Cận nghèo” or empty.")
STATUS_WORDS = {"chua tham gia": "never", "chua": "never", "never": "never", "dang tham gia": "participating",
                "dang dong": "participating", "co": "participating", "participating": "participating",
                "dung dong": "stopped", "tam dung": "stopped", "tam dung dong": "stopped", "ngung dong": "stopped",
                "stopped": "stopped"}
_STATUS_MESSAGE = _l("Insurance status must be “Chưa tham gia”, “Đang tham gia” or "
                                          "“Dừng đóng”.")


def sex(value) -> str | None:
    """"Nam"/"Nữ" (and a few other spellings) as "male"/"female"."""
    return _choice(value, SEX_WORDS, _SEX_MESSAGE)


def relation(value) -> str | None:
    """Relation to the head of household ("Chủ hộ", "Vợ", "Con", …)."""
    return _choice(value, RELATION_WORDS, _RELATION_MESSAGE)


def poverty(value) -> str:
    """Poverty status ("Nghèo", "Cận nghèo" or empty)."""
    return _choice(value, POVERTY_WORDS, _POVERTY_MESSAGE) or "none"


def bhxh_status(value) -> str | None:
    """Voluntary insurance status ("Chưa tham gia", "Đang tham gia", "Dừng đóng")."""
    return _choice(value, STATUS_WORDS, _STATUS_MESSAGE)


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


INCOME_WORDS = {"duoi 1,5 trieu": "under_1_5m", "duoi 1.5 trieu": "under_1_5m", "tu 1,5 den 3 trieu": "1_5m_to_3m",
                "1,5 - 3 trieu": "1_5m_to_3m", "1,5-3 trieu": "1_5m_to_3m", "tu 3 den 5 trieu": "3m_to_5m",
                "3 - 5 trieu": "3m_to_5m", "3-5 trieu": "3m_to_5m", "tren 5 trieu": "over_5m"}


def income_band(value) -> str | None:
    """A monthly income band, from an amount in đồng ("2.500.000", 2500000) or a band's words."""
    if value is None or value == "":
        return None
    amount = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    else:
        raw = fold_diacritics(text(value))
        if raw in INCOME_WORDS:
            return INCOME_WORDS[raw]
        digits = raw.replace(".", "").replace(",", "").replace(" ", "").removesuffix("d").removesuffix("dong")
        if digits.isdigit():
            amount = float(digits)
    if amount is None or amount < 0:
        raise Invalid(_("Enter the monthly income in đồng, e.g. 2.500.000."))
    if amount < 1_500_000:
        return "under_1_5m"
    if amount < 3_000_000:
        return "1_5m_to_3m"
    if amount <= 5_000_000:
        return "3m_to_5m"
    return "over_5m"


TAG_WORDS = {"ho kinh doanh": "household_business", "kinh doanh": "household_business",
             "tieu thuong": "small_trader", "buon ban nho": "small_trader", "lang nghe": "craft_village",
             "lao dong lang nghe": "craft_village", "cham dut hdld": "contract_ended",
             "tam hoan hdld": "contract_ended", "cham dut hop dong lao dong": "contract_ended",
             "nghi viec": "contract_ended", "can ngheo": "near_poor", "ho can ngheo": "near_poor",
             }
#: Words of groups that are no longer tags of a person: "new rural" is a fact of the commune now (the commune
#: page records it with its date); files that still name it are read without it.
RETIRED_TAG_WORDS = frozenset({"nong thon moi", "xa nong thon moi", "ntm"})


def tags(value) -> frozenset[str] | None:
    """Potential groups, separated by commas or semicolons ("Hộ kinh doanh; Cận nghèo")."""
    raw = text(value)
    if not raw:
        return None
    found = set()
    for part in raw.replace(";", ",").split(","):
        word = fold_diacritics(part)
        if not word or word in RETIRED_TAG_WORDS:
            continue
        if word not in TAG_WORDS:
            raise Invalid(_("Unknown potential group “%(name)s”; use e.g. Hộ kinh doanh, Tiểu thương, Làng nghề, "
                            "Chấm dứt HĐLĐ, Cận nghèo.", name=part.strip()))
        found.add(TAG_WORDS[word])
    return frozenset(found)
