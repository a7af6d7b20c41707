"""The main menu: every entry, in order, with the endpoint it opens and the role set it is shown to.

An entry's ``shown_to`` is one of the role sets of :mod:`portal.auth.roles`, the same set as (or a subset of) its
route's ``roles_required``; ``tests/auth/test_menu.py`` checks both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .roles import ADMINS, AGENTS, EVERYONE, OFFICERS, OFFICERS_AND_AGENTS, PLANNERS, READERS


@dataclass(frozen=True)
class MenuEntry:
    """A menu entry: where it leads, its label, who sees it."""

    endpoint: str
    label: object  # a lazy_gettext string, translated when shown
    shown_to: frozenset[str]


#: The menu, in the order it is shown.
MENU: tuple[MenuEntry, ...] = (
    MenuEntry("core.home", _l("Home"), shown_to=EVERYONE),
    MenuEntry("visits.my_work", _l("My work"), shown_to=AGENTS),
    MenuEntry("retention.my_due", _l("Reminders"), shown_to=AGENTS),
    MenuEntry("offline.index", _l("On this phone"), shown_to=AGENTS),
    MenuEntry("events.index", _l("Events"), shown_to=EVERYONE),
    MenuEntry("events.calendar", _l("Calendar"), shown_to=READERS),
    MenuEntry("households.search", _l("Households"), shown_to=EVERYONE),
    MenuEntry("households.due", _l("Due payments"), shown_to=EVERYONE),
    MenuEntry("retention.figures", _l("Renewals and lapses"), shown_to=READERS),
    MenuEntry("geo.communes", _l("Communes"), shown_to=READERS),
    MenuEntry("facilities.index", _l("Medical facilities"), shown_to=READERS),
    MenuEntry("campaigns.index", _l("Campaigns"), shown_to=READERS),
    MenuEntry("reports.year_page", _l("The year's work"), shown_to=READERS),
    MenuEntry("org.offices", _l("Offices"), shown_to=PLANNERS),
    MenuEntry("events.speakers", _l("Speakers"), shown_to=OFFICERS),
    MenuEntry("org.agents", _l("Agents"), shown_to=READERS),
    MenuEntry("enrolments.batches", _l("Receipts to confirm"), shown_to=READERS),
    MenuEntry("enrolments.register_page", _l("Receipt register"), shown_to=OFFICERS),
    MenuEntry("network.points", _l("Collection points"), shown_to=READERS),
    MenuEntry("network.collaborators", _l("Collaborators"), shown_to=READERS),
    MenuEntry("declarations.index", _l("Declarations"), shown_to=OFFICERS_AND_AGENTS),
    MenuEntry("policy.calculator_page", _l("Calculator"), shown_to=EVERYONE),
    MenuEntry("users.index", _l("Users"), shown_to=ADMINS),
    MenuEntry("policy.parameters", _l("Policy parameters"), shown_to=ADMINS),
    MenuEntry("audit.index", _l("Audit log"), shown_to=ADMINS),
    MenuEntry("privacy.index", _l("Data protection"), shown_to=ADMINS),
)


def entries_for(role: str | None) -> list[MenuEntry]:
    """The menu entries a role sees (none before signing in)."""
    if role is None:
        return []
    return [entry for entry in MENU if role in entry.shown_to]


def init_app(app: Flask) -> None:
    """Expose the menu to templates."""

    @app.context_processor
    def _menu():
        role = current_user.role if current_user.is_authenticated else None
        return {"menu": [{"url": url_for(e.endpoint), "label": str(e.label), "endpoint": e.endpoint}
                         for e in entries_for(role)]}
