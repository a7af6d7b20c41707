"""Progress against targets, computed with a fixed number of aggregate queries whatever the data size.

Achievements count confirmed results only: confirmed sign-ups whatever their channel (at an event, door to door,
at a counter, online: :func:`counted` is the one rule every report applies), conferences held, and attendees
checked in at held events. The same counts over the same days of the year before give the comparison with last
year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import case, func, select

from ..auth.scope import Place
from ..campaigns.models import METRICS, Target
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune, Province
from ..org.models import Agent, Office
from ..printing.text import in_document_locale
from ..results.models import Attendance, SignUp
from . import memo

HELD = ("held", "results_entered", "closed")
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def counted():
    """The sign-ups that count in every report: the confirmed ones, whatever their channel, each once.

    Every count, sum and breakdown of sign-ups in the reports filters through this clause, so a rule about
    which sign-ups count is added here and nowhere else. A duplicate (the same enrolment recorded twice) has the
    status "duplicate", never "confirmed", so it never counts."""
    return SignUp.status == "confirmed"


@dataclass(frozen=True)
class Window:
    """Some days of a province: a campaign's period, or the same days of another year."""

    province_id: int
    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def window_of(campaign) -> Window:
    """A campaign's period."""
    return Window(campaign.province_id, campaign.starts_on, campaign.ends_on)


def year_before(day: date) -> date:
    """The same day one year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def last_year(campaign, today: date) -> Window:
    """The same days last year as the campaign has run so far (its whole period once over or not yet begun)."""
    until = today if campaign.starts_on <= today < campaign.ends_on else campaign.ends_on
    return Window(campaign.province_id, year_before(campaign.starts_on), year_before(until))


def last_year_whole(campaign) -> Window:
    """The campaign's whole period, one year earlier (for last year's daily line)."""
    return Window(campaign.province_id, year_before(campaign.starts_on), year_before(campaign.ends_on))


@dataclass
class Line:
    """One subject's targets and achievements (and, when compared, last year's for the same days)."""

    level: str
    subject_id: int
    name: str
    target: dict[str, int] = field(default_factory=dict)
    achieved: dict[str, int] = field(default_factory=dict)
    previous: dict[str, int] | None = None

    def percent(self, metric: str) -> float | None:
        goal = self.target.get(metric, 0)
        return 100.0 * self.achieved.get(metric, 0) / goal if goal else None

    def change(self, metric: str) -> int | None:
        """Achieved minus last year's figure for the same days."""
        if self.previous is None:
            return None
        return self.achieved.get(metric, 0) - self.previous.get(metric, 0)

    def change_percent(self, metric: str) -> float | None:
        """The change as a share of last year's figure (None when last year had none)."""
        if self.previous is None or not self.previous.get(metric):
            return None
        return 100.0 * self.change(metric) / self.previous[metric]


def utc_bounds(window) -> tuple[datetime, datetime]:
    """The first and the day-after-last day of a window, as UTC moments (days are Vietnam days)."""
    start = datetime.combine(window.starts_on, datetime.min.time(), tzinfo=VN).astimezone(UTC)
    end = datetime.combine(window.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=VN).astimezone(UTC)
    return start, end


_window = utc_bounds  # older name


@dataclass
class Counts:
    """What a period achieved: metric counts per subject, and new BHXH TN sign-ups per day (all subjects)."""

    by_key: dict[int, dict[str, int]]
    per_day: dict[date, int]


def _signup_key(level: str):
    """What sign-ups are grouped by: the agent (credited, or who made it) or the commune."""
    return func.coalesce(SignUp.credited_agent_id, SignUp.agent_id) if level == "agent" else SignUp.commune_id


#: New BHXH TN, new BHYT HGĐ and renewed sign-ups, as the sums of a grouped query.
SIGNUP_SUMS = (func.sum(case(((SignUp.scheme == "bhxh_tn") & (SignUp.kind == "new"), 1), else_=0)),
               func.sum(case(((SignUp.scheme == "bhyt_hgd") & (SignUp.kind == "new"), 1), else_=0)),
               func.sum(case((SignUp.kind == "renewal", 1), else_=0)))


def _same(key):
    return key


@dataclass(frozen=True)
class Grouping:
    """What a count is grouped by, for :func:`count_by`: every level (office, commune, agent, agent
    organisation, hamlet) counts through the same queries, so a rule about what counts (the campaign's events
    held outside its period, ...) holds at every level alike.

    - ``communes``: a select of the commune ids whose sign-ups (and events) count;
    - ``key``: a sign-up's subject, read from ``source`` (the sign-ups, joined to what the key needs);
    - ``signups``: further clauses on the sign-ups (an organisation's key among the offices' organisations);
    - ``subject``: turns a key into the subject it counts for (a commune into its office), None for nobody;
    - ``event_key`` and ``events``: an event's subject and further clauses on the events (no ``event_key``: the
      level counts no conferences or attendees);
    - ``strict``: a sign-up whose subject is None is left out of the daily line too."""

    communes: Any
    key: Any
    source: Any = SignUp.__table__
    signups: tuple = ()
    subject: Callable = _same
    event_key: Any = None
    events: tuple = ()
    strict: bool = False


def grouping_of(window, level: str, commune_filter=None) -> Grouping:
    """The grouping of the office, commune or agent level, over the province's communes (``commune_filter``
    narrows them)."""
    commune_ids = select(Commune.id).where(Commune.province_id == window.province_id)
    if commune_filter is not None:
        commune_ids = commune_ids.where(commune_filter)
    subject = _same
    if level == "office":
        # Offices are summed here from their communes: grouping on the commune reads the covering index in order.
        office_of = dict(db.session.execute(select(Commune.id, Commune.office_id).where(
            Commune.id.in_(commune_ids))).all())
        subject = office_of.get
    return Grouping(commune_ids, _signup_key(level), subject=subject,
                    event_key=None if level == "agent" else Event.commune_id,
                    events=(Event.commune_id.in_(commune_ids),), strict=level == "office")


def _add_signups(result: dict, key: int, tn, yt, renewals) -> None:
    found = result.setdefault(key, {"new_bhxh_tn": 0, "new_bhyt_hgd": 0, "renewals": 0})
    for metric, value in (("new_bhxh_tn", tn), ("new_bhyt_hgd", yt), ("renewals", renewals)):
        found[metric] = found.get(metric, 0) + int(value or 0)


def _add_events(result: dict, by: Grouping, *where) -> None:
    """Add the conferences and attendees of the held events ``where`` says, per subject."""
    conference = func.count(case((Event.kind == "conference", Event.id)).distinct())
    stmt = (select(by.event_key, conference, func.count(Attendance.id)).select_from(Event)
            .outerjoin(Attendance, Attendance.event_id == Event.id)
            .where(*where, *by.events, Event.status.in_(HELD)).group_by(by.event_key))
    for key, held, people in db.session.execute(stmt):
        key = by.subject(key)
        if key is not None:
            found = result.setdefault(key, {})
            found["conferences"] = found.get("conferences", 0) + int(held)
            found["attendees"] = found.get("attendees", 0) + int(people)


def counts(window, level: str, commune_filter=None, *, events_until: date | None = None) -> Counts:
    """What the office, commune or agent level achieved over a window (see :func:`count_by`), kept between
    requests while no sign-up, event or attendance changes (see memo)."""
    return memo.cached("counts", (memo.window_key(window), level, memo.clause_key(commune_filter), events_until),
                       lambda: count_by(window, grouping_of(window, level, commune_filter), events_until=events_until),
                       depends=memo.counts_fingerprint)


def count_by(window, by: Grouping, *, events_until: date | None = None) -> Counts:
    """Two grouped queries: confirmed sign-ups per subject and day, and held events with their attendees per
    subject. ``events_until`` ends the events' window earlier (the same days last year). For a campaign, the
    events attached to it but held outside its period (a conference in December counted in the May campaign)
    add their sign-ups, attendees and conferences (two more queries, see :func:`_attached`)."""
    stmt = (select(by.key, SignUp.signed_on, *SIGNUP_SUMS).select_from(by.source)
            .where(counted(), SignUp.signed_on >= window.starts_on,
                   SignUp.signed_on <= window.ends_on, SignUp.commune_id.in_(by.communes), *by.signups)
            .group_by(by.key, SignUp.signed_on))
    result: dict[int, dict[str, int]] = {}
    per_day: dict[date, int] = {}
    until = events_until or window.ends_on
    for key, day, tn, yt, renewals in db.session.execute(stmt):
        key = by.subject(key)
        if key is not None or not by.strict:  # sign-ups in a commune no office serves are nobody's
            per_day[day] = per_day.get(day, 0) + int(tn or 0)
        if key is not None and day <= until:
            _add_signups(result, key, tn, yt, renewals)
    if by.event_key is not None:
        start, end = utc_bounds(Window(window.province_id, window.starts_on, until))
        _add_events(result, by, Event.starts_at >= start, Event.starts_at < end)
    if isinstance(getattr(window, "id", None), int) and events_until is None:
        _attached(window, by, result)
    return Counts(result, per_day)


def _attached(campaign, by: Grouping, result: dict[int, dict[str, int]]) -> None:
    """Add what the campaign's events held outside its period achieved: their counted sign-ups (whatever their
    day) and, where the level counts them, the conferences and attendees."""
    start, end = utc_bounds(campaign)
    outside = select(Event.id).where(Event.campaign_id == campaign.id, Event.commune_id.in_(by.communes),
                                     (Event.starts_at < start) | (Event.starts_at >= end))
    stmt = (select(by.key, *SIGNUP_SUMS).select_from(by.source)
            .where(counted(), SignUp.event_id.in_(outside), SignUp.commune_id.in_(by.communes), *by.signups,
                   (SignUp.signed_on < campaign.starts_on) | (SignUp.signed_on > campaign.ends_on))
            .group_by(by.key))
    for key, tn, yt, renewals in db.session.execute(stmt):
        key = by.subject(key)
        if key is not None:
            _add_signups(result, key, tn, yt, renewals)
    if by.event_key is not None:
        _add_events(result, by, Event.id.in_(outside))


def achievements(campaign, level: str, commune_filter=None) -> dict[int, dict[str, int]]:
    """Metric counts per subject (office, commune or agent) within a campaign's period (or any Window)."""
    return counts(campaign, level, commune_filter).by_key


def cumulative(window, per_day: dict[date, int]) -> list[tuple[date, int]]:
    """A running total for every day of a window."""
    result, running, day = [], 0, window.starts_on
    while day <= window.ends_on:
        running += per_day.get(day, 0)
        result.append((day, running))
        day += timedelta(days=1)
    return result


def subjects(campaign, where: Place) -> list[tuple[int, str]]:
    """The offices of the province a user sees, or the communes or agents of the office asked for, in name
    order (the place's level)."""
    if where.level == "office":
        return [tuple(r) for r in db.session.execute(select(Office.id, Office.name).where(
            Office.province_id == campaign.province_id, Office.kind == "local",
            Office.id.in_(where.office_ids)).order_by(Office.sort_key))]
    if where.level == "commune":
        return [tuple(r) for r in db.session.execute(select(Commune.id, Commune.name).where(
            Commune.office_id == where.office_id).order_by(Commune.sort_key))]
    return [tuple(r) for r in db.session.execute(select(Agent.id, Agent.full_name).where(
        Agent.office_id == where.office_id).order_by(Agent.sort_key))]


def targets(campaign, level: str) -> dict[int, dict[str, int]]:
    """A campaign's targets of one level, per subject and metric."""
    column = getattr(Target, f"{level}_id")
    found: dict[int, dict[str, int]] = {}
    for subject, metric, value in db.session.execute(select(column, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == level)):
        found.setdefault(subject, {})[metric] = value
    return found


def lines(campaign, where: Place, previous: Window | None = None) -> list[Line]:
    """Targets and achievements for every subject of the place's level (communes and agents of one office);
    with ``previous``, also what each subject achieved over those days (last year's same period)."""
    return progress_lines(campaign, where, previous)[0]


def progress_lines(campaign, where: Place, previous: Window | None = None
                   ) -> tuple[list[Line], Counts, Counts | None]:
    """The lines of the place's level, with the counts behind them (whose days give the daily lines). With
    ``previous``, last year's sign-ups are read for its whole campaign period (the daily line) and counted in
    the lines up to ``previous.ends_on``."""
    level = where.level
    names = subjects(campaign, where)
    communes = None if level == "office" else Commune.office_id == where.office_id
    now = counts(campaign, level, communes)
    before = None
    if previous is not None:
        whole = Window(previous.province_id, previous.starts_on, year_before(campaign.ends_on))
        before = counts(whole, level, communes, events_until=previous.ends_on)
    goals = targets(campaign, level)
    rows = [Line(level, sid, name, goals.get(sid, {}), {m: now.by_key.get(sid, {}).get(m, 0) for m in METRICS},
                 None if before is None else {m: before.by_key.get(sid, {}).get(m, 0) for m in METRICS})
            for sid, name in names]
    return rows, now, before


def commune_lines(campaign, where: Place, previous: Window | None = None) -> list[tuple[int, Line]]:
    """Every commune of the offices the place covers as (office id, line), by office then commune name, in a
    fixed number of queries (the commune report)."""
    office_ids = where.covered_office_ids
    names = db.session.execute(select(Commune.office_id, Commune.id, Commune.name).join(
        Office, Office.id == Commune.office_id).where(Commune.office_id.in_(office_ids))
        .order_by(Office.sort_key, Commune.sort_key)).all()
    communes = Commune.office_id.in_(office_ids)
    achieved = achievements(campaign, "commune", communes)
    before = counts(previous, "commune", communes).by_key if previous is not None else None
    goals = targets(campaign, "commune")
    return [(office_id, Line("commune", cid, name, goals.get(cid, {}),
                             {m: achieved.get(cid, {}).get(m, 0) for m in METRICS},
                             None if before is None else {m: before.get(cid, {}).get(m, 0) for m in METRICS}))
            for office_id, cid, name in names]


def total(rows: list[Line]) -> Line:
    """The sum of several lines."""
    compared = bool(rows) and all(r.previous is not None for r in rows)
    line = Line("total", 0, "", previous={} if compared else None)
    for metric in METRICS:
        line.target[metric] = sum(r.target.get(metric, 0) for r in rows)
        line.achieved[metric] = sum(r.achieved.get(metric, 0) for r in rows)
        if compared:
            line.previous[metric] = sum(r.previous.get(metric, 0) for r in rows)
    return line


def daily(campaign, where: Place) -> list[tuple[date, int]]:
    """Cumulative new voluntary social insurance sign-ups per day of a campaign's period (or any Window), in the
    offices the place covers."""
    rows = dict(db.session.execute(
        select(SignUp.signed_on, func.count()).join(Commune, Commune.id == SignUp.commune_id)
        .where(counted(), SignUp.scheme == "bhxh_tn", SignUp.kind == "new",
               SignUp.signed_on.between(campaign.starts_on, campaign.ends_on),
               Commune.office_id.in_(where.covered_office_ids))
        .group_by(SignUp.signed_on)).all())
    return cumulative(campaign, rows)


#: What each channel's line counts.
CHANNEL_METRICS = ("new_bhxh_tn", "new_bhyt_hgd", "renewals", "amount")


def by_channel(window, commune_filter=None) -> dict[str, dict[str, int]]:
    """Counted sign-ups of a window per channel: new BHXH TN, new BHYT HGĐ, renewals, and the amounts
    collected (net paid by the participants), in the province's communes (``commune_filter`` narrows them).
    One grouped query, kept between requests while no sign-up changes (see memo)."""
    return memo.cached("by_channel", (memo.window_key(window), memo.clause_key(commune_filter)),
                       lambda: _by_channel(window, commune_filter))


def _by_channel(window, commune_filter=None) -> dict[str, dict[str, int]]:
    communes = select(Commune.id).where(Commune.province_id == window.province_id)
    if commune_filter is not None:
        communes = communes.where(commune_filter)
    stmt = (select(SignUp.channel,
                   func.sum(case(((SignUp.scheme == "bhxh_tn") & (SignUp.kind == "new"), 1), else_=0)),
                   func.sum(case(((SignUp.scheme == "bhyt_hgd") & (SignUp.kind == "new"), 1), else_=0)),
                   func.sum(case((SignUp.kind == "renewal", 1), else_=0)), func.sum(SignUp.net))
            .where(counted(), SignUp.signed_on >= window.starts_on, SignUp.signed_on <= window.ends_on,
                   SignUp.commune_id.in_(communes))
            .group_by(SignUp.channel))
    return {channel: dict(zip(CHANNEL_METRICS, (int(v or 0) for v in values), strict=True))
            for channel, *values in db.session.execute(stmt)}


# The periodic report's addressee and choices.


def commune_of(commune_id: int, where: Place) -> tuple[int, str] | None:
    """(id, name) of a commune served by an office the place covers, or None."""
    found = db.session.execute(select(Commune.id, Commune.name).where(
        Commune.id == commune_id, Commune.office_id.in_(where.covered_office_ids))).first()
    return tuple(found) if found is not None else None


def communes_of(where: Place) -> list:
    """(id, name) of the communes served by the offices the place covers, by office then commune."""
    return db.session.execute(select(Commune.id, Commune.name).join(Office, Office.id == Commune.office_id)
                              .where(Commune.office_id.in_(where.covered_office_ids))
                              .order_by(Office.sort_key, Commune.sort_key)).all()


def province_office_name(province: int) -> str:
    """The name of a province's BHXH office (or, when none is recorded, the one it would have)."""
    name = db.session.scalar(select(Office.name).where(Office.province_id == province, Office.kind == "province")
                             .order_by(Office.id))
    return name or social_security_of(db.session.get(Province, province).name)


@in_document_locale
def social_security_of(province: str) -> str:
    """The name a province's BHXH office would have, in the document's locale."""
    return pgettext("document", "Social Security of %(province)s", province=province)


@in_document_locale
def national_office() -> str:
    """The body above a province office, in the document's locale."""
    return _("Vietnam Social Security")


def issuer(province: int, office_id: int | None) -> dict:
    """The issuing body of an office's report: the office (else the province office) and the office above it."""
    office = db.session.get(Office, office_id) if office_id else None
    if office is None:
        office = db.session.scalar(select(Office).where(Office.province_id == province, Office.kind == "province"))
    parent = db.session.get(Office, office.parent_id) if office is not None and office.parent_id else None
    return {"issuer_name": office.name if office else "", "issuer_superior": parent.name if parent else (
        national_office() if office is not None and office.kind == "province" else ""),
        "place": db.session.get(Province, province).name if province else ""}
