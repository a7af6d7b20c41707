"""The calculator page and the parameters page."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.policy.models import PolicyValue
from portal.policy.services import seed_shipped


def _seed():
    seed_shipped()
    db.session.commit()


def test_calculator_page_computes(client, auth):
    _seed()
    auth.login("agent")
    html = client.get("/policy/calculator?scheme=bhxh_tn&on=22/11/2026&income=1500000&mode=monthly").get_data(
        as_text=True)
    assert "330.000 đ" in html and "66.000 đ" in html and "264.000 đ" in html


def test_calculator_fragment_for_htmx(client, auth):
    _seed()
    auth.login("viewer")
    response = client.htmx_get("/policy/calculator?scheme=bhyt_hgd&on=15/01/2026&members=3", target="calc-result")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "105.300 đ" in html and "73.710 đ" in html and "63.180 đ" in html


def test_calculator_rejects_an_income_out_of_range(client, auth):
    _seed()
    auth.login("local_officer")
    response = client.get("/policy/calculator?scheme=bhxh_tn&on=22/11/2026&income=900000&mode=monthly")
    assert response.status_code == 422
    assert "1.500.000 đ" in response.get_data(as_text=True)


def test_admin_adds_a_value_with_an_audit_entry(client, auth):
    _seed()
    auth.login("admin")
    response = client.post("/policy/parameters", data={
        "key": "local.poor", "value": "0.1", "effective_from": "01/01/2027", "source": "Nghị quyết HĐND tỉnh"})
    assert response.status_code == 303
    row = db.session.scalar(select(PolicyValue).where(PolicyValue.key == "local.poor",
                                                      PolicyValue.source == "Nghị quyết HĐND tỉnh"))
    assert row is not None and float(row.value) == 0.1
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "policy.set")) is not None
    assert "Nghị quyết HĐND tỉnh" in client.get("/policy/parameters").get_data(as_text=True)


def test_parameter_form_errors(client, auth):
    _seed()
    auth.login("admin")
    response = client.post("/policy/parameters", data={"key": "local.poor", "value": "", "effective_from": "x",
                                                       "source": ""})
    assert response.status_code == 422
