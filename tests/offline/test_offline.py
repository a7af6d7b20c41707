"""The offline app on the server: worker, manifest, icons, the day's pages, and replayed actions classified
(accepted, duplicate, refused, conflict, signin) with nothing written when refused."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portal.core.security import CONTENT_SECURITY_POLICY
from portal.extensions import db
from portal.households.models import Household
from portal.visits.models import Visit, VisitAssignment

SYNC = {"X-Offline-Sync": "1"}


def _visits(assignment_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Visit).where(Visit.assignment_id == assignment_id))


def _quick(assignment, key="k1", outcome="consulted", **extra):
    return {"outcome": outcome, "quick": "1", "person_id": "0", "version": str(assignment.version),
            "submission_key": key, **extra}


def test_worker_is_served_from_the_root_with_the_portal_as_its_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "portal-day" in response.get_data(as_text=True)


def test_manifest_and_icons_make_the_agent_work_installable(client):
    manifest = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))
    assert manifest["start_url"] == "/my" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
        size = int(icon["sizes"].split("x")[0])
        assert int.from_bytes(response.data[16:20], "big") == size
    assert client.get("/offline/icon-77.png").status_code == 404


def test_agent_pages_carry_the_manifest_and_the_script_officers_do_not(client, auth, world):
    auth.login(world.users["agent"])
    html = client.get("/my").get_data(as_text=True)
    assert 'rel="manifest"' in html and "js/offline.js" in html and 'id="offline-bar"' in html
    assert "data-offline=" in html and "offline_household_version" in html
    client.post("/logout")
    auth.login(world.users["local_officer"])
    assert "js/offline.js" not in client.get("/").get_data(as_text=True)


def test_the_day_lists_only_the_agents_own_pages(client, auth, world):
    own, other = world.own, world.other_for("agent")
    auth.login(world.users["agent"])
    day = client.get("/offline/day").get_json()
    assert day["aliases"] == {"/my": f"/my?event={own.event.id}&show=todo"}
    assert day["aliases"]["/my"] in day["pages"] and "/offline" in day["pages"]
    assert f"/my/assignments/{own.assignment.id}" in day["pages"]
    assert f"/events/{own.event.id}/attendance" in day["pages"]
    assert f"/my/assignments/{other.assignment.id}" not in day["pages"]
    assert not any(f"/events/{other.event.id}/" in url for url in day["pages"])
    assert day["expires_at"] > 0 and day["user"] == world.users["agent"].id
    for url in day["pages"]:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()  # a static file (the QR decoder) is sent from an open file


def test_a_fresh_token_for_sending(client, auth, world):
    auth.login(world.users["agent"])
    token = client.get("/offline/token").get_json()["csrf_token"]
    assignment = world.own.assignment
    response = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment, csrf_token=token),
                           headers=SYNC)
    assert response.get_json()["result"] == "accepted"


def test_accepted_then_duplicate_recorded_once(client, auth, world):
    assignment = world.own.assignment
    auth.login(world.users["agent"])
    first = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment), headers=SYNC)
    assert first.status_code == 200 and first.get_json() == {"result": "accepted"}
    again = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment), headers=SYNC)
    assert again.get_json() == {"result": "duplicate"}
    assert _visits(assignment.id) == 1
    assert "Recorded" not in client.get("/my").get_data(as_text=True)  # no pile of messages after sending


def test_refused_with_the_reason(client, auth, world):
    assignment = world.own.assignment
    auth.login(world.users["agent"])
    answer = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment, outcome="declined"),
                         headers=SYNC).get_json()
    assert answer["result"] == "refused" and answer["reason"]
    assert _visits(assignment.id) == 0


def test_outside_the_territory_is_refused(client, auth, world):
    other = world.other_for("agent").assignment
    auth.login(world.users["agent"])
    answer = client.post(f"/my/assignments/{other.id}", data=_quick(other), headers=SYNC).get_json()
    assert answer["result"] == "refused"
    assert _visits(other.id) == 0


def test_recorded_by_the_office_meanwhile_is_a_conflict(client, auth, world):
    assignment = world.own.assignment
    stale = _quick(assignment, key="mine")
    auth.login(world.users["local_officer"])
    client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment, key="office", outcome="not_home"))
    client.post("/logout")
    auth.login(world.users["agent"])
    answer = client.post(f"/my/assignments/{assignment.id}", data=stale, headers=SYNC).get_json()
    assert answer["result"] == "conflict" and answer["reason"]
    assert db.session.get(VisitAssignment, assignment.id).outcome == "not_home"


def test_household_edited_by_the_office_is_shown_side_by_side(client, auth, world):
    assignment = world.own.assignment
    household = db.session.get(Household, assignment.household_id)
    seen = household.version
    household.phone = "0912345678"
    db.session.commit()
    auth.login(world.users["agent"])
    data = _quick(assignment, offline_household_id=str(household.id), offline_household_version=str(seen))
    answer = client.post(f"/my/assignments/{assignment.id}", data=data, headers=SYNC).get_json()
    assert answer["result"] == "conflict"
    assert answer["now"]["phone"] == "0912345678" and answer["now"]["head_name"] == household.head_name
    assert _visits(assignment.id) == 0
    data["offline_household_version"] = str(answer["version"])
    assert client.post(f"/my/assignments/{assignment.id}", data=data, headers=SYNC).get_json()["result"] == "accepted"


def test_a_deactivated_agent_is_refused_and_nothing_is_written(client, auth, world):
    assignment = world.own.assignment
    agent = world.users["agent"]
    auth.login(agent)
    token = client.get("/offline/token").get_json()["csrf_token"]
    agent.active = False
    db.session.commit()
    response = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment, csrf_token=token),
                           headers=SYNC)
    assert response.status_code == 403
    assert response.get_json()["result"] == "refused"
    assert _visits(assignment.id) == 0


def test_an_ended_session_keeps_the_action_waiting(client, world):
    assignment = world.own.assignment
    response = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment), headers=SYNC, csrf=False)
    assert response.status_code == 401 and response.get_json()["result"] == "signin"


def test_without_the_header_the_form_answers_as_before(client, auth, world):
    assignment = world.own.assignment
    auth.login(world.users["agent"])
    response = client.post(f"/my/assignments/{assignment.id}", data=_quick(assignment))
    assert response.status_code == 303


def test_signing_out_clears_what_the_phone_kept(client, auth, world):
    auth.login(world.users["agent"])
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_the_phone_page_is_for_agents(client, auth, world):
    auth.login(world.users["agent"])
    html = client.get("/offline").get_data(as_text=True)
    assert 'id="offline-queue"' in html and 'id="offline-results"' in html
    client.post("/logout")
    auth.login(world.users["local_officer"])
    assert client.get("/offline").status_code == 403
    assert client.get("/offline/day").status_code == 403


def test_a_qr_check_in_sent_later_and_one_refused_by_the_door_rule(client, auth, world):
    from portal.results.models import Attendance
    from tests import factories

    invitation = world.own.invitation
    auth.login(world.users["agent"])
    token = client.get("/offline/token", headers=SYNC).get_json()["csrf_token"]
    early = client.post(f"/checkin/{invitation.token}", data={"csrf_token": token}, headers=SYNC).get_json()
    assert early["result"] == "refused" and early["reason"]  # the conference has not started yet
    factories.under_way(world.own.event)
    answer = client.post(f"/checkin/{invitation.token}", data={"csrf_token": token}, headers=SYNC).get_json()
    assert answer == {"result": "accepted"}
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.invitation_id == invitation.id)) == 1
    assert client.post("/checkin/not-a-token", data={"csrf_token": token}, headers=SYNC).get_json()["result"] == \
        "refused"


def test_a_deactivated_agent_asking_for_a_token_is_refused(client, auth, world):
    agent = world.users["agent"]
    auth.login(agent)
    agent.active = False
    db.session.commit()
    response = client.get("/offline/token", headers=SYNC)
    assert response.status_code == 403 and response.get_json()["result"] == "refused"


def test_sign_ups_replayed_once_and_a_second_for_the_same_person_refused_with_the_reason(client, auth, world):
    from portal.i18n.formatting import local_today
    from portal.policy.services import seed_shipped
    from portal.results.models import SignUp
    from tests import factories

    seed_shipped()
    db.session.commit()
    event, person = world.own.event, world.own.person
    auth.login(world.users["agent"])
    base = {"person_id": str(person.id), "scheme": "bhxh_tn", "kind": "new", "income": "1500000",
            "mode": "monthly", "signed_on": local_today().strftime("%d/%m/%Y"), "agent_id": "0",
            "submission_key": "phone-1"}
    url = f"/events/{event.id}/signups"
    early = client.post(url, data=base, headers=SYNC).get_json()
    assert early["result"] == "refused" and "hội nghị" in early["reason"]  # the message under its field
    factories.under_way(event)
    assert client.post(url, data=base, headers=SYNC).get_json() == {"result": "accepted"}
    assert client.post(url, data=base, headers=SYNC).get_json() == {"result": "duplicate"}
    again = client.post(url, data={**base, "submission_key": "phone-2"}, headers=SYNC).get_json()
    assert again["result"] == "refused" and again["reason"]  # already signed up: the same answer as online
    assert db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.event_id == event.id)) == 1


def test_a_walk_in_replayed_once(client, auth, world):
    from portal.results.models import Attendance
    from tests import factories

    event = world.own.event
    factories.under_way(event)
    auth.login(world.users["agent"])
    data = {"name": "Lò Văn Mới", "phone": "0987654321", "hamlet_id": str(world.own.hamlet.id),
            "submission_key": "phone-walk-1"}
    url = f"/events/{event.id}/attendance/walk-in"
    assert client.post(url, data=data, headers=SYNC).get_json() == {"result": "accepted"}
    assert client.post(url, data=data, headers=SYNC).get_json() == {"result": "duplicate"}
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.event_id == event.id, Attendance.invitation_id.is_(None))) == 1
