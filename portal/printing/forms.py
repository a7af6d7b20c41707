"""Forms of the Documents tab."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice

from .labels import AUDIENCE_LABELS


class LeafletAudienceForm(FlaskForm):
    """Which leaflet variant the event's audience gets."""

    audience = RadioField(_l("Leaflet for"), choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()])


class StartJobForm(FlaskForm):
    """A button that starts a background print job (CSRF only)."""
