"""Walk-ins: namesakes of people in the registry, errors under their own field, the event's hamlet by default,
and a CCCD held outside the caller's territory (an answer that says no more, audited, with nothing in the log)."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from portal.audit.models import AuditEntry
from portal.auth import roles
from portal.extensions import db
from portal.households.models import Person
from portal.results.models import Attendance

from .. import factories

CCCD = "001090012345"
PHONE = "0912345678"


class _WalkInForm(HTMLParser):
    """The walk-in form's controls in document order, as a browser reads them."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: list[dict] = []
        self.attributes: dict = {}
        self._inside = False
        self._select: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("action") or "").endswith("/attendance/walk-in"):
            self._inside, self.attributes = True, attrs
        elif self._inside and tag == "input":
            self.controls.append({"tag": "input", "type": attrs.get("type", "text"), "name": attrs.get("name"),
                                  "value": attrs.get("value") or "", "checked": "checked" in attrs,
                                  "required": "required" in attrs})
        elif self._inside and tag == "select":
            self._select = {"tag": "select", "name": attrs.get("name"), "value": None, "first": None}
            self.controls.append(self._select)
        elif self._select is not None and tag == "option":
            if self._select["first"] is None:
                self._select["first"] = attrs.get("value")
            if "selected" in attrs:
                self._select["value"] = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None

    def named(self, name: str) -> list[dict]:
        return [c for c in self.controls if c["name"] == name]

    def submit(self, typed: dict | None = None, choose: str | None = None) -> MultiDict:
        """What the browser sends: hidden fields as rendered, typed text, the chosen radio only."""
        typed = typed or {}
        pairs = []
        for control in self.controls:
            name = control["name"]
            if not name:
                continue
            if control["tag"] == "select":
                pairs.append((name, typed.get(name, control["value"] or control["first"])))
            elif control["type"] == "radio":
                if control["value"] == choose:
                    pairs.append((name, control["value"]))
            elif control["type"] == "hidden":
                pairs.append((name, control["value"]))
            else:
                pairs.append((name, typed.get(name, control["value"])))
        return MultiDict(pairs)


def _attendance_form(client, event) -> _WalkInForm:
    return _WalkInForm(client.get(f"/events/{event.id}/attendance").get_data(as_text=True))


def _post(client, event, data: MultiDict):
    return client.post(f"/events/{event.id}/attendance/walk-in", data=data, csrf=False)


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<small id="{field}-error" class="error">(.*?)</small>', html, re.S)
    return match.group(1).strip() if match else ""


@pytest.mark.parametrize("choice", ["existing", "new"])
def test_a_namesake_of_someone_in_the_registry_is_saved_as_chosen(client, auth, world, choice):
    """The blocker: choosing the known person or "someone new" re-showed the same form, because an empty
    hidden person_id came before the radios of the same name."""
    _household, known = factories.make_household(world.own.hamlet, "Nguyễn Thị Lan", address="Nhà 9")
    auth.login(world.users[roles.LOCAL_OFFICER])
    event = world.own.event
    form = _attendance_form(client, event)
    typed = {"name": "nguyễn thị  lan", "phone": ""}
    offered = _post(client, event, form.submit(typed))
    assert offered.status_code == 200
    assert f"{known.full_name} · {world.own.hamlet.name}" in offered.get_data(as_text=True)  # told apart
    form = _WalkInForm(offered.get_data(as_text=True))
    radios = form.named("person_id")
    assert [r["type"] for r in radios] == ["radio", "radio"]  # nothing else carries the name
    assert not any(r["required"] for r in radios)
    chosen = str(known.id) if choice == "existing" else "new"
    saved = _post(client, event, form.submit(typed, choose=chosen))
    assert saved.status_code == 303
    walk_in = db.session.scalar(select(Attendance).where(Attendance.walk_in))
    if choice == "existing":
        assert walk_in.person_id == known.id
    else:
        assert walk_in.person_id != known.id
        assert db.session.get(Person, walk_in.person_id).full_name == known.full_name
    assert known.full_name in client.get(f"/events/{event.id}/attendance").get_data(as_text=True)


def test_sent_without_choosing_says_to_choose(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    event, known = world.own.event, world.own.person
    typed = {"name": known.full_name}
    form = _WalkInForm(_post(client, event, _attendance_form(client, event).submit(typed)).get_data(as_text=True))
    again = _post(client, event, form.submit(typed))
    assert again.status_code == 422
    assert "Người mới" in _error_of(again.get_data(as_text=True), "person_id")
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.walk_in)) == 0


def test_errors_land_under_their_own_field_all_at_once(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    event = world.own.event
    form = _attendance_form(client, event)
    assert "novalidate" in form.attributes  # the portal's messages, not the browser's
    response = _post(client, event, form.submit({"name": "Lò Văn 2", "phone": "12345", "cccd": "12345"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "chữ số" in _error_of(html, "name")
    assert "10 chữ số" in _error_of(html, "phone")
    assert "CCCD" in _error_of(html, "cccd")
    empty = _post(client, event, form.submit({"name": ""}))
    assert empty.status_code == 422 and _error_of(empty.get_data(as_text=True), "name")


def test_the_walk_in_hamlet_is_the_events_by_default(client, auth, world):
    event = world.own.event
    event.hamlet_id = world.own.hamlet2.id
    db.session.commit()
    auth.login(world.users[roles.LOCAL_OFFICER])
    hamlet = _attendance_form(client, event).named("hamlet_id")[0]
    assert hamlet["value"] == str(world.own.hamlet2.id)


def _held_in(territory, name="Người Ở Xa"):
    _household, person = factories.make_household(territory.hamlet, name, cccd=CCCD, phone=PHONE)
    return person


def _numbers_in(log: str) -> list[str]:
    """CCCD-like (12 digits) and phone-like (0 and 9 digits) numbers in a captured log."""
    return re.findall(r"(?<!\d)(?:\d{12}|0\d{9})(?!\d)", log)


@pytest.mark.parametrize("choice", [None, "new"])
def test_a_cccd_held_outside_the_territory_says_only_that_it_is_held_elsewhere(client, auth, world, caplog, choice):
    """It answered 500 and logged the CCCD and phone; now a validation message like any other, audited."""
    holder = _held_in(world.near)
    auth.login(world.users[roles.LOCAL_OFFICER])
    event = world.own.event
    form = _attendance_form(client, event)
    data = form.submit({"name": "Lò Văn Khách", "phone": "0987654321", "cccd": CCCD})
    if choice:
        data["person_id"] = choice
    with caplog.at_level(logging.DEBUG):
        response = _post(client, event, data)
    assert response.status_code == 422  # as any invalid form: no 500, no success that differs by existence
    html = response.get_data(as_text=True)
    assert "BHXH tỉnh" in _error_of(html, "cccd")
    assert holder.full_name not in html
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.walk_in)) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "walk_in.cccd_elsewhere"))
    assert entry is not None and entry.object_id == holder.id and entry.outcome == "denied"
    assert CCCD not in str(entry.details)
    assert _numbers_in(caplog.text) == []


def test_a_cccd_of_someone_in_the_territory_is_offered_wherever_they_live(client, auth, world):
    """A CCCD of a person the officer may see in another commune of the office: offered, and checked in."""
    hamlet = factories.make_hamlet(world.own.commune2, "Thôn Bên Kia")
    _household, neighbour = factories.make_household(hamlet, "Cầm Thị Bên", cccd=CCCD)
    auth.login(world.users[roles.LOCAL_OFFICER])
    event = world.own.event
    typed = {"name": "Cầm Thị Bên", "cccd": CCCD}
    offered = _post(client, event, _attendance_form(client, event).submit(typed))
    assert offered.status_code == 200
    form = _WalkInForm(offered.get_data(as_text=True))
    assert str(neighbour.id) in [r["value"] for r in form.named("person_id")]
    taken = _post(client, event, form.submit(typed, choose="new"))
    assert taken.status_code == 422 and _error_of(taken.get_data(as_text=True), "cccd")
    assert _post(client, event, form.submit(typed, choose=str(neighbour.id))).status_code == 303
    assert db.session.scalar(select(Attendance.person_id).where(Attendance.walk_in)) == neighbour.id


def test_an_agent_sees_only_their_hamlets_in_the_matches(client, auth, world):
    """Matches come through the scope: an agent's namesake outside their hamlets is not offered."""
    factories.make_household(world.own.hamlet2, "Vàng A Páo")
    auth.login(world.users[roles.AGENT])
    event = world.own.event
    response = _post(client, event, _attendance_form(client, event).submit({"name": "Vàng A Páo"}))
    assert response.status_code == 303  # nobody visible to choose from: recorded as someone new


def _duplicate_cccd(world) -> IntegrityError:
    _held_in(world.near)
    _household, other = factories.make_household(world.own.hamlet, "Trùng Số", phone="0987654321")
    other.cccd = CCCD
    with pytest.raises(IntegrityError) as info:
        db.session.commit()
    db.session.rollback()
    return info.value


def test_statement_parameters_stay_out_of_database_errors(app, world):
    """The engine never puts a statement's values (ID numbers, phones) in an error message."""
    error = _duplicate_cccd(world)
    assert "hide_parameters" in str(error)
    assert CCCD not in str(error) or app.extensions["sqlalchemy"].engine.dialect.name == "postgresql"


def test_the_500_log_masks_the_numbers_a_database_error_quotes(app, world, caplog):
    """What the former walk-in 500 wrote: the error line with the statement's values (SQLite) or PostgreSQL's
    "Key (cccd)=(…) already exists". Either way the log holds no ID number or phone."""
    from portal.core import errors

    error = _duplicate_cccd(world)
    with app.test_request_context(f"/events/{world.own.event.id}/attendance/walk-in", method="POST"), \
            caplog.at_level(logging.ERROR):
        response = errors._handle_500(error)
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text
    assert _numbers_in(caplog.text) == []


def test_walk_in_answers_held_elsewhere_are_counted_and_then_every_lookup_waits(client, auth, world):
    from portal.auth import throttle

    _held_in(world.near)
    officer = world.users[roles.LOCAL_OFFICER]
    auth.login(officer)
    event = world.own.event
    form = _attendance_form(client, event)
    for _ in range(throttle.HELD_ELSEWHERE.free + 1):
        response = _post(client, event, form.submit({"name": "Lò Văn Khách", "cccd": CCCD}))
        assert response.status_code == 422 and "BHXH tỉnh" in _error_of(response.get_data(as_text=True), "cccd")
    assert throttle.held_elsewhere_wait(officer.id) > 0
    # A CCCD nobody holds now gets the same status and a wait, not a check-in that would tell it apart.
    response = _post(client, event, form.submit({"name": "Lò Văn Mới", "cccd": "001090099999"}))
    assert response.status_code == 422
    assert "phút" in _error_of(response.get_data(as_text=True), "cccd")
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.walk_in)) == 0
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "identity.check_throttled")) is not None
