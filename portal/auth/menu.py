"""The main menu: every entry, in order, with the endpoint it opens, the role set it is shown to and its group.

An entry's ``shown_to`` is one of the role sets of :mod:`portal.auth.roles`, the same set as (or a subset of) its
route's ``roles_required``; ``tests/auth/test_menu.py`` checks both ways.

Entries are grouped around the officer's work (``GROUPS``): the top line shows the entries without a group and one
dropdown per group, so each role's line stays short. A group a role sees only one entry of is shown as that entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .roles import ADMINS, AGENTS, EVERYONE, OFFICERS, OFFICERS_AND_AGENTS, PLANNERS, READERS


@dataclass(frozen=True)
class MenuEntry:
    """A menu entry: where it leads, its label, who sees it."""

    endpoint: str
    label: object  # a lazy_gettext string, translated when shown
    shown_to: frozenset[str]
    group: str | None = None  #: a key of GROUPS, or None for an entry on the top line


#: The groups of the menu, in the order they are shown (each at the place of its first entry).
GROUPS: dict[str, object] = {
    "events": _l("Conferences"),
    "households": _l("Households"),
    "collection": _l("Collection and renewals"),
    "reports": _l("Reports"),
    "network": _l("Network"),
    "admin": _l("Administration"),
}


#: The menu, in the order it is shown (a group's entries together).
MENU: tuple[MenuEntry, ...] = (
    MenuEntry("core.home", _l("Home"), shown_to=EVERYONE),
    MenuEntry("visits.my_work", _l("My work"), shown_to=AGENTS),
    MenuEntry("retention.my_due", _l("Reminders"), shown_to=AGENTS),
    MenuEntry("offline.index", _l("On this phone"), shown_to=AGENTS),
    MenuEntry("events.index", _l("Events"), shown_to=EVERYONE, group="events"),
    MenuEntry("events.calendar", _l("Calendar"), shown_to=READERS, group="events"),
    MenuEntry("events.speakers", _l("Speakers"), shown_to=OFFICERS, group="events"),
    MenuEntry("households.search", _l("Households"), shown_to=EVERYONE, group="households"),
    MenuEntry("households.due", _l("Due payments"), shown_to=EVERYONE, group="households"),
    MenuEntry("geo.communes", _l("Communes"), shown_to=READERS, group="households"),
    MenuEntry("facilities.index", _l("Medical facilities"), shown_to=READERS, group="households"),
    MenuEntry("enrolments.batches", _l("Receipts to confirm"), shown_to=READERS, group="collection"),
    MenuEntry("enrolments.register_page", _l("Receipt register"), shown_to=OFFICERS, group="collection"),
    MenuEntry("declarations.index", _l("Declarations"), shown_to=OFFICERS_AND_AGENTS, group="collection"),
    MenuEntry("retention.figures", _l("Renewals and lapses"), shown_to=READERS, group="collection"),
    MenuEntry("policy.calculator_page", _l("Calculator"), shown_to=EVERYONE, group="collection"),
    MenuEntry("campaigns.index", _l("Campaigns"), shown_to=READERS, group="reports"),
    MenuEntry("reports.year_page", _l("The year's work"), shown_to=READERS, group="reports"),
    MenuEntry("org.agents", _l("Agents"), shown_to=READERS, group="network"),
    MenuEntry("network.points", _l("Collection points"), shown_to=READERS, group="network"),
    MenuEntry("network.collaborators", _l("Collaborators"), shown_to=READERS, group="network"),
    MenuEntry("org.offices", _l("Offices"), shown_to=PLANNERS, group="network"),
    MenuEntry("users.index", _l("Users"), shown_to=ADMINS, group="admin"),
    MenuEntry("policy.parameters", _l("Policy parameters"), shown_to=ADMINS, group="admin"),
    MenuEntry("audit.index", _l("Audit log"), shown_to=ADMINS, group="admin"),
    MenuEntry("privacy.index", _l("Data protection"), shown_to=ADMINS, group="admin"),
)


def entries_for(role: str | None) -> list[MenuEntry]:
    """The menu entries a role sees (none before signing in)."""
    if role is None:
        return []
    return [entry for entry in MENU if role in entry.shown_to]


def top_line(role: str | None) -> list[MenuEntry | tuple[str, list[MenuEntry]]]:
    """What a role's top line shows, in order: an entry, or a group (its key and entries) where the role sees
    more than one of its entries."""
    entries = entries_for(role)
    members: dict[str, list[MenuEntry]] = {}
    for entry in entries:
        if entry.group is not None:
            members.setdefault(entry.group, []).append(entry)
    line: list = []
    for entry in entries:
        if entry.group is None or len(members[entry.group]) == 1:
            line.append(entry)
        elif members[entry.group][0] is entry:
            line.append((entry.group, members[entry.group]))
    return line


def init_app(app: Flask) -> None:
    """Expose the menu to templates: ``menu``, a list of items, each an entry (url, label, endpoint) or a group
    (label, items, current: one of its entries is the page shown); ``menu_folds``: whether it folds behind a
    toggle on a phone."""

    def _item(entry: MenuEntry) -> dict:
        return {"url": url_for(entry.endpoint), "label": str(entry.label), "endpoint": entry.endpoint, "group": None}

    @app.context_processor
    def _menu():
        role = current_user.role if current_user.is_authenticated else None
        items = []
        for part in top_line(role):
            if isinstance(part, MenuEntry):
                items.append(_item(part))
            else:
                key, entries = part
                members = [_item(e) for e in entries]
                items.append({"group": key, "label": str(GROUPS[key]), "items": members,
                              "current": request.endpoint in {e.endpoint for e in entries}})
        # An agent's menu is short and used on a phone: it stays in sight there; the others fold.
        return {"menu": items, "menu_folds": role is not None and role not in AGENTS}
