"""Office names on documents: the place name of an office (the "địa danh" of its documents), and the name set
so that a line never breaks inside the place name ("BHXH CƠ SỞ NGHĨA / LỘ")."""

from __future__ import annotations

from markupsafe import Markup, escape

_OFFICE_KINDS = ("Bảo hiểm xã hội cơ sở ", "BHXH cơ sở ", "Bảo hiểm xã hội tỉnh ", "BHXH tỉnh ",
                 "Bảo hiểm xã hội thành phố ", "BHXH thành phố ", "Bảo hiểm xã hội khu vực ", "BHXH khu vực ")


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
