"""Attendance, sign-up and results pages."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results.models import Attendance, EventResult, Evidence, SignUp

from .. import factories


def test_one_tap_check_in_and_live_count(client, auth, world):
    auth.login(world.users["agent"])
    event = world.own.event
    html = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert world.own.household.head_name in html
    response = client.post(f"/events/{event.id}/attendance/check-in",
                           data={"invitation_id": str(world.own.invitation.id)},
                           headers={"HX-Request": "true", "HX-Target": "invited"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    count = client.htmx_get(f"/events/{event.id}/attendance/count", target="live-count").get_data(as_text=True)
    assert "1" in count
    # A second tap does not create a second attendance.
    client.post(f"/events/{event.id}/attendance/check-in", data={"invitation_id": str(world.own.invitation.id)})
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_a_tap_answers_with_its_own_row_alone(client, auth, world):
    """The answer to a one-tap check-in is the tapped row (and the live count): on a weak line, a late answer
    replaces its own row, never a row tapped since, and no longer carries the whole list."""
    event = world.own.event
    other, _person = factories.make_household(world.own.hamlet, "Hộ Bên Cạnh")
    factories.make_invitation(event, other, world.own.agent)
    auth.login(world.users["agent"])
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert 'hx-target="closest tr" hx-swap="outerHTML"' in page and "Hộ Bên Cạnh" in page
    response = client.post(f"/events/{event.id}/attendance/check-in",
                           data={"invitation_id": str(world.own.invitation.id)},
                           headers={"HX-Request": "true", "HX-Target": "invited"})
    body = response.get_data(as_text=True)
    row = body.split("<template>")[0].strip()
    assert row.startswith(f'<tr data-invitation="{world.own.invitation.id}"') and row.endswith("</tr>")
    assert world.own.household.head_name in row and "Có mặt" in row and "/undo" in row
    assert "Hộ Bên Cạnh" not in body and "<table" not in body
    assert 'hx-swap-oob="innerHTML:#live-count"' in body and "1/2" in body


def test_sign_up_candidates_are_the_households_that_came_then_those_invited(client, auth, world):
    event = world.own.event
    factories.under_way(event)
    came, _p = factories.make_household(world.own.hamlet, "Hộ Đã Đến")
    came_invitation = factories.make_invitation(event, came, world.own.agent)
    factories.make_household(world.own.hamlet, "Hộ Không Mời")
    auth.login(world.users["agent"])
    client.post(f"/events/{event.id}/attendance/check-in", data={"invitation_id": str(came_invitation.id)})
    html = client.get(f"/events/{event.id}/signups").get_data(as_text=True)
    listed = html[html.index('class="plain candidates"'):]
    listed = listed[:listed.index("</ul>")]
    assert "Hộ Không Mời" not in listed  # neither invited nor come
    assert listed.index("Hộ Đã Đến") < listed.index(world.own.household.head_name)  # came first, then invited


def test_qr_code_opens_the_invitation(client, auth, world):
    auth.login(world.users["local_officer"])
    url = f"/checkin/{world.own.invitation.token}"
    assert world.own.household.head_name in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 303
    assert db.session.scalar(select(Attendance.invitation_id)) == world.own.invitation.id
    assert client.get("/checkin/not-a-token").status_code == 404


def test_walk_in_is_matched_before_a_new_person_is_made(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    known = world.own.person
    data = {"name": known.full_name, "hamlet_id": str(world.own.hamlet.id), "phone": "", "cccd": ""}
    html = client.post(f"/events/{event.id}/attendance/walk-in", data=data).get_data(as_text=True)
    assert f'value="{known.id}"' in html  # offered as a match
    assert client.post(f"/events/{event.id}/attendance/walk-in",
                       data={**data, "person_id": str(known.id)}).status_code == 303
    attendance = db.session.scalar(select(Attendance))
    assert attendance.person_id == known.id
    response = client.post(f"/events/{event.id}/attendance/walk-in",
                           data={"name": "Lò Thị Mới", "hamlet_id": str(world.own.hamlet.id), "phone": "0987654321",
                                 "cccd": "", "person_id": "new"})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.walk_in)) == 1
    bad = client.post(f"/events/{event.id}/attendance/walk-in",
                      data={"name": "Lò Thị Sai", "hamlet_id": str(world.own.hamlet.id), "phone": "12345"})
    assert bad.status_code == 422


def test_paper_rows(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    response = client.post(f"/events/{event.id}/attendance/rows", data={"rows": "1 7-8 x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "7, 8" in html and "x" in html
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_signup_with_calculated_amount_then_confirm(client, auth, world):
    seed_shipped()
    db.session.commit()
    auth.login(world.users["local_officer"])
    event = world.own.event
    person = world.own.person
    quote = client.htmx_get(f"/events/{event.id}/signups/quote?person_id={person.id}&scheme=bhxh_tn&kind=new"
                            f"&income=1500000&mode=monthly&signed_on=10/05/2026&agent_id=0", target="quote-box")
    assert "264.000 đ" in quote.get_data(as_text=True)
    base = {"person_id": str(person.id), "scheme": "bhxh_tn", "kind": "new", "income": "1500000",
            "mode": "monthly", "signed_on": "10/05/2026", "agent_id": "0", "submission_key": "k1"}
    assert client.post(f"/events/{event.id}/signups", data=base).status_code == 303
    assert client.post(f"/events/{event.id}/signups", data=base).status_code == 303  # resubmitted: one record
    assert db.session.scalar(select(func.count()).select_from(SignUp)) == 1
    override = {**base, "scheme": "bhyt_hgd", "member_order": "1", "net_override": "1000", "submission_key": "k2"}
    assert client.post(f"/events/{event.id}/signups", data=override).status_code == 422
    html = client.get(f"/events/{event.id}/results").get_data(as_text=True)
    assert "264.000" in html
    assert client.post(f"/events/{event.id}/results", data={"notes": "Hội nghị thành công"}).status_code == 303
    assert db.session.get(EventResult, event.id).confirmed_at is not None
    late = {**base, "scheme": "bhyt_hgd", "member_order": "1", "submission_key": "k3"}
    assert client.post(f"/events/{event.id}/signups", data=late).status_code == 422


def test_bulk_signups_from_sheet_rows(client, auth, world):
    seed_shipped()
    db.session.commit()
    auth.login(world.users["local_officer"])
    event = world.own.event
    response = client.post(f"/events/{event.id}/signups/bulk", data={"lines": "1 tn 1.500.000\n9 tn 1500000\nabc"})
    assert response.status_code == 422
    assert db.session.scalar(select(SignUp.sheet_row)) == 1
    assert db.session.scalar(select(SignUp.chosen_income)) == 1_500_000


def test_evidence_upload_checks_the_content(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    import io

    fake = (io.BytesIO(b"MZ not a picture"), "photo.jpg")
    client.post(f"/events/{event.id}/results/evidence", data={"kind": "attendance", "file": fake},
                content_type="multipart/form-data")
    assert db.session.scalar(select(func.count()).select_from(Evidence).where(Evidence.event_id == event.id)) == 1
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100), "../../bang.png")
    client.post(f"/events/{event.id}/results/evidence", data={"kind": "attendance", "file": png},
                content_type="multipart/form-data")
    stored = db.session.scalars(select(Evidence).where(Evidence.event_id == event.id)).all()
    assert len(stored) == 2 and stored[-1].original_name == "bang.png"
    response = client.get(f"/events/{event.id}/evidence/{stored[-1].id}")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    response.close()
    assert factories  # factories module used by the world fixture


def test_money_typed_the_vietnamese_way_and_errors_under_their_field(client, auth, world):
    """"1.500.000" is one million five hundred thousand; an income out of range says so under the income, with
    the allowed range; a sign-up already recorded says so above the form, not under the scheme."""
    seed_shipped()
    db.session.commit()
    auth.login(world.users["local_officer"])
    event = world.own.event
    person = world.own.person
    quote = client.htmx_get(f"/events/{event.id}/signups/quote?person_id={person.id}&scheme=bhxh_tn&kind=new"
                            f"&income=1.500.000&mode=monthly&signed_on=10/05/2026&agent_id=0", target="quote-box")
    assert "264.000 đ" in quote.get_data(as_text=True)
    odd = client.htmx_get(f"/events/{event.id}/signups/quote?person_id={person.id}&scheme=bhxh_tn&kind=new"
                          f"&income=1.500000&mode=monthly&signed_on=10/05/2026&agent_id=0", target="quote-box")
    assert "1.500.000" in odd.get_data(as_text=True) and "264.000" not in odd.get_data(as_text=True)
    base = {"person_id": str(person.id), "scheme": "bhxh_tn", "kind": "new", "income": "1.400.000",
            "mode": "monthly", "signed_on": "10/05/2026", "agent_id": "0", "submission_key": "low"}
    response = client.post(f"/events/{event.id}/signups", data=base)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index('id="income-error"'):]
    assert "1.500.000 đ" in error.split("</small>")[0]  # the allowed range, under the income
    assert 'id="scheme-error"' not in html
    assert client.post(f"/events/{event.id}/signups", data={**base, "income": "1.500.000 đ",
                                                            "submission_key": "ok"}).status_code == 303
    assert db.session.scalar(select(SignUp.chosen_income)) == 1_500_000
    again = client.post(f"/events/{event.id}/signups", data={**base, "income": "1500000", "submission_key": "again"})
    assert again.status_code == 422 and 'id="scheme-error"' not in again.get_data(as_text=True)


def test_a_whole_household_signs_up_for_health_insurance_in_one_form(client, auth, world):
    """Four members, one form: the ladder (100%, 70%, 60%, 50%) and the months stated; a member whose card is
    still valid is not ticked and the ladder starts after them; one refusal records nobody."""
    from datetime import date

    from ..households.factories import add_person

    seed_shipped()
    own = world.own
    household = db.session.get(type(own.household), own.household.id)
    members = [add_person(household, name, relation="child") for name in ("Con Một", "Con Hai", "Con Ba")]
    members[2].bhyt_expires_on = date(2099, 1, 1)  # already holds a valid card
    db.session.commit()
    auth.login(world.users["local_officer"])
    event = own.event
    html = client.get(f"/events/{event.id}/signups?person={own.person.id}").get_data(as_text=True)
    assert "Con Ba" in html and "cả hộ" in html.lower()
    form = html[html.index('id="household-form"'):]
    assert f'value="{members[2].id}" checked' not in form and f'value="{members[0].id}" checked' in form
    assert 'name="first_order" type="text" value="2"' in form or 'value="2"' in form
    day = html[html.index('name="signed_on"', html.index('id="household-form"')):].split('value="')[1].split('"')[0]
    chosen = [own.person.id, members[0].id, members[1].id]
    data = {"person_id": str(own.person.id), "person_ids": [str(i) for i in chosen], "kind": "new", "months": "12",
            "first_order": "1", "signed_on": day, "agent_id": "0", "submission_key": "hh"}
    response = client.post(f"/events/{event.id}/signups/household", data=data)
    assert response.status_code == 303
    signups = db.session.scalars(select(SignUp).order_by(SignUp.member_order)).all()
    assert [s.member_order for s in signups] == [1, 2, 3] and all(s.months == 12 for s in signups)
    assert signups[1].net * 10 == signups[0].net * 7  # the second member pays 70% of the first
    # Again for the same people: refused for all, nothing more recorded.
    again = client.post(f"/events/{event.id}/signups/household", data={**data, "submission_key": "hh2"})
    assert again.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(SignUp)) == 3
    none = client.post(f"/events/{event.id}/signups/household", data={**data, "person_ids": [],
                                                                       "submission_key": "hh3"})
    assert none.status_code == 422 and "Đánh dấu" in none.get_data(as_text=True)


def test_walk_ins_and_every_member_are_offered_for_sign_up(client, auth, world):
    from ..households.factories import add_person

    own = world.own
    household = db.session.get(type(own.household), own.household.id)
    for n in range(4):
        add_person(household, f"Thành Viên {n}", relation="child")
    walk_in, _p = factories.make_household(own.hamlet, "Người Đến Tự Do")
    db.session.add(Attendance(event_id=own.event.id, household_id=walk_in.id, person_id=_p.id, walk_in=True))
    db.session.commit()
    auth.login(world.users["local_officer"])
    html = client.get(f"/events/{own.event.id}/signups").get_data(as_text=True)
    assert "Người Đến Tự Do" in html and all(f"Thành Viên {n}" in html for n in range(4))
    assert html.index("Người Đến Tự Do") < html.index("Thành Viên 0")  # those who came first
