"""The demo data of ``flask demo load`` (built once for this module, see the ``demo`` fixture): a territory with
every role; campaigns whose dashboards agree with a hand count, where every role sees its own work and the coming
event prints; the outreach network; and loading again adds nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.scope import Place, Scope
from portal.campaigns.models import Campaign, Target
from portal.declarations.codes import D03_COLUMNS, D05_COLUMNS
from portal.declarations.xlsx import FIRST_DATA_ROW
from portal.demo.campaigns import campaign_years
from portal.demo.loader import DEMO_ACCOUNTS, DEMO_TODAY, load_demo
from portal.demo.network import IMPORT_COMMUNE, IMPORT_FILE, load_network
from portal.demo.plan import load_plan
from portal.events.models import Event
from portal.extensions import db
from portal.geo.models import Commune, FormerPlace, Hamlet
from portal.households import importer
from portal.households.import_writer import apply
from portal.households.models import Person
from portal.i18n.formatting import format_number
from portal.network.models import CollectionPoint, TrainingParticipant
from portal.network.queries import coverage
from portal.network.services import training_day
from portal.org.models import Agent, Office
from portal.reports import queries
from portal.reports.queries import HELD, utc_bounds
from portal.results.models import Attendance, Invitation, SignUp
from portal.visits.models import VisitAssignment, VisitList

from .printing.helpers import pdf_pages

PASSWORDS = {a.username: a.password for a in DEMO_ACCOUNTS}
AGENT_CODE = next(a.agent_code for a in DEMO_ACCOUNTS if a.agent_code)  # DL-NL-01, Hà Thị Mai


def _may(year: int) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.kind == "may_month",
                                                    Campaign.starts_on == date(year, 5, 1)))


def _hand_count(campaign: Campaign) -> dict[int, dict[str, int]]:
    """Per commune: confirmed sign-ups by metric in the campaign's days, and conferences held with their
    attendees, counted one metric at a time with plain COUNT queries."""
    found: dict[int, dict[str, int]] = {}
    in_days = (SignUp.status == "confirmed", SignUp.signed_on >= campaign.starts_on,
               SignUp.signed_on <= campaign.ends_on)
    for metric, where in (("new_bhxh_tn", (SignUp.scheme == "bhxh_tn", SignUp.kind == "new")),
                          ("new_bhyt_hgd", (SignUp.scheme == "bhyt_hgd", SignUp.kind == "new")),
                          ("renewals", (SignUp.kind == "renewal",))):
        for commune_id, n in db.session.execute(select(SignUp.commune_id, func.count()).where(*in_days, *where)
                                                .group_by(SignUp.commune_id)):
            found.setdefault(commune_id, {})[metric] = n
    start, end = utc_bounds(campaign)
    held = (Event.status.in_(HELD), Event.starts_at >= start, Event.starts_at < end)
    for commune_id, n in db.session.execute(select(Event.commune_id, func.count()).where(
            *held, Event.kind == "conference").group_by(Event.commune_id)):
        found.setdefault(commune_id, {})["conferences"] = n
    for commune_id, n in db.session.execute(select(Event.commune_id, func.count()).select_from(Attendance).join(
            Event, Event.id == Attendance.event_id).where(*held).group_by(Event.commune_id)):
        found.setdefault(commune_id, {})["attendees"] = n
    return found


def _without_zeros(by_key: dict[int, dict[str, int]]) -> dict[int, dict[str, int]]:
    cleaned = {k: {m: n for m, n in v.items() if n} for k, v in by_key.items()}
    return {k: v for k, v in cleaned.items() if v}


def _login(auth, username: str) -> User:
    user = User.by_username(username)
    auth.login(user, password=PASSWORDS[username])
    return user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_demo_builds_a_territory_with_every_role(demo, runner):
    assert demo > 0
    assert _count(Office) == 4
    assert _count(Hamlet) > 150
    assert _count(Agent) >= 20
    users = {u.username: u for u in db.session.scalars(select(User))}
    assert users["coso"].office_id is not None and users["daily"].agent_id is not None
    # Every hamlet of an office's communes is covered by at least one agent.
    uncovered = db.session.scalar(
        select(func.count()).select_from(Hamlet).where(
            Hamlet.commune_id.in_(select(Commune.id).where(Commune.office_id.is_not(None))),
            ~Hamlet.id.in_(select(db.text("hamlet_id FROM agent_hamlets"))),
        )
    )
    assert uncovered == 0
    counts = (_count(Hamlet), _count(Agent), _count(User))
    assert runner.invoke(args=["demo", "load"]).output.startswith("Demo data ready (0 new")
    assert (_count(Hamlet), _count(Agent), _count(User)) == counts


def test_demo_campaigns(demo, client, auth):
    older_year, last_year, coming_year = campaign_years(DEMO_TODAY)
    older, last, coming = _may(older_year), _may(last_year), _may(coming_year)
    assert (older.status, last.status, coming.status) == ("closed", "closed", "active")
    assert coming.starts_on >= DEMO_TODAY > last.ends_on

    # Last May: 30 or so conferences, a few field days, results confirmed everywhere; targets per commune.
    kinds = dict(db.session.execute(select(Event.kind, func.count()).where(
        Event.campaign_id == last.id, Event.status.in_(HELD)).group_by(Event.kind)).all())
    assert 25 <= kinds["conference"] <= 40 and 2 <= kinds["door_to_door"] <= 8
    assert not db.session.scalar(select(func.count()).select_from(SignUp).join(Event, Event.id == SignUp.event_id)
                                 .where(Event.campaign_id == last.id, SignUp.status != "confirmed"))
    served = db.session.scalar(select(func.count()).select_from(Commune).where(Commune.office_id.is_not(None)))
    assert db.session.scalar(select(func.count(Target.commune_id.distinct())).where(
        Target.campaign_id == last.id, Target.level == "commune")) == served
    days = db.session.scalar(select(func.count(SignUp.signed_on.distinct())).where(
        SignUp.signed_on.between(last.starts_on, last.ends_on)))
    assert days >= 15  # the daily line has a shape

    # The report functions agree with the hand count, commune by commune, for both Mays.
    for campaign in (last, older):
        by_commune = _hand_count(campaign)
        assert by_commune and _without_zeros(queries.achievements(campaign, "commune")) == by_commune
    hand = _hand_count(last)
    total_new = sum(v.get("new_bhxh_tn", 0) for v in hand.values())
    target_new = db.session.scalar(select(func.sum(Target.value)).where(
        Target.campaign_id == last.id, Target.level == "commune", Target.metric == "new_bhxh_tn"))
    before = sum(v.get("new_bhxh_tn", 0) for v in _hand_count(older).values())
    assert total_new > before > 0 and target_new > 0
    lines = queries.lines(last, Place("office", list(db.session.scalars(select(Office).where(
        Office.kind == "local")))), previous=queries.last_year(last, DEMO_TODAY))
    assert queries.total(lines).achieved["new_bhxh_tn"] == total_new
    assert queries.total(lines).previous["new_bhxh_tn"] == before

    # The province officer's dashboard shows the total against the target, and last year's figure.
    _login(auth, "tinh")
    html = client.get(f"/reports/campaigns/{last.id}").get_data(as_text=True)
    assert f"{format_number(total_new)} / {format_number(target_new)}" in html
    total_row = html[html.index('class="total"'):]
    assert f": {format_number(before)} " in total_row[:total_row.index("</td>")]  # last year: 73 (+117, +160%)
    for office in db.session.scalars(select(Office).where(Office.kind == "local")):
        assert office.name in html
    auth.logout()

    # The local officer sees only the communes of their office.
    officer = User.by_username("coso")
    own = list(db.session.scalars(select(Commune).where(Commune.office_id == officer.office_id)))
    others = list(db.session.scalars(select(Commune).where(Commune.office_id.is_not(None),
                                                           Commune.office_id != officer.office_id)))
    _login(auth, "coso")
    html = client.get(f"/reports/campaigns/{last.id}").get_data(as_text=True)
    assert all(c.name in html for c in own)
    assert not [c.name for c in others if c.name in html]
    own_new = sum(hand.get(c.id, {}).get("new_bhxh_tn", 0) for c in own)
    own_target = db.session.scalar(select(Target.value).where(
        Target.campaign_id == last.id, Target.level == "office", Target.office_id == officer.office_id,
        Target.metric == "new_bhxh_tn"))
    assert 0 < own_new < total_new and f"{format_number(own_new)} / {format_number(own_target)}" in html

    # The coming event with its list and letters: the Documents tab lists every document and they print.
    event = db.session.scalar(select(Event).join(Invitation, Invitation.event_id == Event.id)
                              .where(Event.campaign_id == coming.id).limit(1))
    assert event.status == "scheduled" and event.commune_id in {c.id for c in own}
    assert not db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.event_id == event.id))
    page = client.get(f"/events/{event.id}/documents")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for document in ("attendance.pdf", "signup-sheet.pdf", "invitations.pdf", "visits.pdf", "leaflet.pdf"):
        assert f"/events/{event.id}/print/{document}" in text
    pdf = client.get(f"/events/{event.id}/print/attendance.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    auth.logout()

    # The demo agent has households on lists of both Mays, and sees the coming ones as their work.
    agent = db.session.scalar(select(Agent).where(Agent.code == AGENT_CODE))
    for campaign in (last, coming):
        assert db.session.scalar(select(func.count()).select_from(VisitAssignment).join(
            VisitList, VisitList.id == VisitAssignment.visit_list_id).join(Event, Event.id == VisitList.event_id)
            .where(Event.campaign_id == campaign.id, VisitAssignment.agent_id == agent.id)) > 0
    _login(auth, "daily")
    work = client.get("/my").get_data(as_text=True)
    assert event.title in work
    assert client.get(f"/events/{event.id}/documents").status_code == 200
    auth.logout()

    # The declaration lists export on the demo with every mandatory column filled (as PDF: the next test).
    _login(auth, "coso")
    for form, columns in (("d05", D05_COLUMNS), ("d03", D03_COLUMNS)):
        assert "flash-error" not in client.get(f"/declarations/?form={form}").get_data(as_text=True)
        response = client.post("/declarations/export", data={"form": form, "format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = list(sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(columns), values_only=True))
        rows = rows[:[r[0] for r in rows].index("Tổng cộng")]
        assert len(rows) > 20
        for row in rows:
            assert all(value not in (None, "") for value, c in zip(row, columns, strict=True) if c.mandatory)
            assert row[2] or row[3]  # a social insurance code or a CCCD
    auth.logout()

    # Loading again adds nothing.
    counts = _row_counts()
    assert load_demo() == 0
    db.session.commit()
    assert _row_counts() == counts


@pytest.mark.once
def test_demo_declaration_lists_print(demo, client, auth):
    """Both declaration lists of the demo print whole as PDF, the people of the XLSX in them (the same layout on
    either database: run once)."""
    _login(auth, "coso")
    for form in ("d05", "d03"):
        sheet = load_workbook(io.BytesIO(client.post("/declarations/export", data={"form": form, "format": "xlsx"})
                                         .data)).active
        names = [row[1] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=2, values_only=True)
                 if isinstance(row[0], int)]
        pdf = client.post("/declarations/export", data={"form": form, "format": "pdf", "all": "1"})
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        text = " ".join(" ".join(page.split()) for page in pdf_pages(pdf.data))
        assert len(names) > 20 and names[0] in text and names[-1] in text


def test_demo_network(demo):
    office = db.session.scalar(select(Office).where(Office.code == "BHXH-15-NL"))
    assert db.session.scalar(select(func.count()).select_from(FormerPlace)) >= 10
    points = db.session.scalar(select(func.count()).select_from(CollectionPoint))
    table = coverage(office_id=office.id, scope=Scope("all"))
    hamlets = [h for c in table for h in c.hamlets]
    assert points >= len(table) and any(h.gap for h in hamlets) and any(h.points for h in hamlets)

    media = db.session.scalar(select(Event).where(Event.kind == "media"))
    assert media.status == "held" and media.media_channel == "loudspeaker" and media.media_items > 0
    talk = db.session.scalar(select(Event).where(Event.kind == "integrated_talk"))
    assert talk.host_meeting and talk.attendee_count and talk.campaign_id

    training = db.session.scalar(select(Event).where(Event.kind == "training", Event.organiser_office_id == office.id,
                                                     Event.title.like("Tập huấn nghiệp vụ%")))
    trained = set(db.session.scalars(select(TrainingParticipant.agent_id).where(
        TrainingParticipant.event_id == training.id, TrainingParticipant.agent_id.is_not(None))))
    assert trained
    day = training_day(training)
    assert {a.trained_on for a in db.session.scalars(select(Agent).where(Agent.id.in_(trained)))} == {day}

    # Loading again adds nothing.
    assert load_network(DEMO_TODAY) == 0

    # The demo file names the former town of Mù Cang Chải and the former commune of Kim Nọi.
    commune = db.session.scalar(select(Commune).where(Commune.name == IMPORT_COMMUNE))
    report = importer.analyse(commune, IMPORT_FILE.read_bytes(), IMPORT_FILE.name, today=DEMO_TODAY,
                              create_hamlets=True)
    assert report.ok, report.rejected
    assert set(report.former_places.values()) == {"Thị trấn Mù Cang Chải (cũ) → Xã Mù Cang Chải",
                                                  "Xã Kim Nọi (cũ) → Xã Mù Cang Chải"}
    before = db.session.scalar(select(func.count()).select_from(Person).where(Person.commune_id == commune.id))
    apply(commune, report)
    db.session.commit()
    after = db.session.scalar(select(func.count()).select_from(Person).where(Person.commune_id == commune.id))
    assert after == before + 5


def test_demo_plan(demo, client, auth):
    """The plan beyond offices and communes: targets by channel, organisation and hamlet in every campaign, post
    offices organising conferences, and the pages that show them."""
    for campaign in db.session.scalars(select(Campaign)):
        levels = dict(db.session.execute(select(Target.level, func.sum(Target.value)).where(
            Target.campaign_id == campaign.id).group_by(Target.level)).all())
        assert all(levels.get(level) for level in ("channel", "organisation", "hamlet")), (campaign.name, levels)
    office = db.session.scalar(select(Office).where(Office.code == "BHXH-15-NL"))
    # The office's channels add up to its own targets.
    channels = db.session.scalar(select(func.sum(Target.value)).where(
        Target.level == "channel", Target.office_id == office.id, Target.metric == "new_bhxh_tn"))
    own = db.session.scalar(select(func.sum(Target.value)).where(
        Target.level == "office", Target.office_id == office.id, Target.metric == "new_bhxh_tn"))
    assert channels == own
    organised = db.session.scalar(select(func.count()).select_from(Event).where(
        Event.organiser_organisation_id.is_not(None), Event.status.in_(("held", "results_entered", "closed"))))
    assert organised > 0
    assert load_plan() == 0  # loading again adds nothing

    _login(auth, "tinh")
    last = db.session.scalar(select(Campaign).where(Campaign.status == "closed").order_by(Campaign.starts_on.desc()))
    html = client.get(f"/reports/campaigns/{last.id}?level=organisation").get_data(as_text=True)
    assert 'class="organisation-ranking"' in html and 'class="over-plan"' in html
