"""Writes to the facilities register, each with its audit entry. Callers commit."""

from __future__ import annotations

from ..audit import services as audit
from ..extensions import db
from . import importer
from .models import Facility


def save_facility(facility: Facility | None, *, province_id: int, code: str, name: str, level: str,
                  commune_id: int | None) -> Facility:
    """Add a facility to the register, or change one."""
    creating = facility is None
    facility = facility or Facility(active=True)
    facility.province_id = province_id
    facility.code = code
    facility.set_name(name)
    facility.level = level
    facility.commune_id = commune_id
    db.session.add(facility)
    db.session.flush()
    audit.record("facility.create" if creating else "facility.update", obj=facility, object_type="facility",
                 details={"code": code})
    return facility


def set_active(facility: Facility, active: bool) -> None:
    """Open a facility to new choices again, or close it (the sign-ups that name it keep it)."""
    facility.active = active
    audit.record("facility.activate" if active else "facility.deactivate", obj=facility, object_type="facility",
                 details={"code": facility.code})


def import_facilities(report: importer.Report, *, filename: str) -> int:
    """Write the new and changed facilities of a clean import report; returns how many were written."""
    written = importer.apply(report)
    audit.record("facility.import", object_type="facility",
                 details={"file": filename, "new": len(report.new), "updated": len(report.updated),
                          "unchanged": report.unchanged})
    return written
