"""Writes to communes and hamlets, each with its audit entry. Callers commit."""

from __future__ import annotations

from ..audit import services as audit
from ..extensions import db
from ..geo import importer
from ..geo.models import Commune, Hamlet
from ..org.models import agent_hamlets


def set_legacy_district(commune: Commune, legacy_district: str | None) -> None:
    """Record the district a commune belonged to before July 2025 (None for none)."""
    commune.legacy_district = legacy_district
    audit.record("commune.update", obj=commune, object_type="commune", details={"legacy_district": legacy_district})


def save_hamlet(commune: Commune, hamlet: Hamlet | None, *, name: str, kind: str) -> Hamlet:
    """Add a hamlet to a commune, or rename one or change its kind."""
    creating = hamlet is None
    hamlet = hamlet or Hamlet(commune_id=commune.id)
    hamlet.set_name(name)
    hamlet.kind = kind
    db.session.add(hamlet)
    db.session.flush()
    audit.record("hamlet.create" if creating else "hamlet.update", obj=hamlet, object_type="hamlet")
    return hamlet


def delete_hamlet(hamlet: Hamlet) -> None:
    """Delete a hamlet (no household may live in it) and the agents' coverage of it."""
    db.session.execute(agent_hamlets.delete().where(agent_hamlets.c.hamlet_id == hamlet.id))
    audit.record("hamlet.delete", obj=hamlet, object_type="hamlet", details={"name": hamlet.name})
    db.session.delete(hamlet)


def import_hamlets(commune: Commune, report: importer.Report, *, filename: str) -> int:
    """Add the new hamlets of a clean import report; returns how many were added."""
    added = importer.apply(commune, report)
    audit.record("hamlet.import", obj=commune, object_type="commune",
                 details={"file": filename, "added": added, "unchanged": report.unchanged})
    return added
