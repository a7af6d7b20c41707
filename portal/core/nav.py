"""The main menu: each domain registers its entries with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    """A menu entry shown to some roles."""

    endpoint: str
    label: object  # a lazy_gettext string, translated when shown
    roles: frozenset[str]
    order: int = 100


_ITEMS: list[NavItem] = []


def register(endpoint: str, label: object, roles: set[str] | frozenset[str], order: int = 100) -> None:
    """Add a menu entry (called at import time by each domain's blueprint module)."""
    if any(item.endpoint == endpoint for item in _ITEMS):
        return
    _ITEMS.append(NavItem(endpoint, label, frozenset(roles), order))
    _ITEMS.sort(key=lambda item: item.order)


def items_for(role: str | None) -> list[NavItem]:
    """Menu entries for a role."""
    if role is None:
        return []
    return [item for item in _ITEMS if role in item.roles]


def init_app(app: Flask) -> None:
    """Expose the menu to templates."""

    @app.context_processor
    def _menu():
        role = current_user.role if current_user.is_authenticated else None
        return {
            "menu": [
                {"url": url_for(i.endpoint), "label": str(i.label), "endpoint": i.endpoint} for i in items_for(role)
            ]
        }
