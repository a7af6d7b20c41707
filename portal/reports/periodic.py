"""The periodic results report (báo cáo định kỳ) an office sends, weekly or monthly, to the People's Committee of
each commune it serves and to the province office: new participants, renewals, lapsed participants, participants
in force and coverage, amounts collected, by channel.

One set of figures feeds the page, the workbook and the printed document (an official report in the Decree 30
layout: national header, "Số: …/BC-BHXH", place and date, addressee, "Nơi nhận", signer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale, lazy_pgettext, pgettext
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from ..auth.scope import Place
from ..extensions import db
from ..geo import facts as commune_facts
from ..geo.models import Commune
from ..households.models import Person
from ..i18n.formatting import format_date
from ..org.models import Office
from ..printing.text import DOCUMENT_LOCALE, DocumentWords, in_document_locale
from ..results.models import CHANNELS, SignUp
from . import coverage, memo, queries
from .exports import Column, Report, Table
from .queries import counted

PERIODS = ("week", "month")
#: What the report is about (its title is "Báo cáo" and this).
HEADING = lazy_pgettext("document", "Results in enrolling voluntary social insurance and household health insurance "
                                    "participants")


@in_document_locale
def heading() -> str:
    """The report's subject in the document's locale."""
    return str(HEADING)


@in_document_locale
def committee_of(commune: str) -> str:
    """The People's Committee of a commune as the report's addressee ("Ủy ban nhân dân xã Nghĩa Lộ")."""
    return pgettext("document", "People's Committee of %(commune)s", commune=commune[:1].lower() + commune[1:])


@in_document_locale
def letter(data: Periodic) -> dict:
    """The parts of the official letter around the report's tables (Decree 30/2020): its number, title,
    addressee, recipients and signer."""
    return {"number": "……/BC-BHXH", "heading": heading(), "addressee": data.addressee,
            "signer": _("Director"), "recipients": [_("As above"), _("Archived: office records")],
            "landscape": True}


def bounds(period: str, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) or the calendar month holding ``day``."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


@in_document_locale
def period_title(period: str, start: date, end: date) -> str:
    """ "Tháng 11 năm 2026" or "Tuần từ ngày 02/11/2026 đến ngày 08/11/2026"."""
    if period == "month":
        return pgettext("document", "Month %(month)s of %(year)s", month=start.month, year=start.year)
    return pgettext("document", "Week from %(start)s to %(end)s", start=format_date(start), end=format_date(end))


@dataclass
class Row:
    """One commune's figures for the period (and, for coverage, on its last day)."""

    commune_id: int
    name: str
    office_id: int | None = None
    new_bhxh_tn: int = 0
    new_bhyt_hgd: int = 0
    renewals: int = 0
    lapsed_bhxh_tn: int = 0
    lapsed_bhyt: int = 0
    amount: int = 0
    cover: coverage.CoverageLine | None = None
    #: What the commune is on the report's last day (island, escaped poverty, new rural: portal.geo.facts).
    facts: set[str] = field(default_factory=set)

    def add(self, other: Row) -> None:
        for name in ("new_bhxh_tn", "new_bhyt_hgd", "renewals", "lapsed_bhxh_tn", "lapsed_bhyt", "amount"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.cover is not None:
            if self.cover is None:
                self.cover = coverage.CoverageLine(0, "")
            self.cover.add(other.cover)


@dataclass
class Periodic:
    """The figures of a periodic report."""

    period: str
    starts_on: date
    ends_on: date
    addressee: str
    rows: list[Row]
    total: Row
    channels: dict[str, dict[str, int]] = field(default_factory=dict)
    goal: coverage.Goal = field(default_factory=coverage.Goal)
    day: date | None = None

    @property
    def title(self) -> str:
        return period_title(self.period, self.starts_on, self.ends_on)


def build(province_id: int, where: Place, period: str, day: date, today: date, *, commune: tuple[int, str] | None,
          addressee: str) -> Periodic:
    """The figures for the communes of the place (or one commune, for its People's Committee)."""
    start, end = bounds(period, day)
    if commune is not None:
        ids = select(Commune.id).where(Commune.id == commune[0])
        names = [(None, commune[0], commune[1])]
    else:
        ids = select(Commune.id).where(Commune.office_id.in_(where.covered_office_ids))
        names = db.session.execute(select(Commune.office_id, Commune.id, Commune.name).join(
            Office, Office.id == Commune.office_id).where(Commune.office_id.in_(where.covered_office_ids))
            .order_by(Office.sort_key, Commune.sort_key)).all()
    rows = {cid: Row(cid, name, office_id) for office_id, cid, name in names}
    signups = (select(SignUp.commune_id,
                      func.sum(case(((SignUp.scheme == "bhxh_tn") & (SignUp.kind == "new"), 1), else_=0)),
                      func.sum(case(((SignUp.scheme == "bhyt_hgd") & (SignUp.kind == "new"), 1), else_=0)),
                      func.sum(case((SignUp.kind == "renewal", 1), else_=0)), func.sum(SignUp.net))
               .where(counted(), SignUp.signed_on >= start, SignUp.signed_on <= end, SignUp.commune_id.in_(ids))
               .group_by(SignUp.commune_id))
    for cid, tn, yt, renewals, amount in memo.cached("periodic_signups", (start, end, memo.clause_key(ids)),
                                                     lambda: db.session.execute(signups).all()):
        if cid in rows:
            row = rows[cid]
            row.new_bhxh_tn, row.new_bhyt_hgd, row.renewals, row.amount = (int(v or 0) for v in (tn, yt, renewals,
                                                                                                  amount))
    lapsed_tn = (select(Person.commune_id, func.count()).where(
        Person.bhxh_tn_status == "stopped", Person.paid_until >= start, Person.paid_until <= end,
        Person.commune_id.in_(ids)).group_by(Person.commune_id))
    expired_by = min(end, today - timedelta(days=1))
    lapsed_yt = (select(Person.commune_id, func.count()).where(
        Person.bhyt_expires_on >= start, Person.bhyt_expires_on <= expired_by,
        Person.commune_id.in_(ids)).group_by(Person.commune_id))
    # Kept while no person changes (memo): SQLite reads the cards expired in a few days through the people of
    # every commune (the commune index), a million rows for a province.
    lapsed = memo.cached("periodic_lapsed", (start, end, expired_by, memo.clause_key(ids)),
                         lambda: (db.session.execute(lapsed_tn).all(), db.session.execute(lapsed_yt).all()))
    for cid, n in lapsed[0]:
        if cid in rows:
            rows[cid].lapsed_bhxh_tn = int(n)
    for cid, n in lapsed[1]:
        if cid in rows:
            rows[cid].lapsed_bhyt = int(n)
    counted_on = min(end, today)
    for cid, held in commune_facts.current(list(rows), counted_on).items():
        rows[cid].facts = held
    figures = coverage.commune_figures(start.year, ids)
    people = coverage.in_force(where.covered_office_ids, counted_on, commune[0] if commune else None)
    for cid, row in rows.items():
        labour_force, population = figures.get(cid, (None, None))
        tn, yt = people.get(cid, (0, 0))
        row.cover = coverage.CoverageLine(cid, row.name, labour_force, population, tn, yt)
    channels = {c: {"new_bhxh_tn": 0, "new_bhyt_hgd": 0, "renewals": 0, "amount": 0} for c in CHANNELS}
    channels.update({channel: dict(values) for channel, values in queries.by_channel(
        queries.Window(province_id, start, end), Commune.id.in_(ids)).items()})
    with force_locale(DOCUMENT_LOCALE):
        total = Row(0, pgettext("document", "Total"))
    for row in rows.values():
        total.add(row)
    return Periodic(period, start, end, addressee, list(rows.values()), total, channels,
                    coverage.goal(province_id, start.year), counted_on)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@in_document_locale
def report(data: Periodic) -> Report:
    """The figures as report tables (the workbook's sheets and the printed document's tables)."""
    no, commune, total = pgettext("document", "No."), pgettext("document", "Commune, ward"), pgettext("document", "Total")
    bhxh, bhyt = pgettext("document", "Voluntary social insurance"), pgettext("document", "Household health insurance (column)")
    new, lapsed = pgettext("document", "New participants"), pgettext("document", "Stopped paying, expired")
    amount, renewals = pgettext("document", "Amount collected (dong)"), pgettext("document", "Renewals")
    results = Table(pgettext("document", "Results of the period by commune"), [
        Column(no, "int", 6, 9), Column(commune, "text", 26, 34),
        Column(bhxh, "int", 11, 15, new), Column(bhyt, "int", 11, 15, new),
        Column(renewals, "int", 10, 14), Column(bhxh, "int", 11, 15, lapsed),
        Column(bhyt, "int", 11, 15, lapsed),
        Column(amount, "int", 16, 26), Column(pgettext("document", "Features of the commune"), "text", 18, 30)])
    for n, row in enumerate(data.rows, start=1):
        results.rows.append([n, row.name, row.new_bhxh_tn, row.new_bhyt_hgd, row.renewals, row.lapsed_bhxh_tn,
                             row.lapsed_bhyt, row.amount, "; ".join(FACT_VI[f] for f in FACT_VI if f in row.facts)])
    t = data.total
    results.total = [None, total, t.new_bhxh_tn, t.new_bhyt_hgd, t.renewals, t.lapsed_bhxh_tn,
                     t.lapsed_bhyt, t.amount, None]
    cover = Table(pgettext("document", "Participants and coverage (on %(day)s)", day=format_date(data.day)), [
        Column(no, "int", 6, 9), Column(commune, "text", 26, 34),
        Column(pgettext("document", "Participants"), "int", 12, 16, bhxh),
        Column(pgettext("document", "Labour force"), "int", 12, 18, bhxh),
        Column(pgettext("document", "Coverage"), "percent", 11, 16, bhxh),
        Column(pgettext("document", "Card holders"), "int", 12, 16, bhyt),
        Column(pgettext("document", "Population"), "int", 12, 18, bhyt),
        Column(pgettext("document", "Share with a card"), "percent", 11, 16, bhyt)])
    for n, row in enumerate(data.rows, start=1):
        c = row.cover
        cover.rows.append([n, row.name, c.bhxh_tn, c.labour_force, _percent(c.bhxh_tn_percent), c.bhyt,
                           c.population, _percent(c.bhyt_percent)])
    c = data.total.cover or coverage.CoverageLine(0, "")
    cover.total = [None, total, c.bhxh_tn, c.labour_force, _percent(c.bhxh_tn_percent), c.bhyt,
                   c.population, _percent(c.bhyt_percent)]
    goal = data.goal
    if goal.bhxh_tn is not None or goal.bhyt is not None:
        cover.note = pgettext("document", "The province's coverage target for %(year)s: voluntary social insurance "
                              "%(bhxh)s of the labour force; health insurance %(bhyt)s of the population.",
                              year=str(data.starts_on.year), bhxh=_goal(goal.bhxh_tn), bhyt=_goal(goal.bhyt))
    channels = Table(pgettext("document", "Results of the period by channel"), [
        Column(no, "int", 6, 9), Column(pgettext("document", "Channel"), "text", 40, 70),
        Column(pgettext("document", "New voluntary social insurance"), "int", 14, 26),
        Column(pgettext("document", "New household health insurance"), "int", 14, 26),
        Column(renewals, "int", 10, 20), Column(amount, "int", 16, 30)])
    for n, code in enumerate(CHANNELS, start=1):
        v = data.channels.get(code, {})
        channels.rows.append([n, CHANNEL_VI[code], v.get("new_bhxh_tn", 0), v.get("new_bhyt_hgd", 0),
                              v.get("renewals", 0), v.get("amount", 0)])
    channels.total = [None, total, t.new_bhxh_tn, t.new_bhyt_hgd, t.renewals, t.amount]
    subject = str(HEADING)
    return Report(pgettext("document", "Report: %(subject)s", subject=subject[:1].lower() + subject[1:]), data.title,
                  f"bao-cao-ket-qua-{data.period}-{data.starts_on.isoformat()}", [results, cover, channels],
                  facts=[(pgettext("document", "To"), data.addressee)])


def _goal(percent: float | None) -> str:
    """A coverage goal as the document writes it ("1,5%"), or a dash."""
    return "—" if percent is None else f"{percent:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


#: The commune facts as the printed document says them, in this order.
FACT_VI = DocumentWords({"island": lazy_pgettext("document", "Island commune, special zone"),
                         "escaped_poverty": lazy_pgettext("document", "Out of poverty"),
                         "new_rural": lazy_pgettext("document", "New rural standard met")})

#: The channels as the printed document says them (the report is always in Vietnamese).
CHANNEL_VI = DocumentWords({
    "event": lazy_pgettext("document", "At a conference or outreach activity"),
    "door": lazy_pgettext("document", "Collection agent at each household"),
    "counter": lazy_pgettext("document", "At a collection point or post office counter"),
    "online": lazy_pgettext("document", "Online (VssID, public service portal)"),
    "other": lazy_pgettext("document", "Other channels")})

