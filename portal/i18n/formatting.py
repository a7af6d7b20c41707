"""Vietnamese formatting of dates, numbers and amounts (dd/mm/yyyy, 1.234.567, 330.000 đ)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def format_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1234567 -> "1.234.567"; 12.5 with decimals=1 -> "12,5"."""
    if value is None:
        return ""
    quantized = f"{Decimal(str(value)):,.{decimals}f}"
    # Python groups with "," and uses "." for decimals; Vietnamese is the other way round.
    return quantized.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_money(value: int | float | Decimal | None, unit: str = "đ") -> str:
    """330000 -> "330.000 đ"; pass unit="đồng" for documents."""
    if value is None:
        return ""
    return f"{format_number(value)} {unit}"


def format_percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """101.12 -> "101,1%"."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)}%"


def to_local(value: datetime) -> datetime:
    """Convert an aware or naive-UTC datetime to Vietnam time."""
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def format_date(value: date | datetime | None) -> str:
    """Dates as dd/mm/yyyy (datetimes are shown in Vietnam time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime | None) -> str:
    """Datetimes as "HH:MM dd/mm/yyyy" in Vietnam time."""
    if value is None:
        return ""
    local = to_local(value)
    return f"{local.hour:02d}:{local.minute:02d} {format_date(local)}"


def parse_date(text: str) -> date:
    """Read dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO yyyy-mm-dd; raise ValueError."""
    text = (text or "").strip()
    for sep in ("/", "-", "."):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            if len(parts[0]) == 4:
                year, month, day = (int(p) for p in parts)
            else:
                day, month, year = (int(p) for p in parts)
            if year < 100:
                raise ValueError(text)
            return date(year, month, day)
    raise ValueError(text)


def document_date_line(place: str, value: date) -> str:
    """The place-and-date line of an official document: "Lào Cai, ngày 05 tháng 5 năm 2026"."""
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {day} tháng {month} năm {value.year}"


def local_today() -> date:
    """Today's date in Vietnam."""
    return datetime.now(LOCAL_TZ).date()


def format_time(value: datetime | None) -> str:
    """The time of day as HH:MM in Vietnam time."""
    if value is None:
        return ""
    local = to_local(value)
    return f"{local.hour:02d}:{local.minute:02d}"
