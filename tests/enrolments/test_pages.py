"""Pages: a renewal from the due list, the receipt register (typed and XLSX), the batches."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask import has_request_context
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.policy.services import seed_shipped
from portal.results import services as signups
from portal.results.models import SignUp, SignUpBatch

from .. import factories


@pytest.fixture
def renewing(world):
    """The world's person paid BHXH TN for three months at the income 2.000.000 (a door receipt, confirmed)."""
    seed_shipped()
    person = world.own.person
    person.cccd = "001080012345"
    first, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 12, 1),
                                     user=world.users["local_officer"], channel="door",
                                     agent_id=world.own.agent.id, income=2_000_000, mode="every_3_months")
    first.status = "confirmed"
    db.session.commit()
    return person, first


def _count(**where):
    return db.session.scalar(select(func.count()).select_from(SignUp).filter_by(**where))


def test_renewal_from_the_due_list_is_prefilled_and_recorded_with_the_amount(client, auth, world, renewing):
    person, first = renewing
    auth.login(world.users["agent"])
    page = client.get(f"/enrolments/new?person={person.id}&renew=1&due=paid_until&back=/households/due")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2.000.000" in html and 'selected value="every_3_months"' in html
    form = {"person_id": str(person.id), "scheme": "bhxh_tn", "kind": "renewal", "income": "2.000.000",
            "mode": "every_3_months", "signed_on": local_today().strftime("%d/%m/%Y"), "channel": "door",
            "back": "/households/due", "submission_key": "k1"}
    refused = client.post("/enrolments/new", data=form)
    assert refused.status_code == 422 and _count(kind="renewal") == 0  # the amount collected is required
    answer = client.post("/enrolments/new", data={**form, "net_override": f"{first.net:,}".replace(",", ".")})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/households/due")
    renewal = db.session.scalar(select(SignUp).where(SignUp.kind == "renewal"))
    assert (renewal.channel, renewal.agent_id, renewal.status, renewal.net) == ("door", world.own.agent.id,
                                                                                "recorded", first.net)


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Số biên lai", "Ngày biên lai", "Họ và tên", "Số CCCD", "Mã số BHXH", "Loại bảo hiểm", "Phương án",
               "Mức thu nhập", "Số tháng", "Thứ tự thành viên", "Số tiền thu", "Ghi chú"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_register_refuses_a_malformed_file_row_by_row_and_writes_nothing(client, auth, world, renewing):
    person, _first = renewing
    auth.login(world.users["local_officer"])
    data = _xlsx([["BL-1", "05/05/2027", person.full_name, "001080012345", "", "BHXH TN", "Tái tục", "2.000.000",
                   "3", "", "1.584.000", ""],
                  ["BL-2", "32/05/2027", person.full_name, "001080012345", "", "BHXH TN", "Tái tục", "2.000.000",
                   "3", "", "1.584.000", ""],
                  ["BL-3", "06/05/2027", person.full_name, "", "", "BHYT", "Tăng mới", "", "12", "1", "x", ""]])
    before = _count()
    answer = client.post("/enrolments/register", data={"agent_id": "0", "channel": "counter",
                                                       "file": (io.BytesIO(data), "so-bien-lai.xlsx")},
                         content_type="multipart/form-data")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "row 3" in html.lower() or "dòng 3" in html.lower()
    assert "(Ngày biên lai)" in html and "(Số CCCD)" in html
    assert re.search(r"(row|dòng) 4, (column|cột) D", html) and re.search(r"(row|dòng) 4, (column|cột) K", html)
    assert _count() == before


def test_typed_register_rows_are_checked_then_recorded(client, auth, world, renewing):
    person, first = renewing
    auth.login(world.users["local_officer"])
    from portal.households.models import Household

    quote = signups.quote_for(person, db.session.get(Household, person.household_id), scheme="bhxh_tn",
                              on=date(2027, 5, 5), income=2_000_000, mode="every_3_months", months=None,
                              member_order=None)
    amount = f"{quote.net:,}".replace(",", ".")
    lines = f"BL-9;05/05/2027;{person.full_name};001080012345;;BHXH TN;Tái tục;2.000.000;3;;{amount};"
    data = {"agent_id": str(world.own.agent.id), "channel": "counter", "collection_point": "Bưu điện xã",
            "lines": lines}
    checked = client.post("/enrolments/register", data=data)
    assert checked.status_code == 200 and "BL-9" in checked.get_data(as_text=True) and _count(kind="renewal") == 0
    written = client.post("/enrolments/register", data={**data, "confirm": "typed"})
    assert written.status_code == 303
    receipt = db.session.scalar(select(SignUp).where(SignUp.receipt_number == "BL-9"))
    assert (receipt.channel, receipt.collection_point, receipt.receipt_date) == ("counter", "Bưu điện xã",
                                                                                date(2027, 5, 5))


def test_the_office_confirms_a_batch_and_it_is_listed(client, auth, world, renewing):
    person, _first = renewing
    officer = world.users["local_officer"]
    receipt, _ = signups.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=date(2027, 3, 2),
                                       user=officer, channel="door", agent_id=world.own.agent.id,
                                       income=2_000_000, mode="every_3_months", receipt_number="BL-11")
    db.session.commit()
    auth.login(officer)
    url = f"/enrolments/batches?agent={world.own.agent.id}&from=01/03/2027&to=31/03/2027"
    page = client.get(url).get_data(as_text=True)
    assert "BL-11" in page
    wrong = client.post(url, data={"handed_in": "1.000", "shown": str(receipt.id)})
    assert wrong.status_code == 422 and receipt.status == "recorded"
    money = f"{receipt.net:,}".replace(",", ".")
    done = client.post(url, data={"handed_in": money, "shown": str(receipt.id)})
    assert done.status_code == 303
    batch = db.session.scalar(select(SignUpBatch))
    assert batch.signups == 1 and db.session.get(SignUp, receipt.id).status == "confirmed"
    assert "BL-11" in client.get(f"/enrolments/batches/{batch.id}").get_data(as_text=True)
    assert client.get("/enrolments/batches").status_code == 200


def test_the_event_results_show_the_clash_and_the_officer_resolves_it(client, auth, world):
    from portal.enrolments import services as enrolments

    from ..factories import under_way

    seed_shipped()
    officer = world.users["local_officer"]
    event = world.own.event
    under_way(event)
    person, today = world.own.person, local_today()
    at_event, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=today, user=officer,
                                        event=event, income=2_000_000, mode="monthly")
    receipt, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=today, user=officer,
                                       channel="door", agent_id=world.own.agent.id, income=2_000_000,
                                       mode="monthly", receipt_number="BL-5")
    enrolments.confirm_batch([receipt], start=today, end=today, handed_in=receipt.net, user=officer,
                             agent_id=world.own.agent.id)
    db.session.commit()
    auth.login(officer)
    url = f"/events/{event.id}/results"
    page = client.get(url).get_data(as_text=True)
    assert "BL-5" in page and f"/enrolments/signups/{at_event.id}/duplicate" in page
    refused = client.post(url, data={"notes": ""}, follow_redirects=True).get_data(as_text=True)
    assert "trùng" in refused.lower() and db.session.get(SignUp, at_event.id).status == "recorded"
    # Not a clash: another person's sign-up is refused, nothing changes; an unknown one is a 404.
    _other_household, other = factories.make_household(world.own.hamlet, "Lò Thị Khác")
    unrelated, _ = signups.record_signup(other, scheme="bhxh_tn", kind="new", signed_on=today, user=officer,
                                         channel="counter", income=2_000_000, mode="monthly")
    db.session.commit()
    client.post(f"/enrolments/signups/{at_event.id}/duplicate", data={"kept": str(unrelated.id), "back": url})
    assert db.session.get(SignUp, at_event.id).status == "recorded"
    assert client.post(f"/enrolments/signups/{at_event.id}/duplicate", data={"kept": "999999"}).status_code == 404
    done = client.post(f"/enrolments/signups/{at_event.id}/duplicate", data={"kept": str(receipt.id), "back": url})
    assert done.status_code == 303 and done.headers["Location"].endswith(url)
    db.session.expire_all()
    assert db.session.get(SignUp, at_event.id).status == "duplicate"
    assert client.post(url, data={"notes": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(SignUp, at_event.id).status == "duplicate"  # the confirmation leaves duplicates out
    assert _count(status="confirmed") == 1


def test_a_health_insurance_renewal_opens_with_the_months_and_clinic_paid_last_time(client, auth, world):
    seed_shipped()
    person = world.own.person
    signups.record_signup(person, scheme="bhyt_hgd", kind="new", signed_on=date(2026, 6, 3),
                          user=world.users["local_officer"], channel="counter", member_order=1, months=6)
    db.session.commit()
    auth.login(world.users["local_officer"])
    html = client.get(f"/enrolments/new?person={person.id}&renew=1&due=bhyt_expiring").get_data(as_text=True)
    assert 'selected value="bhyt_hgd"' in html and 'selected value="renewal"' in html
    months = re.search(r'<input[^>]*id="months"[^>]*>', html)[0]
    assert 'value="6"' in months


def test_a_batch_confirmed_by_two_officers_at_once_is_refused_with_a_message(client, auth, world, renewing,
                                                                            monkeypatch):
    person, _first = renewing
    officer = world.users["local_officer"]
    receipt, _ = signups.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=date(2027, 3, 2),
                                       user=officer, channel="door", agent_id=world.own.agent.id,
                                       income=2_000_000, mode="every_3_months", receipt_number="BL-12")
    db.session.commit()
    auth.login(officer)
    url = f"/enrolments/batches?agent={world.own.agent.id}&from=01/03/2027&to=31/03/2027"
    client.get(url)
    real_commit = db.session.commit

    def another_officer_first():  # the other officer's confirmation reached the database first
        if not has_request_context():  # the test client's own commit around the request
            return real_commit()
        monkeypatch.setattr(db.session, "commit", real_commit)
        raise StaleDataError("UPDATE statement on table 'signups' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(db.session, "commit", another_officer_first)
    response = client.post(url, data={"handed_in": f"{receipt.net:,}".replace(",", "."), "shown": str(receipt.id)})
    assert response.status_code == 422
    assert "vừa được người khác xác nhận hoặc thay đổi" in response.get_data(as_text=True)
    assert db.session.scalar(select(SignUpBatch)) is None
