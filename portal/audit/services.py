"""Writing audit entries, with personal numbers masked."""

from __future__ import annotations

import re
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from .models import AuditEntry

# Runs of 8 or more digits, allowing the spaces, dots and dashes people type inside numbers, and +84.
_NUMBER_RUN = re.compile(r"\+?\d[\d .\-]{6,}\d")


def mask_number(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < 8:
        return match.group(0)
    return "*" * (len(digits) - 3) + digits[-3:]


def mask_personal(value: Any) -> Any:
    """Mask ID, insurance and phone numbers anywhere in a value (strings, lists, dicts)."""
    if isinstance(value, str):
        return _NUMBER_RUN.sub(mask_number, value)
    if isinstance(value, dict):
        return {k: mask_personal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_personal(v) for v in value]
    return value


def client_ip() -> str | None:
    """The requester's address."""
    return request.remote_addr if has_request_context() else None


def record(
    action: str,
    *,
    obj: Any = None,
    object_type: str | None = None,
    object_id: int | None = None,
    outcome: str = "success",
    details: dict[str, Any] | None = None,
    user=None,
    username: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits with its own change)."""
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    if obj is not None:
        object_type = object_type or getattr(obj, "__audit_type__", None) or obj.__tablename__.rstrip("s")
        object_id = object_id if object_id is not None else obj.id
    entry = AuditEntry(
        user_id=getattr(user, "id", None),
        username=(username or getattr(user, "username", None) or None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip=client_ip(),
        outcome=outcome,
        details=mask_personal(details) if details else None,
    )
    if username:
        entry.username = mask_personal(username)[:64]
    db.session.add(entry)
    return entry
