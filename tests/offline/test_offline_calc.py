"""The calculator's parameters kept with the agent's day, and a sign-up whose amount the phone calculated:
accepted when the server calculates the same, refused with both amounts (nothing written) when it does not."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.policy.services import seed_shipped
from portal.results.models import SignUp

from .. import factories

SYNC = {"X-Offline-Sync": "1"}


def test_the_day_keeps_the_calculators_parameters_and_the_decoder(client, auth, world):
    seed_shipped()
    db.session.commit()
    auth.login(world.users["agent"])
    day = client.get("/offline/day").get_json()
    params = day["parameters"]
    assert params["on"] == local_today().isoformat()
    assert {"bhxh_tn.rate", "rural_poverty_line", "base_salary", "support.near_poor", "bhyt.ladder.5",
            "support.max_months"} <= set(params["values"])
    assert params["modes"]["advance_lump_sum"]["months"] == [12, 24, 36, 48, 60]
    assert params["valid_from"] <= params["on"] and (params["valid_until"] is None or params["valid_until"] > params["on"])
    assert any(url.startswith("/static/vendor/jsqr/jsQR.min.js") for url in day["pages"])
    html = client.get(f"/events/{world.own.event.id}/signups?person={world.own.person.id}").get_data(as_text=True)
    assert "data-calc-bhxh=" in html and 'name="expected_net"' in html and "js/calc.js" in html


def _signup(world, key: str, expected: str) -> dict:
    return {"person_id": str(world.own.person.id), "scheme": "bhxh_tn", "kind": "new", "income": "1500000",
            "mode": "monthly", "signed_on": local_today().strftime("%d/%m/%Y"), "agent_id": "0",
            "submission_key": key, "expected_net": expected}


def test_the_server_refuses_an_amount_it_does_not_compute(client, auth, world):
    seed_shipped()
    factories.under_way(world.own.event)
    db.session.commit()
    auth.login(world.users["agent"])
    url = f"/events/{world.own.event.id}/signups"
    answer = client.post(url, data=_signup(world, "phone-a", "250000"), headers=SYNC).get_json()
    assert answer["result"] == "refused"
    assert "250.000 đ" in answer["reason"] and "264.000 đ" in answer["reason"]
    online = client.post(url, data=_signup(world, "phone-b", "250000"))
    assert online.status_code == 422 and "264.000 đ" in online.get_data(as_text=True)
    count = select(func.count()).select_from(SignUp).where(SignUp.person_id == world.own.person.id)
    assert db.session.scalar(count) == 0
    assert client.post(url, data=_signup(world, "phone-c", "264000"), headers=SYNC).get_json() == {"result": "accepted"}
    assert db.session.scalar(count) == 1
