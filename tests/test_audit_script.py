"""scripts/audit.py: which vulnerability check runs, and that a known vulnerability fails it (no network)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("audit", Path(__file__).resolve().parents[1] / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

PACKAGES = {"pip": "25.3", "flask": "3.1.3", "jinja2": "3.1.5"}


def fake(answers: dict):
    """A fetcher answering from a dict of URL -> (status, json); anything else is unreachable."""
    def get(url, body=None):
        return answers.get(url, (0, None))
    return get


def test_pip_audit_is_used_when_pypi_answers_versioned_queries():
    get = fake({f"{audit.PYPI}/pip/25.3/json": (200, {"info": {}, "vulnerabilities": []})})
    assert audit.service(PACKAGES, get) == "pypi"


def test_osv_is_used_when_only_osv_answers():
    get = fake({f"{audit.PYPI}/pip/25.3/json": (404, None), audit.OSV: (200, {})})
    assert audit.service(PACKAGES, get) == "osv"


def test_no_service_when_versioned_queries_are_not_answered():
    get = fake({f"{audit.PYPI}/pip/25.3/json": (404, None)})
    assert audit.service(PACKAGES, get) is None


def test_fallback_reports_a_vulnerability_of_a_package_at_its_newest_release():
    vuln = {"id": "PYSEC-2099-1", "fixed_in": ["3.1.4"], "link": "https://osv.dev/vulnerability/PYSEC-2099-1"}
    get = fake({
        f"{audit.PYPI}/pip/json": (200, {"info": {"version": "25.3"}, "vulnerabilities": []}),
        f"{audit.PYPI}/flask/json": (200, {"info": {"version": "3.1.3"}, "vulnerabilities": [vuln]}),
        f"{audit.PYPI}/jinja2/json": (200, {"info": {"version": "3.1.6"}, "vulnerabilities": []}),
    })
    findings, unchecked, answered = audit.fallback(PACKAGES, get)
    assert answered
    assert findings == ["flask 3.1.3: PYSEC-2099-1 (fixed in 3.1.4) https://osv.dev/vulnerability/PYSEC-2099-1"]
    # jinja2 is pinned below its newest release: that release's list says nothing about 3.1.5.
    assert unchecked == ["jinja2 3.1.5 (newest is 3.1.6)"]


def test_fallback_offline_checks_nothing():
    findings, unchecked, answered = audit.fallback(PACKAGES, fake({}))
    assert not answered and not findings
    assert len(unchecked) == 3


@pytest.mark.parametrize("require, expected", [(None, True), ("1", False)])
def test_unreachable_service_passes_with_a_warning_unless_required(monkeypatch, capsys, require, expected):
    monkeypatch.setattr(audit, "installed", lambda: dict(PACKAGES))
    monkeypatch.setattr(audit, "fetch", lambda url, body=None: (0, None))
    monkeypatch.setattr(audit, "service", lambda packages: None)
    monkeypatch.setattr(audit, "fallback", lambda packages: ([], ["pip 25.3 (PyPI answered nothing)"], False))
    if require:
        monkeypatch.setenv("AUDIT_REQUIRE_SERVICE", require)
    else:
        monkeypatch.delenv("AUDIT_REQUIRE_SERVICE", raising=False)
    assert audit.run_pip_audit() is expected
    assert "could not be checked" in capsys.readouterr().out


def test_a_finding_in_the_fallback_fails_the_audit(monkeypatch):
    monkeypatch.setattr(audit, "installed", lambda: dict(PACKAGES))
    monkeypatch.setattr(audit, "service", lambda packages: None)
    monkeypatch.setattr(audit, "fallback", lambda packages: (["flask 3.1.3: PYSEC-2099-1"], [], True))
    assert audit.run_pip_audit() is False


def test_the_project_itself_is_not_audited():
    assert "bhxh-outreach-portal" not in audit.installed()
    assert "flask" in audit.installed()
