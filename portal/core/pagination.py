"""Pagination of scoped queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select

from ..extensions import db


class PageNumbers:
    """Page arithmetic for anything with ``page``, ``per_page`` and ``total`` (the pager template uses these)."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        """1-based index of the first item on the page (0 when empty)."""
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


@dataclass
class Page(PageNumbers):
    """One page of results."""

    items: list[Any]
    page: int
    per_page: int
    total: int


def page_number() -> int:
    """The ``page`` query argument, at least 1."""
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def paginate(stmt: Select, page: int | None = None, per_page: int | None = None, *, scalars: bool = True) -> Page:
    """Run ``stmt`` for one page, with the total count."""
    page = page or page_number()
    per_page = per_page or current_app.config["PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, -(-total // per_page))
    page = min(page, last)
    paged = stmt.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.scalars(paged)) if scalars else list(db.session.execute(paged))
    return Page(items=items, page=page, per_page=per_page, total=total)
