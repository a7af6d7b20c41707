"""Correction from a request, through the registry's own service, with old -> new in the audit (masked)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.households.models import person_name_tokens

from .helpers import CCCD, make_request, make_subject


def _form(person, **changes) -> dict:
    data = {"full_name": person.full_name, "sex": person.sex or "", "date_of_birth": "03/02/1985",
            "relation_to_head": person.relation_to_head, "cccd": person.cccd or "", "bhxh_code": person.bhxh_code or "",
            "phone": person.phone or "", "ethnicity": person.ethnicity or "", "ethnic_minority": "y",
            "occupation": "", "income_band": "", "bhxh_tn_status": person.bhxh_tn_status, "paid_until": "",
            "bhyt_expires_on": "", "tags": ["craft_village"], "version": str(person.version)}
    data.update(changes)
    return data


def test_correction_records_old_and_new_values_masked(client, auth, world):
    subject = make_subject(world)
    row = make_request(subject, "correction")
    auth.login(world.users["admin"])
    assert client.get(f"/admin/privacy/requests/{row.id}/correct").status_code == 200
    response = client.post(f"/admin/privacy/requests/{row.id}/correct",
                           data=_form(subject.person, full_name="Lò Thị Hoà", cccd="012345678902",
                                      date_of_birth="04/02/1985", tags=["craft_village", "near_poor"]))
    assert response.status_code == 303
    db.session.expire_all()
    person = subject.person
    assert (person.full_name, person.cccd) == ("Lò Thị Hoà", "012345678902")
    assert "hoa" in set(db.session.scalars(select(person_name_tokens.c.token).where(
        person_name_tokens.c.person_id == person.id)))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.correction"))
    changes = entry.details["changes"]
    assert entry.details["request"] == row.id
    assert changes["full_name"] == ["Lò Thị Hoa", "Lò Thị Hoà"]
    assert changes["cccd"] == ["*********901", "*********902"]
    assert changes["date_of_birth"] == ["03/02/1985", "04/02/1985"]
    assert changes["tags"] == [["craft_village"], ["craft_village", "near_poor"]]
    assert not re.search(r"\d{8,}", json.dumps(entry.details))
    # The registry's own entry is there too, with field names only.
    update = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.update"))
    assert set(update.details["fields"]) >= {"full_name", "cccd", "date_of_birth", "tags"}
    assert "privacy.correction" in client.get(f"/admin/privacy/requests/{row.id}").get_data(as_text=True)


def test_correction_is_refused_where_it_does_not_apply(client, auth, world):
    subject = make_subject(world)
    access = make_request(subject, "access")
    closed = make_request(subject, "correction", status="done")
    nobody = make_request(None, "correction")
    auth.login(world.users["admin"])
    for row in (access, closed, nobody):
        assert client.get(f"/admin/privacy/requests/{row.id}/correct").status_code == 404
    row = make_request(subject, "correction")
    world.own.person.cccd = "098765432109"
    db.session.commit()
    duplicate = client.post(f"/admin/privacy/requests/{row.id}/correct",
                            data=_form(subject.person, cccd="098765432109"))
    assert duplicate.status_code == 422
    bad = client.post(f"/admin/privacy/requests/{row.id}/correct", data=_form(subject.person, cccd="1234"))
    assert bad.status_code == 422
    db.session.expire_all()
    assert subject.person.cccd == CCCD
