"""Matrix entries: sign-ups outside events, the receipt register and the confirmation batches."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
DOOR = (*OFFICERS, AGENT)


def _signup(territory, **fields) -> int:
    """A door-to-door receipt of the territory's person (made for the request: the world has none)."""
    from datetime import date

    from portal.extensions import db
    from portal.results.models import SignUp

    values = {"person_id": territory.person.id, "household_id": territory.household.id,
              "commune_id": territory.commune.id, "channel": "door", "scheme": "bhyt_hgd", "kind": "new",
              "months": 12, "member_order": 1, "amount_due": 1263600, "net": 1263600, "computed_net": 1263600,
              "signed_on": date(2027, 5, 4), "agent_id": territory.agent.id, **fields}
    signup = SignUp(**values)
    db.session.add(signup)
    db.session.commit()
    return signup.id


def _batch(territory) -> int:
    from datetime import date

    from portal.extensions import db
    from portal.results.models import SignUp, SignUpBatch

    batch = SignUpBatch(agent_id=territory.agent.id, period_start=date(2027, 5, 1), period_end=date(2027, 5, 31),
                        signups=1, total_net=1263600, handed_in=1263600)
    db.session.add(batch)
    db.session.flush()
    signup = db.session.get(SignUp, _signup(territory))
    signup.batch_id, signup.status = batch.id, "confirmed"
    db.session.commit()
    return batch.id


ROUTES = {
    "enrolments.new_signup": Route("GET", lambda w, t: f"/enrolments/new?person={t.person.id}&renew=1",
                                   territorial(*DOOR)),
    "enrolments.quote": Route("GET", lambda w, t: f"/enrolments/people/{t.person.id}/quote?scheme=bhxh_tn"
                                                  "&income=1500000&mode=monthly&signed_on=04/05/2027",
                              territorial(*DOOR)),
    "enrolments.record": Route("POST", lambda w, t: "/enrolments/new", territorial(*DOOR),
                               data=lambda w, t: {"person_id": str(t.person.id), "scheme": "bhxh_tn"}),
    "enrolments.batches": Route("GET", "/enrolments/batches", only(*OFFICERS, VIEWER)),
    "enrolments.batch": Route("GET", lambda w, t: f"/enrolments/batches/{_batch(t)}",
                              territorial(*OFFICERS, VIEWER)),
    "enrolments.mark_duplicate": Route(
        "POST", lambda w, t: f"/enrolments/signups/{_signup(t)}/duplicate", territorial(*OFFICERS),
        data=lambda w, t: {"kept": str(_signup(t, receipt_number="A2"))}),
    "enrolments.mark_renewal": Route("POST", lambda w, t: f"/enrolments/signups/{_signup(t)}/renewal",
                                     territorial(*OFFICERS)),
    "enrolments.register_page": Route("GET", "/enrolments/register", only(*OFFICERS)),
    "enrolments.register_template": Route("GET", "/enrolments/register/template.xlsx", only(*OFFICERS)),
}
