"""Evidence of an event's results: photos and scans of signed sheets, kept with their type checked from their
content, and every upload and viewing audited."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from ..audit import services as audit
from ..extensions import db
from ..storage import storage
from .models import Evidence
from .services import ResultsError

#: Largest evidence file kept, and the content types known by their first bytes.
MAX_EVIDENCE = 10 * 1024 * 1024
_MAGIC = {b"\xff\xd8\xff": ("image/jpeg", ".jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
          b"%PDF-": ("application/pdf", ".pdf")}


def store_evidence(event, *, kind: str, upload, user) -> Evidence:
    """Keep a photo or scan of a signed sheet under a random name, its type checked from its content and its
    size limited (ResultsError "evidence_file" otherwise); audited (caller commits)."""
    data = upload.read(MAX_EVIDENCE + 1)
    found = next((v for magic, v in _MAGIC.items() if data.startswith(magic)), None)
    if len(data) > MAX_EVIDENCE or found is None:
        raise ResultsError("evidence_file")
    content_type, suffix = found
    stored = secrets.token_hex(16) + suffix
    storage().put(Evidence.key_of(stored), data)
    evidence = Evidence(event_id=event.id, kind=kind, original_name=Path(upload.filename or "evidence").name[:200],
                        stored_name=stored, content_type=content_type, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=user.id)
    db.session.add(evidence)
    audit.record("event.evidence_upload", obj=event, object_type="event", details={"kind": kind})
    return evidence


def evidence_viewed(evidence: Evidence) -> str:
    """Audit the viewing of an evidence file (it shows personal data); return its storage key (caller commits)."""
    audit.record("event.evidence_view", obj=evidence, object_type="evidence")
    return evidence.storage_key
