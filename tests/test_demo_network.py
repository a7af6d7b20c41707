"""The demo of the outreach network: collection points, a media activity, a talk within a village meeting, a
training that updated the agents' records, and an import file naming former communes that lands in the right
commune."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.auth.scope import Scope
from portal.demo.loader import DEMO_TODAY, load_demo
from portal.demo.network import IMPORT_COMMUNE, IMPORT_FILE, load_network
from portal.events.models import Event
from portal.extensions import db
from portal.geo.models import Commune, FormerPlace
from portal.households import importer
from portal.households.import_writer import apply
from portal.households.models import Person
from portal.network.models import CollectionPoint, TrainingParticipant
from portal.network.queries import coverage
from portal.network.services import training_day
from portal.org.models import Agent, Office


def test_demo_network(app, client, auth):
    load_demo()
    db.session.commit()
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
