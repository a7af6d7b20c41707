"""The demo's plan beyond offices and communes: targets by channel, organisation and hamlet in every campaign,
post offices organising conferences, and the pages that show them on a fresh load."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.campaigns.models import Campaign, Target
from portal.demo.loader import DEMO_ACCOUNTS, load_demo
from portal.demo.plan import load_plan
from portal.events.models import Event
from portal.extensions import db
from portal.org.models import Office


def test_demo_plan(app, client, auth):
    load_demo()
    db.session.commit()
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

    from portal.auth.models import User

    password = next(a.password for a in DEMO_ACCOUNTS if a.username == "tinh")
    auth.login(db.session.scalar(select(User).where(User.username == "tinh")), password=password)
    last = db.session.scalar(select(Campaign).where(Campaign.status == "closed").order_by(Campaign.starts_on.desc()))
    html = client.get(f"/reports/campaigns/{last.id}?level=organisation").get_data(as_text=True)
    assert 'class="organisation-ranking"' in html and 'class="over-plan"' in html
