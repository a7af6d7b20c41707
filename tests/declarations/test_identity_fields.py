"""The declaration's fields where they are entered: a year of birth alone, nationality and contact address on
the person; the first month paid for, the receipt date and the support category on the sign-up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.households.models import Household, Person
from portal.i18n.formatting import local_today
from portal.policy.services import seed_shipped
from portal.results.models import SignUp

from .. import factories


def _person_data(person: Person, **changes) -> dict:
    data = {"full_name": person.full_name, "sex": "female", "relation_to_head": person.relation_to_head,
            "date_of_birth": "", "cccd": "", "bhxh_code": "", "phone": "", "ethnicity": "Mông", "nationality": "",
            "contact_address": "", "occupation": "", "income_band": "", "bhxh_tn_status": "never",
            "paid_until": "", "bhyt_expires_on": "", "version": str(person.version)}
    data.update(changes)
    return data


def test_a_year_of_birth_alone_nationality_and_contact_address_are_kept(client, auth, world):
    _h, person = factories.make_household(world.own.hamlet, "Giàng Thị Mỷ")
    auth.login(world.users["local_officer"])
    url = f"/households/people/{person.id}/edit"
    response = client.post(url, data=_person_data(person, date_of_birth="1975", nationality="Việt Nam",
                                                  contact_address="Tổ 5, phường Cốc Lếu"))
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    db.session.refresh(person)
    assert (person.date_of_birth, person.birth_year_only) == (date(1975, 1, 1), True)
    assert (person.nationality, person.contact_address) == ("Việt Nam", "Tổ 5, phường Cốc Lếu")
    page = client.get(f"/households/people/{person.id}").get_data(as_text=True)
    assert "1975" in page and "chỉ có năm sinh" in page and "Tổ 5, phường Cốc Lếu" in page
    assert 'value="1975"' in client.get(url).get_data(as_text=True)  # edited again as the year it is
    # A full date again clears the flag.
    response = client.post(url, data=_person_data(person, date_of_birth="02/03/1975"))
    db.session.refresh(person)
    assert response.status_code == 303 and (person.date_of_birth, person.birth_year_only) == (date(1975, 3, 2),
                                                                                            False)


def test_a_year_in_the_future_is_refused_under_its_field(client, auth, world):
    _h, person = factories.make_household(world.own.hamlet, "Giàng Thị Dợ")
    auth.login(world.users["local_officer"])
    response = client.post(f"/households/people/{person.id}/edit", data=_person_data(person, date_of_birth="2999"))
    assert response.status_code == 422
    assert 'id="date_of_birth-error"' in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.date_of_birth is None


def _signup_form(client, event, person) -> dict:
    html = client.get(f"/events/{event.id}/signups?person={person.id}").get_data(as_text=True)
    day = html[html.index('name="signed_on"', html.index('id="signup-form"')):].split('value="')[1].split('"')[0]
    return {"person_id": str(person.id), "scheme": "bhxh_tn", "kind": "new", "income": "1.500.000",
            "mode": "monthly", "signed_on": day, "agent_id": "0"}


def test_the_sign_up_keeps_its_first_month_receipt_date_and_support_category(client, auth, world):
    seed_shipped()
    own = world.own
    household = db.session.get(Household, own.household.id)
    household.poverty_status = "near_poor"
    db.session.commit()
    factories.under_way(own.event)
    auth.login(world.users["local_officer"])
    data = _signup_form(client, own.event, own.person)
    receipt_day = local_today()  # a receipt is never dated before the sign-up
    response = client.post(f"/events/{own.event.id}/signups", data={**data, "from_month": "7/2026",
                                                                     "receipt_number": "BL-1",
                                                                     "receipt_date": receipt_day.strftime("%d/%m/%Y"),
                                                                     "submission_key": "s1"})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    signup = db.session.scalar(select(SignUp).where(SignUp.person_id == own.person.id))
    assert (signup.from_month, signup.receipt_date, signup.support_category) == (
        date(2026, 7, 1), receipt_day, "near_poor")


def test_a_month_that_is_not_one_is_refused_and_nothing_is_recorded(client, auth, world):
    seed_shipped()
    factories.under_way(world.own.event)
    auth.login(world.users["local_officer"])
    data = _signup_form(client, world.own.event, world.own.person)
    response = client.post(f"/events/{world.own.event.id}/signups", data={**data, "from_month": "13/2026",
                                                                           "submission_key": "s2"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="from_month-error"' in html and "mm/yyyy" in html
    assert db.session.scalar(select(SignUp.id)) is None


def test_without_a_first_month_the_month_signed_is_kept(client, auth, world):
    seed_shipped()
    factories.under_way(world.own.event)
    auth.login(world.users["local_officer"])
    data = _signup_form(client, world.own.event, world.own.person)
    assert client.post(f"/events/{world.own.event.id}/signups", data={**data, "submission_key": "s3"}
                       ).status_code == 303
    signup = db.session.scalar(select(SignUp))
    assert signup.from_month == signup.signed_on.replace(day=1) and signup.support_category == "other"


def test_the_sign_up_page_says_what_the_lists_still_need(client, auth, world):
    person = db.session.get(Person, world.own.person.id)
    person.date_of_birth, person.sex, person.cccd, person.bhxh_code = None, None, None, None
    db.session.commit()
    auth.login(world.users["agent"])
    url = f"/events/{world.own.event.id}/signups?person={person.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Danh sách kê khai còn thiếu: ngày sinh, giới tính, mã số BHXH hoặc số CCCD." in html
    assert f'href="/households/people/{person.id}"' in html
    person.date_of_birth, person.birth_year_only, person.sex, person.bhxh_code = date(1980, 1, 1), True, "male", \
        "0101234567"
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Danh sách kê khai còn thiếu" not in html and "1980 · Nam" in html
