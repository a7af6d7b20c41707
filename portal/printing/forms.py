"""Forms of the Documents tab."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice

AUDIENCE_LABELS = {
    "town": _l("Towns, stable income: the long-term value of a pension"),
    "low_income": _l("Low income: saving a little at a time"),
    "ethnic": _l("Ethnic minorities: short, plain, large type"),
}


class LeafletAudienceForm(FlaskForm):
    """Which leaflet variant the event's audience gets."""

    audience = RadioField(_l("Leaflet for"), choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()])


class StartJobForm(FlaskForm):
    """A button that starts a background print job (CSRF only)."""
