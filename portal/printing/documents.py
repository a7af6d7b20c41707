"""The documents an event needs on paper: the attendance sheet, visit lists, invitations, the sign-up sheet.

Each builder returns plain values for a print template; nothing here touches the request.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from ..declarations.codes import MODE_NAMES, SUPPORT_NAMES
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..households.models import Household, Person
from ..i18n.formatting import local_today, to_local
from ..org.models import Agent, Office
from ..results.models import Invitation
from ..results.queries import default_facility
from ..results.services import number_sheet
from ..visits.models import VisitAssignment, VisitList
from .fetcher import qr_url
from .offices import office_seat
from .text import in_document_locale


def _header(event) -> dict:
    """The heading of an event's documents: the organising office, its seat as the place of the date line."""
    office = db.session.get(Office, event.organiser_office_id)
    parent = db.session.get(Office, office.parent_id) if office.parent_id else None
    commune = db.session.get(Commune, event.commune_id)
    return {"issuer_superior": parent.name if parent else "", "issuer_name": office.name,
            "place": office_seat(office.name), "date": local_today(), "commune": commune.name}


def _when(event) -> str:
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    return _("%(start)s – %(end)s, on %(day)s", start=f"{start:%H:%M}", end=f"{end:%H:%M}", day=f"{start:%d/%m/%Y}")


@in_document_locale
def attendance_sheet(event, blank_rows: int = 20) -> dict:
    """Invited households in Vietnamese name order with their row numbers, then blank rows for walk-ins; those
    invited after the first print follow, their numbers marked with an asterisk and explained in the note."""
    number_sheet(event)
    rows = db.session.execute(
        select(Invitation.sheet_row, Household.head_name, Household.address, Hamlet.name, Person.date_of_birth,
               Invitation.late)
        .join(Household, Household.id == Invitation.household_id).join(Hamlet, Hamlet.id == Household.hamlet_id)
        .outerjoin(Person, (Person.household_id == Household.id) & (Person.relation_to_head == "head"))
        .where(Invitation.event_id == event.id).order_by(Invitation.sheet_row)).all()
    head = _header(event)
    commune = head.pop("commune")
    return {**head, "title": _("Conference attendance sign-in sheet"), "subtitle": event.title,
            "facts": [[pgettext("document", "Time"), _when(event)], [_("Venue"), f"{event.venue}, {commune}"]],
            "columns": [{"label": _("No."), "width": 12, "align": "center"}, {"label": _("Full name"), "width": 52},
                        {"label": _("Year of birth"), "width": 18, "align": "center"},
                        {"label": _("Hamlet"), "width": 34}, {"label": _("Signature"), "width": 44}],
            "rows": [[f"{r[0]}*" if r[5] else str(r[0]), r[1], str(r[4].year) if r[4] else "", r[3], ""]
                     for r in rows],
            "blank_rows": blank_rows, "signatures": [_("Prepared by"), _("For the organising office")],
            "note": _("(*) Invited after the list was first printed.") if any(r[5] for r in rows) else None,
            "landscape": False}


@in_document_locale
def visit_list(event, agent_id: int | None) -> dict:
    """An agent's households (or all of them, with an agent column) in walking order, with row numbers, the
    household's phone and outcome boxes."""
    stmt = (select(VisitAssignment.row_number, Household.head_name, Household.address, Household.phone, Hamlet.name,
                   Agent.full_name)
            .join(VisitList, VisitList.id == VisitAssignment.visit_list_id)
            .join(Household, Household.id == VisitAssignment.household_id)
            .join(Hamlet, Hamlet.id == VisitAssignment.hamlet_id)
            .outerjoin(Agent, Agent.id == VisitAssignment.agent_id)
            .where(VisitList.event_id == event.id).order_by(VisitAssignment.walk_key, VisitAssignment.row_number))
    if agent_id:
        stmt = stmt.where(VisitAssignment.agent_id == agent_id)
    rows = db.session.execute(stmt).all()
    agent = db.session.get(Agent, agent_id) if agent_id else None
    head = _header(event)
    head.pop("commune")
    legend = ", ".join(f"{k} = {v}" for k, v in (("t", _("advised")), ("v", _("not at home")), ("q", _("interested")),
                                                  ("m", _("invited")), ("k", _("declined")),
                                                  ("b", _("already insured"))))
    return {**head, "title": _("Households to visit before the conference"), "subtitle": event.title,
            "facts": [[_("Collection agent"), agent.full_name if agent else _("All agents")],
                      [_("Conference"), _when(event)]],
            "columns": [{"label": _("No."), "width": 12, "align": "center"}, {"label": _("Household head"), "width": 42},
                        {"label": _("Address"), "width": 34}, {"label": _("Hamlet"), "width": 28},
                        {"label": pgettext("document", "Phone"), "width": 26},
                        *([] if agent else [{"label": _("Collection agent"), "width": 34}]),
                        {"label": _("Outcome"), "width": 20, "align": "center"}, {"label": _("Notes"), "width": 26}],
            "rows": [[str(r[0]), r[1], r[2] or "", r[4], r[3] or "", *([] if agent else [r[5] or ""]), "", ""]
                     for r in rows], "blank_rows": 0,
            "signatures": None, "note": _("Write the outcome as one letter: %(legend)s.", legend=legend), "landscape": False}


@in_document_locale
def invitations(event, base_url: str, agent_id: int | None = None) -> dict:
    """One letter per invited household, with its row number and a QR code that opens its check-in."""
    number_sheet(event)
    stmt = (select(Invitation, Household.head_name, Household.address, Hamlet.name, Agent.full_name, Agent.phone)
            .join(Household, Household.id == Invitation.household_id).join(Hamlet, Hamlet.id == Household.hamlet_id)
            .outerjoin(Agent, Agent.id == Invitation.agent_id).where(Invitation.event_id == event.id)
            .order_by(Invitation.sheet_row))
    if agent_id:
        stmt = stmt.where(Invitation.agent_id == agent_id)
    letters = [{"row": inv.sheet_row, "head": head, "address": address or "",
                "hamlet": None if hamlet.casefold() in (address or "").casefold() else hamlet, "agent": agent or "",
                "agent_phone": phone or "", "qr": qr_url(f"{base_url}checkin/{inv.token}")}
               for inv, head, address, hamlet, agent, phone in db.session.execute(stmt)]
    return {**{k: v for k, v in _header(event).items() if k != "commune"}, "title": _("Invitation"),
            "number": "……/GM-BHXH", "signer": _("Director"),
            "event": {"title": event.title, "when": _when(event), "venue": event.venue}, "letters": letters}


def _masked(value: str | None) -> str:
    """A number already on record, shown only by its last digits: the sheet passes from hand to hand at a
    conference, so nobody reads another person's full ID number or phone on it; the person confirms theirs."""
    return _("on record (…%(last)s)", last=value[-4:]) if value else ""


def _signup_person(row: int, late: bool, person: Person | None, household: Household, hamlet: Hamlet,
                   commune: Commune) -> dict:
    """What is already known of the invited person, for the agent to confirm instead of copying."""
    residence = ", ".join(p for p in (household.address, hamlet.name, commune.name) if p)
    if person is None:
        return {"row": f"{row}*" if late else str(row), "name": household.head_name.upper(), "birth": "", "sex": "",
                "ethnicity": "", "nationality": "", "cccd": "", "bhxh_code": "", "phone": _masked(household.phone),
                "residence": residence, "contact": "", "clinic": ""}
    clinic = default_facility(person)
    return {"row": f"{row}*" if late else str(row), "name": person.full_name.upper(), "birth": person.birth_text,
            "sex": person.sex or "", "ethnicity": person.ethnicity or "", "nationality": person.nationality or "",
            "cccd": _masked(person.cccd), "bhxh_code": _masked(person.bhxh_code),
            "phone": _masked(person.phone or household.phone), "residence": residence,
            "contact": person.contact_address or "",
            "clinic": _("%(name)s (code %(code)s)", name=clinic.name, code=clinic.code) if clinic else ""}


@in_document_locale
def signup_sheet(event, blank_rows: int = 15) -> dict:
    """One block per invited household's person (what is known already filled in, ID numbers shown only by their
    last digits), then blank blocks for walk-ins: every field of the declaration (TK1-TS) and of the D05-TS /
    D03-TS lists, laid out to be filled by hand, with the codes the lists take."""
    number_sheet(event)
    found = db.session.execute(
        select(Invitation.sheet_row, Invitation.late, Invitation.person_id, Household, Hamlet, Commune)
        .join(Household, Household.id == Invitation.household_id).join(Hamlet, Hamlet.id == Household.hamlet_id)
        .join(Commune, Commune.id == Household.commune_id)
        .where(Invitation.event_id == event.id).order_by(Invitation.sheet_row)).all()
    chosen = {r[2] for r in found if r[2]}
    households = [r[3].id for r in found]
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(chosen)))} if chosen else {}
    heads = {p.household_id: p for p in db.session.scalars(select(Person).where(
        Person.household_id.in_(households), Person.relation_to_head == "head"))} if households else {}
    rows = [_signup_person(row, late, people.get(person_id) or heads.get(household.id), household, hamlet, commune)
            for row, late, person_id, household, hamlet, commune in found]
    head = _header(event)
    commune = head.pop("commune")
    numbered = len(rows)
    return {**head, "title": _("Sign-up sheet for voluntary social insurance and household health insurance"), "subtitle": event.title,
            "facts": [[pgettext("document", "Time"), _when(event)], [_("Venue"), f"{event.venue}, {commune}"]],
            "people": rows, "blanks": [str(numbered + n + 1) for n in range(blank_rows)], "landscape": True,
            "legend": [[_("Payment method"), "; ".join(f"{k} = {v}" for k, v in MODE_NAMES.items())],
                       [_("Supported group"), "; ".join(f"{k} = {v}" for k, v in SUPPORT_NAMES.items())]],
            "signatures": [_("Collection agent"), _("For the organising office")],
            "note": " ".join(filter(None, [
                _("(*) Invited after the list was first printed.") if any(r[1] for r in found) else None,
                _("ID card numbers, social insurance codes and phones on record show their last 4 digits only: the "
                  "participant checks them and writes them again if wrong."),
                _("Participants can look up their contributions in the VssID app of Vietnam Social Security.")]))}
