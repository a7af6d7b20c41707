"""D05-TS and D03-TS lists from confirmed sign-ups."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results import services
from portal.results.models import SignUp

from .. import factories


def _confirmed(world):
    seed_shipped()
    db.session.commit()
    own = world.own
    event = own.event
    factories.under_way(event)
    user = world.users["local_officer"]
    people = []
    for n, (code, poverty) in enumerate((("0101234567", "none"), ("0107654321", "near_poor"))):
        _h, person = factories.make_household(own.hamlet, f"Người Khai {n}", address=f"Nhà {n + 20}",
                                              bhxh_code=code, date_of_birth=date(1980 + n, 1, 2),
                                              poverty_status=poverty)
        people.append(person)
    _h, incomplete = factories.make_household(own.hamlet, "Người Thiếu Tin", address="Nhà 30")
    for person in (*people, incomplete):
        services.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=1_500_000, mode="monthly")
    services.record_signup(people[0], scheme="bhyt_hgd", kind="new", signed_on=date(2026, 5, 10), user=user,
                           event=event, member_order=2, months=12)
    services.confirm_results(event, user)
    db.session.commit()
    return event, people, incomplete


def test_missing_data_blocks_the_export_and_is_listed(client, auth, world):
    event, _people, incomplete = _confirmed(world)
    auth.login(world.users["local_officer"])
    html = client.get(f"/declarations/?form=d05&event={event.id}").get_data(as_text=True)
    assert incomplete.full_name in html
    response = client.post("/declarations/export", data={"form": "d05", "event": str(event.id), "format": "xlsx"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.export_batch_id.is_not(None))) == 0


def test_d05_totals_match_the_results_and_a_second_export_holds_only_new(client, auth, world):
    event, people, incomplete = _confirmed(world)
    incomplete.bhxh_code = "0109999999"
    incomplete.date_of_birth = date(1990, 3, 4)
    db.session.commit()
    auth.login(world.users["local_officer"])
    response = client.post("/declarations/export", data={"form": "d05", "event": str(event.id), "format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("STT", "Họ và tên", "Mã số BHXH", "Số CCCD")
    paid = header.index("Số tiền người tham gia đóng")
    bhxh_net = db.session.scalar(select(func.sum(SignUp.net)).where(SignUp.event_id == event.id,
                                                                     SignUp.scheme == "bhxh_tn"))
    assert len(body) == 3 and sum(r[paid] for r in body) == bhxh_net
    assert body[0][2] in ("0101234567", "0107654321", "0109999999")  # codes stay text with their zeros
    totals = services.totals(event.id)
    assert totals.bhxh_tn_new == len(body)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.declaration")) is not None
    again = client.get(f"/declarations/?form=d05&event={event.id}").get_data(as_text=True)
    assert "0109999999" not in again
    assert "0109999999" in client.get(f"/declarations/?form=d05&event={event.id}&all=1").get_data(as_text=True)


def test_d03_lists_members_with_the_ladder_and_prints(client, auth, world):
    event, people, _incomplete = _confirmed(world)
    auth.login(world.users["local_officer"])
    response = client.post("/declarations/export", data={"form": "d03", "event": str(event.id), "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][6] == 2 and rows[1][7] == 70  # second member, 70% of the first member's amount
    assert rows[1][10] == db.session.scalar(select(SignUp.net).where(SignUp.scheme == "bhyt_hgd"))
    pdf = client.post("/declarations/export", data={"form": "d03", "event": str(event.id), "format": "pdf",
                                                    "all": "1"})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_preview_leaves_one_audit_entry_with_its_filter_and_no_numbers(client, auth, world):
    from portal.audit.models import AuditEntry

    event, people, _incomplete = _confirmed(world)
    auth.login(world.users["local_officer"])
    client.get(f"/declarations/?form=d05&event={event.id}")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view.declarations_preview")).all()
    assert len(entries) == 1
    assert entries[0].details["filter"]["event_id"] == event.id and entries[0].details["blocked"] == 1
    assert all(p.bhxh_code not in str(entries[0].details) for p in people)
