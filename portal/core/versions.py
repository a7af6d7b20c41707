"""Versioned records (optimistic locking): a write form must carry the version it was opened on.

Without it a save would overwrite whatever others saved meanwhile, so such a post is refused (422) with a
message saying to reload, instead of being saved as if no one else had changed the record.
"""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _


def message() -> str:
    return _("This form does not say which version of the record it was opened on, so it was not saved. Reload "
             "the page and make your changes again.")


def missing(value: str | None, *, show: bool = True) -> bool:
    """True when a form's version field is absent or not a number (flashing why unless ``show`` is False)."""
    if (value or "").strip().isdigit():
        return False
    if show:
        flash(message(), "error")
    return True
