"""The initial clinic of a household health insurance sign-up: chosen from the open facilities of the person's
province, offered first as the household's last choice, then the commune's health station."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.households.models import Household
from portal.policy.services import seed_shipped
from portal.results import queries, services
from portal.results.models import SignUp

from .. import factories
from ..households.factories import add_person

DAY = date(2026, 5, 10)


def _bhyt(person, user, **fields):
    signup, _new = services.record_signup(person, scheme="bhyt_hgd", kind="new", signed_on=DAY, user=user,
                                          member_order=1, **fields)
    db.session.commit()
    return signup


@pytest.fixture
def family(world):
    """The own household with a second member, and the facilities of the own province: the health station of
    the household's commune, a district hospital, and a closed clinic; and a hospital of another province."""
    seed_shipped()
    own = world.own
    household = db.session.get(Household, own.household.id)
    child = add_person(household, "Con Một", relation="child")
    db.session.commit()
    return {
        "head": own.person, "child": child, "user": world.users["local_officer"],
        "station": factories.make_facility(own.province, code="15101", commune=own.commune),
        "station2": factories.make_facility(own.province, code="15102", commune=own.commune2),
        "hospital": factories.make_facility(own.province, "Bệnh viện Đa khoa khu vực Nghĩa Lộ", code="15001",
                                            level="district", commune=own.commune),
        "closed": factories.make_facility(own.province, "Phòng khám Tú Lệ", code="15090", level="other",
                                          active=False),
        "far": factories.make_facility(world.far.province, "Bệnh viện Thái Nguyên", code="19001", level="province"),
    }


def test_without_facilities_in_the_register_nothing_is_asked(world):
    seed_shipped()
    signup = _bhyt(world.own.person, world.users["local_officer"])
    assert signup.facility_id is None


def test_the_commune_health_station_first_then_the_households_last_choice(family):
    head, child, user = family["head"], family["child"], family["user"]
    assert queries.default_facility(head).id == family["station"].id  # not the other commune's station
    first = _bhyt(head, user, facility_id=family["hospital"].id)
    assert first.facility_id == family["hospital"].id
    # The household chose the hospital: it is offered first to the other members, and taken when none is given.
    assert queries.default_facility(child).id == family["hospital"].id
    assert _bhyt(child, user).facility_id == family["hospital"].id
    # Once the hospital is closed, the household's choice cannot be offered: back to the health station.
    family["hospital"].active = False
    db.session.commit()
    assert queries.default_facility(child).id == family["station"].id


def test_a_closed_facility_or_another_provinces_is_refused(family):
    head, user = family["head"], family["user"]
    for facility in (family["closed"], family["far"]):
        with pytest.raises(services.ResultsError) as refused:
            _bhyt(head, user, facility_id=facility.id)
        assert refused.value.code == "facility"
        db.session.rollback()
    assert db.session.scalar(select(SignUp.id)) is None


def test_without_a_default_the_clinic_must_be_chosen(family):
    head, user = family["head"], family["user"]
    family["station"].active = False
    db.session.commit()
    with pytest.raises(services.ResultsError) as refused:
        _bhyt(head, user)
    assert refused.value.code == "facility_missing"


def test_voluntary_social_insurance_has_no_clinic(family):
    signup, _new = services.record_signup(family["head"], scheme="bhxh_tn", kind="new", signed_on=DAY,
                                          user=family["user"], income=1_500_000, mode="monthly",
                                          facility_id=family["hospital"].id)
    assert signup.facility_id is None


def _event_day(html: str, form_id: str) -> str:
    return html[html.index('name="signed_on"', html.index(form_id)):].split('value="')[1].split('"')[0]


def test_the_sign_up_forms_offer_the_province_and_preselect_the_default(client, auth, world, family):
    auth.login(world.users["local_officer"])
    event, head = world.own.event, family["head"]
    html = client.get(f"/events/{event.id}/signups?person={head.id}").get_data(as_text=True)
    single = html[html.index('id="signup-form"'):html.index('id="household-form"')]
    household = html[html.index('id="household-form"'):]
    for form in (single, household):
        form = form[form.index('name="facility_id"'):]
        form = form[:form.index("</select>")]
        assert f'<option selected value="{family["station"].id}">' in form
        assert f'value="{family["hospital"].id}"' in form
        assert f'value="{family["closed"].id}"' not in form and f'value="{family["far"].id}"' not in form
        assert 'optgroup label="Tuyến xã"' in form and 'optgroup label="Tuyến huyện, khu vực"' in form
    day = _event_day(html, 'id="signup-form"')
    base = {"person_id": str(head.id), "scheme": "bhyt_hgd", "kind": "new", "member_order": "1", "signed_on": day,
            "agent_id": "0", "mode": "monthly"}
    refused = client.post(f"/events/{event.id}/signups",
                          data={**base, "facility_id": str(family["far"].id), "submission_key": "f1"})
    assert refused.status_code == 422
    assert 'id="facility_id-error"' in refused.get_data(as_text=True)
    assert "thuộc tỉnh của người tham gia" in refused.get_data(as_text=True)
    done = client.post(f"/events/{event.id}/signups",
                       data={**base, "facility_id": str(family["hospital"].id), "submission_key": "f2"})
    assert done.status_code == 303
    assert db.session.scalar(select(SignUp.facility_id).where(SignUp.person_id == head.id)) == family["hospital"].id
    listed = client.get(f"/events/{event.id}/signups").get_data(as_text=True)
    assert "Bệnh viện Đa khoa khu vực Nghĩa Lộ" in listed[listed.index("Nơi đăng ký KCB ban đầu</th>"):]
    person_page = client.get(f"/households/people/{head.id}").get_data(as_text=True)
    assert "Nơi đăng ký KCB ban đầu" in person_page and "Bệnh viện Đa khoa khu vực Nghĩa Lộ" in person_page
    assert "mã 15001" in person_page


def test_the_whole_household_form_gives_every_member_the_clinic(client, auth, world, family):
    auth.login(world.users["local_officer"])
    event, head, child = world.own.event, family["head"], family["child"]
    html = client.get(f"/events/{event.id}/signups?person={head.id}").get_data(as_text=True)
    data = {"person_id": str(head.id), "person_ids": [str(head.id), str(child.id)], "kind": "new", "months": "12",
            "first_order": "1", "signed_on": _event_day(html, 'id="household-form"'), "agent_id": "0",
            "facility_id": str(family["closed"].id), "submission_key": "hh1"}
    refused = client.post(f"/events/{event.id}/signups/household", data=data)
    assert refused.status_code == 422 and db.session.scalar(select(SignUp.id)) is None
    form = refused.get_data(as_text=True)
    form = form[form.index('id="household-form"'):]
    assert 'id="hh_facility_id-error"' in form
    response = client.post(f"/events/{event.id}/signups/household",
                           data={**data, "facility_id": str(family["station2"].id), "submission_key": "hh2"})
    assert response.status_code == 303
    chosen = db.session.scalars(select(SignUp.facility_id).where(SignUp.event_id == event.id)).all()
    assert chosen == [family["station2"].id, family["station2"].id]
