"""Building D05-TS (voluntary social insurance) and D03-TS (health insurance) lists from confirmed sign-ups.

Only confirmed sign-ups go out. A row that lacks a value the list must carry (a social insurance code or a CCCD,
the date of birth, the sex, the initial clinic…) stops the export and is listed with its missing fields and a
link to complete them: nobody is ever dropped silently. Each export is a batch; the sign-ups it carried are
marked, so the next export of the same period holds only what is new unless asked otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import services as audit
from ..auth.scope import scoped
from ..extensions import db
from ..facilities.models import Facility
from ..geo.models import Commune, Hamlet, Province
from ..households.models import Household, Person
from ..i18n.formatting import format_number
from ..org.models import Agent, AgentOrganisation, Office
from ..policy import calculator
from ..results.models import SignUp
from ..results.services import support_categories, support_category
from .codes import COLUMNS, MODE_CODES, PLAN_CODES, SEX_NAMES, SUPPORT_CODES
from .models import DeclarationBatch


@dataclass
class Filters:
    """Which confirmed sign-ups to declare."""

    form: str = "d05"
    event_id: int | None = None
    agent_id: int | None = None
    commune_id: int | None = None
    start: date | None = None
    end: date | None = None
    include_exported: bool = False

    def as_json(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class Missing:
    """A person whose sign-up cannot be declared yet, and what is missing."""

    person_id: int
    name: str
    gaps: list[str]


@dataclass
class Heading:
    """The heading block of a list: the BHXH office that receives it, the agent organisation that makes it, and
    the period it covers."""

    agency_superior: str = ""
    agency: str = ""
    organisation: str = ""
    agent: str = ""
    period: str = ""


@dataclass
class Listing:
    """The rows of one export (dicts keyed by the form's column keys), or the people who block it."""

    form: str = "d05"
    rows: list[dict] = field(default_factory=list)
    signup_ids: list[int] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    heading: Heading = field(default_factory=Heading)
    first_signed: date | None = None
    last_signed: date | None = None

    @property
    def columns(self):
        return COLUMNS[self.form]

    @property
    def total_due(self) -> int:
        return self.totals.get("due", 0)

    @property
    def total_net(self) -> int:
        return self.totals.get("net", 0)

    @property
    def total_support(self) -> int:
        return self.totals.get("support", 0) + self.totals.get("local_support", 0)


def _query(f: Filters):
    scheme = "bhxh_tn" if f.form == "d05" else "bhyt_hgd"
    stmt = scoped(SignUp, select(SignUp, Person, Household, Hamlet, Commune, Province, Facility)).join(
        Person, Person.id == SignUp.person_id).join(Household, Household.id == SignUp.household_id).join(
        Hamlet, Hamlet.id == Household.hamlet_id).join(Commune, Commune.id == SignUp.commune_id).join(
        Province, Province.id == Commune.province_id).outerjoin(Facility, Facility.id == SignUp.facility_id).where(
        SignUp.status == "confirmed", SignUp.scheme == scheme)
    if f.event_id:
        stmt = stmt.where(SignUp.event_id == f.event_id)
    if f.agent_id:
        stmt = stmt.where(SignUp.agent_id == f.agent_id)
    if f.commune_id:
        stmt = stmt.where(SignUp.commune_id == f.commune_id)
    if f.start:
        stmt = stmt.where(SignUp.signed_on >= f.start)
    if f.end:
        stmt = stmt.where(SignUp.signed_on <= f.end)
    if not f.include_exported:
        stmt = stmt.where(SignUp.export_batch_id.is_(None))
    if f.form == "d05":
        return stmt.order_by(Commune.sort_key, Person.sort_key, SignUp.id)
    # Health insurance: a household's members together, in their order (the ladder of amounts).
    return stmt.order_by(Commune.sort_key, Household.sort_key, Household.id, SignUp.member_order, Person.sort_key)


def _gaps(form: str, person: Person, signup: SignUp, facility: Facility | None) -> list[str]:
    gaps = []
    if not (person.bhxh_code or person.cccd):
        gaps.append(_("social insurance code or CCCD"))
    if person.date_of_birth is None:
        gaps.append(_("date of birth"))
    if person.sex is None:
        gaps.append(_("sex"))
    if form == "d05" and not signup.chosen_income:
        gaps.append(_("chosen income"))
    if form == "d03" and facility is None:
        gaps.append(_("initial clinic"))
    return gaps


def residence(household: Household, hamlet: Hamlet, commune: Commune, province: Province) -> str:
    """Where the person lives, as the lists write it: house, hamlet, commune, province."""
    parts = [household.address, hamlet.name, commune.name, province.full_name]
    kept: list[str] = []
    for part in parts:
        if part and not any(part.casefold() in k.casefold() for k in kept):
            kept.append(part)
    return ", ".join(kept)


def _percent(value: Decimal) -> float:
    return float((value * 100).quantize(Decimal("0.01")))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + timedelta(days=day.day - 1),
               following - timedelta(days=1))


def card_start(signup: SignUp) -> date:
    """The first day of the health insurance card: 30 days after paying for a new card (Law on Health Insurance,
    art. 16), the day paid for a renewal, or the first month paid for when it is later."""
    earliest = signup.signed_on + timedelta(days=30) if signup.kind == "new" else signup.signed_on
    return max(earliest, signup.from_month) if signup.from_month else earliest


def _birth(person: Person):
    """A date cell for a full date of birth; the year alone as text (BHXH records allow it)."""
    if person.date_of_birth is None:
        return None
    return str(person.date_of_birth.year) if person.birth_year_only else person.date_of_birth


def _d05_row(signup: SignUp, person: Person, household: Household, island: bool) -> dict:
    categories = support_categories(person, household, island=island)
    try:
        quote = calculator.bhxh_tn(signup.signed_on, income=signup.chosen_income or 0, categories=categories,
                                   mode=signup.payment_mode or "monthly", months=signup.months)
        rate, local_rate = _percent(quote.support_rate), _percent(quote.local_support_rate)
    except calculator.PolicyError:
        rate = local_rate = 0.0
    category = signup.support_category or support_category(person, household, signup.signed_on)
    return {"income": signup.chosen_income, "mode": MODE_CODES.get(signup.payment_mode or "monthly", ""),
            "from_month": signup.from_month or signup.signed_on.replace(day=1), "months": signup.months,
            "due": signup.amount_due, "support_code": SUPPORT_CODES[category],
            "support_rate": rate if signup.support else 0.0, "support": signup.support,
            "local_rate": local_rate if signup.local_support else 0.0, "local_support": signup.local_support,
            "other_support": 0, "net": signup.net, "plan": PLAN_CODES["d05"][signup.kind]}


def _d03_row(signup: SignUp, facility: Facility | None, province_codes: dict[int, str]) -> dict:
    start = card_start(signup)
    return {"household_code": "", "clinic_province": province_codes.get(facility.province_id, "") if facility
            else "", "clinic_code": facility.code if facility else "", "order": signup.member_order or 1,
            "months": signup.months, "start": start, "end": add_months(start, signup.months) - timedelta(days=1),
            "due": signup.amount_due, "support": signup.support + signup.local_support, "net": signup.net,
            "receipt_number": signup.receipt_number or "", "receipt_date": signup.receipt_date,
            "plan": PLAN_CODES["d03"][signup.kind]}


def listing(f: Filters) -> Listing:
    """The rows of a D05-TS or D03-TS list for the filters, with its heading and totals."""
    result = Listing(form=f.form)
    found = db.session.execute(_query(f)).all()
    province_codes = dict(db.session.execute(select(Province.id, Province.code)).all()) if f.form == "d03" else {}
    agents, offices = set(), set()
    for signup, person, household, hamlet, commune, province, facility in found:
        gaps = _gaps(f.form, person, signup, facility)
        if gaps:
            result.missing.append(Missing(person.id, person.full_name, gaps))
            continue
        result.signup_ids.append(signup.id)
        agents.add(signup.agent_id)
        offices.add(commune.office_id)
        result.first_signed = min(filter(None, (result.first_signed, signup.signed_on)))
        result.last_signed = max(filter(None, (result.last_signed, signup.signed_on)))
        row = {"n": len(result.rows) + 1, "name": person.full_name.upper(), "bhxh_code": person.bhxh_code or "",
               "cccd": person.cccd or "", "birth": _birth(person), "sex": SEX_NAMES.get(person.sex, ""),
               "address": residence(household, hamlet, commune, province), "note": signup.override_reason or "",
               "signup_id": signup.id, "person_id": person.id}
        row.update(_d05_row(signup, person, household, commune.island) if f.form == "d05"
                   else _d03_row(signup, facility, province_codes))
        result.rows.append(row)
    result.totals = {c.key: sum(r[c.key] or 0 for r in result.rows) for c in result.columns if c.summed}
    result.heading = _heading(f, result, agents, offices)
    return result


def period_text(start: date, end: date, *, whole_month: bool) -> str:
    """The declaration period as the list prints it, in Vietnamese whatever the interface language ("Tháng
    05/2026", or "Từ ngày … đến ngày …")."""
    with force_locale("vi"):
        if whole_month:
            return _("Month %(month)s", month=f"{start:%m/%Y}")
        return pgettext("document", "From %(start)s to %(end)s", start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")


def _heading(f: Filters, result: Listing, agents: set, offices: set) -> Heading:
    heading = Heading()
    office_ids = {o for o in offices if o}
    if len(office_ids) == 1:
        office = db.session.get(Office, office_ids.pop())
        parent = db.session.get(Office, office.parent_id) if office.parent_id else None
        heading.agency, heading.agency_superior = office.name, (parent.name if parent else "")
    agent_ids = {a for a in agents if a}  # the agents of the rows, which the scope let through
    agent = db.session.get(Agent, agent_ids.pop()) if len(agent_ids) == 1 else None
    if agent is not None:
        organisation = db.session.get(AgentOrganisation, agent.organisation_id) if agent.organisation_id else None
        heading.agent = agent.full_name
        heading.organisation = organisation.name if organisation else ""
    elif agent_ids:
        names = db.session.scalars(select(AgentOrganisation.name).join(Agent, Agent.organisation_id ==
                                                                        AgentOrganisation.id)
                                   .where(Agent.id.in_(agent_ids)).distinct().order_by(AgentOrganisation.name))
        heading.organisation = "; ".join(names)
    start, end = f.start or result.first_signed, f.end or result.last_signed
    if start and end:
        heading.period = period_text(start, end, whole_month=(start.year, start.month) == (end.year, end.month)
                                     and not (f.start or f.end))
    return heading


def record_batch(f: Filters, result: Listing, user, file_format: str) -> DeclarationBatch:
    """Mark the exported sign-ups with a new batch and audit the export (caller commits)."""
    batch = DeclarationBatch(form=f.form, filters=f.as_json(), count=len(result.signup_ids), created_by_id=user.id)
    db.session.add(batch)
    db.session.flush()
    if result.signup_ids:
        table = SignUp.__table__
        db.session.execute(table.update().where(table.c.id.in_(result.signup_ids)).values(export_batch_id=batch.id))
    audit.record("export.declaration", obj=batch, object_type="declaration_batch",
                 details={"form": f.form, "rows": len(result.signup_ids), "format": file_format,
                          "filters": f.as_json()})
    return batch


def cell_text(kind: str, value) -> str:
    """A cell as printed and previewed: amounts 1.234.567, dates dd/mm/yyyy, months mm/yyyy, rates 12,5."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_number(value)
    if kind == "percent":
        return format_number(value, 0 if float(value).is_integer() else 2)
    if kind == "month":
        return value.strftime("%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def display_rows(result: Listing) -> list[list[str]]:
    """The rows as texts, column by column."""
    return [[cell_text(c.kind, row[c.key]) for c in result.columns] for row in result.rows]
