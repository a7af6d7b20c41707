"""Labels of the results' values (channels, schemes, kinds), for pages, forms and reports of any package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Where a sign-up was made (``models.CHANNELS``).
CHANNEL_LABELS = {
    "event": _l("At an event"),
    "door": _l("Door-to-door visit"),
    "counter": _l("Collection point or post-office counter"),
    "online": _l("Online (VssID, public service portal)"),
    "other": _l("Other"),
}
