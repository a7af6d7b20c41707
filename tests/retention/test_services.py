"""Reminder contacts, the worklist they drive, the SMS list and the renewal figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.scope import Scope, scope_for
from portal.extensions import db
from portal.households.models import Person
from portal.i18n.formatting import local_today
from portal.results.models import SignUp
from portal.retention import queries, services, sms
from portal.retention.models import RetentionContact

from .. import factories


def _due(world, name="Lò Văn Nhắc", *, days=5, phone="0912345678", status="participating", **fields):
    """A person of the own hamlet whose BHXH TN payment falls due in ``days`` days."""
    _household, person = factories.make_household(world.own.hamlet, name, phone=phone, **fields)
    person.bhxh_tn_status = status
    person.paid_until = local_today() + timedelta(days=days)
    db.session.commit()
    return person


def _agent_scope(world) -> Scope:
    return scope_for(world.users["agent"])


def _names(work) -> dict[str, str]:
    return {item.person.full_name: item.state for item in work.items}


def test_a_promise_takes_the_person_off_until_the_day_then_brings_them_back(world):
    person = _due(world)
    today = local_today()
    services.record_contact(person, scheme="bhxh_tn", method="visit", outcome="promised",
                            promised_on=today + timedelta(days=3), user=world.users["agent"], today=today)
    db.session.commit()
    scope = _agent_scope(world)
    assert _names(queries.worklist(scope=scope, agent_id=world.own.agent.id, today=today))["Lò Văn Nhắc"] == "waiting"
    later = queries.worklist(scope=scope, agent_id=world.own.agent.id, today=today + timedelta(days=3))
    assert _names(later)["Lò Văn Nhắc"] == "todo"
    contact = db.session.scalar(select(RetentionContact).where(RetentionContact.person_id == person.id))
    assert contact.agent_id == world.own.agent.id and contact.due_on == person.paid_until


def test_a_promise_past_the_window_still_brings_the_person_back(world):
    """Someone who lapsed long ago but promised comes back on the day promised."""
    person = _due(world, "Lò Thị Hẹn", days=-85)
    today = local_today()
    services.record_contact(person, scheme="bhxh_tn", method="phone", outcome="promised",
                            promised_on=today + timedelta(days=10), user=world.users["admin"], today=today)
    db.session.commit()
    day = today + timedelta(days=10)
    work = queries.worklist(scope=Scope("all"), commune_id=world.own.commune.id, today=day)
    assert _names(work)["Lò Thị Hẹn"] == "todo"


@pytest.mark.parametrize("outcome", ["moved", "died", "compulsory"])
def test_moved_died_compulsory_take_the_person_off_the_worklist(world, outcome):
    person = _due(world)
    services.record_contact(person, scheme="bhxh_tn", method="visit", outcome=outcome, user=world.users["agent"])
    db.session.commit()
    work = queries.worklist(scope=_agent_scope(world), agent_id=world.own.agent.id)
    assert "Lò Văn Nhắc" not in _names(work)
    # still gone once a later reminder of another kind is recorded
    services.record_contact(person, scheme="bhxh_tn", method="phone", outcome="no_answer", user=world.users["admin"])
    db.session.commit()
    assert "Lò Văn Nhắc" not in _names(queries.worklist(scope=_agent_scope(world), agent_id=world.own.agent.id))


def test_compulsory_marks_the_person_with_an_audit_entry(world):
    person = _due(world)
    services.record_contact(person, scheme="bhxh_tn", method="visit", outcome="compulsory", user=world.users["agent"])
    db.session.commit()
    assert db.session.get(Person, person.id).compulsory_insured is True
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.update",
                                                       AuditEntry.object_id == person.id))
    assert entry is not None and entry.details["fields"] == ["compulsory_insured"]


def test_paid_settles_this_due_date_and_the_next_due_date_opens_a_new_round(world):
    person = _due(world)
    services.record_contact(person, scheme="bhxh_tn", method="visit", outcome="paid", user=world.users["agent"])
    db.session.commit()
    scope = _agent_scope(world)
    assert _names(queries.worklist(scope=scope, agent_id=world.own.agent.id))["Lò Văn Nhắc"] == "settled"
    person = db.session.get(Person, person.id)
    person.paid_until = local_today() + timedelta(days=20)  # the renewal was confirmed for a short period
    db.session.commit()
    assert _names(queries.worklist(scope=scope, agent_id=world.own.agent.id))["Lò Văn Nhắc"] == "todo"


def test_cannot_afford_and_no_answer_stay_to_remind(world):
    person = _due(world)
    for outcome in ("cannot_afford", "no_answer"):
        services.record_contact(person, scheme="bhxh_tn", method="phone", outcome=outcome, user=world.users["admin"])
        db.session.commit()
        assert _names(queries.worklist(scope=Scope("all"), commune_id=world.own.commune.id))["Lò Văn Nhắc"] == "todo"


def test_the_same_submission_twice_records_once(world):
    person = _due(world)
    for _ in range(2):
        services.record_contact(person, scheme="bhxh_tn", method="visit", outcome="refused",
                                user=world.users["agent"], submission_key="same-tap")
        db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(RetentionContact).where(
        RetentionContact.person_id == person.id)) == 1


@pytest.mark.parametrize(("fields", "code"), [
    ({"outcome": "promised"}, "promised_on_missing"),
    ({"outcome": "promised", "promised_on": "today"}, "promised_on_range"),
    ({"outcome": "promised", "promised_on": "far"}, "promised_on_range"),
    ({"outcome": "lost"}, "outcome"),
    ({"outcome": "paid", "method": "letter"}, "method"),
    ({"outcome": "paid", "scheme": "pension"}, "scheme"),
])
def test_refusals_write_nothing(world, fields, code):
    person = _due(world)
    today = local_today()
    fields = dict(fields)
    fields["promised_on"] = {"today": today, "far": today + timedelta(days=400)}.get(fields.get("promised_on"))
    args = {"scheme": "bhxh_tn", "method": "visit", **fields}
    with pytest.raises(services.ContactError) as caught:
        services.record_contact(person, user=world.users["agent"], today=today, **args)
    assert caught.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(RetentionContact)) == 0


def test_an_agent_sees_only_the_own_hamlets(world):
    _due(world, "Lò Văn Nhà")
    _household, stranger = factories.make_household(world.near.hamlet, "Lò Văn Xa")
    stranger.bhxh_tn_status, stranger.paid_until = "participating", local_today() + timedelta(days=3)
    db.session.commit()
    names = _names(queries.worklist(scope=_agent_scope(world), agent_id=world.own.agent.id))
    assert "Lò Văn Nhà" in names and "Lò Văn Xa" not in names


def test_sms_list_leaves_out_people_reminded_lately_and_writes_vietnamese_csv_with_bom(world):
    person = _due(world, days=3)
    _due(world, "Lò Văn Không Số", days=3, phone=None)
    rows = queries.sms_list(scope=Scope("all"), commune_id=world.own.commune.id)
    assert [r.name for r in rows] == ["Lò Văn Nhắc"]
    with force_locale("en"):  # the list is in Vietnamese whatever the interface language
        data = sms.csv_bytes(rows, "bhxh_tn", "02143840123")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Số điện thoại,Họ và tên,Đóng đến,Số tiền kỳ trước,Nội dung tin nhắn"
    assert "0912345678" in text and "Lò Văn Nhắc" in text and "BHXH tự nguyện" in text
    assert person.cccd is None or person.cccd not in text
    plain = sms.csv_bytes(rows, "bhxh_tn", "", plain_text=True).decode("utf-8-sig").splitlines()[1]
    assert "Lo Van Nhac" in plain and "BHXH tu nguyen" in plain
    services.record_sms_sent(rows, scheme="bhxh_tn", user=world.users["admin"])
    db.session.commit()
    assert queries.sms_list(scope=Scope("all"), commune_id=world.own.commune.id) == []


def _renewal(world, person, day: date):
    db.session.add(SignUp(person_id=person.id, household_id=person.household_id, commune_id=person.commune_id,
                          channel="door", agent_id=world.own.agent.id, credited_agent_id=world.own.agent.id, scheme="bhxh_tn", kind="renewal", months=6, amount_due=1_980_000,
                          support=396_000, net=1_584_000, computed_net=1_584_000, signed_on=day,
                          status="confirmed"))


def test_figures_count_due_renewed_lapsed_and_the_rate(world):
    today = date(2026, 6, 20)
    first = date(2026, 6, 1)
    lapsed = _due(world, "Lò Văn Quá Hạn")
    lapsed.paid_until = first + timedelta(days=4)  # passed, not renewed
    waiting = _due(world, "Lò Văn Chưa Tới")
    waiting.paid_until = date(2026, 6, 28)  # due later this month
    renewed = _due(world, "Lò Văn Đóng Tiếp")
    renewed.paid_until = date(2026, 12, 10)  # moved on by the renewal
    _renewal(world, renewed, date(2026, 6, 8))
    recorded_only = _due(world, "Lò Văn Chưa Xác Nhận")
    recorded_only.paid_until = date(2026, 6, 12)
    db.session.commit()
    services.record_contact(lapsed, scheme="bhxh_tn", method="phone", outcome="cannot_afford",
                            user=world.users["admin"], today=date(2026, 6, 3))
    db.session.commit()
    figs = queries.figures(scope=Scope("all"), group="commune", month=first, commune_id=world.own.commune.id,
                           today=today)
    total = figs.total
    assert figs.months[-1] == first and len(figs.months) == queries.TREND_MONTHS
    assert (total.due[-1], total.renewed[-1], total.lapsed[-1], total.reminded[-1]) == (4, 1, 2, 1)
    assert total.rates[-1] == pytest.approx(25.0)
    assert [row.name for row in figs.rows] == [world.own.commune.name]
    per_agent = queries.figures(scope=_agent_scope(world), group="agent", month=first, today=today)
    assert [(row.key, row.due[-1], row.renewed[-1]) for row in per_agent.rows] == [(world.own.agent.id, 4, 1)]
    per_office = queries.figures(scope=scope_for(world.users["local_officer"]), group="office", month=first,
                                 today=today)
    assert [(row.key, row.due[-1]) for row in per_office.rows] == [(world.own.office.id, 4)]
    far = queries.figures(scope=Scope("office", province_id=world.near.province.id, office_id=world.near.office.id),
                          month=first, today=today)
    assert far.total.due[-1] == 0
