"""Office and commune names on documents (data patterns of the names, not document text): the place name of an office (the "địa danh" of its documents), and the name set
so that a line never breaks inside the place name ("BHXH CƠ SỞ NGHĨA / LỘ")."""

from __future__ import annotations

from markupsafe import Markup, escape

_OFFICE_KINDS = ("Bảo hiểm xã hội cơ sở ", "BHXH cơ sở ", "Bảo hiểm xã hội tỉnh ", "BHXH tỉnh ",
                 "Bảo hiểm xã hội thành phố ", "BHXH thành phố ", "Bảo hiểm xã hội khu vực ", "BHXH khu vực ")
#: The kinds of local division a commune's name starts with (data: part of the names, as the registers spell them).
_DIVISIONS = ("Đặc khu", "Phường", "Xã")
#: The division type of a ward (``Commune.division_type``).
WARD = "phường"


def division(name: str) -> str:
    """The kind of division in a commune's name ("Phường Nghĩa Lộ" -> "Phường"), "Xã" when it names none."""
    return next((kind for kind in _DIVISIONS if name.startswith(kind)), _DIVISIONS[-1])


def without_division(name: str) -> str:
    """A commune's name without "Xã " or "Phường " (the place name of a document drawn up there)."""
    return name.replace("Xã ", "").replace("Phường ", "")


def office_seat(name: str) -> str:
    """The place name in an office's name ("BHXH cơ sở Nghĩa Lộ" -> "Nghĩa Lộ"): the "địa danh" of its
    documents (Decree 30/2020: where the issuing office has its seat)."""
    for kind in _OFFICE_KINDS:
        if name.startswith(kind):
            return name[len(kind):]
    return name


def unbroken_office_name(name: str) -> Markup:
    """The office's name with its place name in an unbreakable span: the heading may wrap before the place name
    or inside the kind of office, never inside the place name."""
    name = name or ""
    seat = office_seat(name)
    if seat == name:
        return escape(name)
    kind = name[: len(name) - len(seat)]
    return escape(kind) + Markup('<span class="nowrap">%s</span>') % seat
