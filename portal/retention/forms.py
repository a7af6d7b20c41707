"""Forms of the retention pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..core.fields import VNDateField
from .labels import METHOD_LABELS, OUTCOME_LABELS, SCHEME_LABELS
from .models import METHODS, OUTCOMES, SCHEMES
from .services import NOTE_MAX


class ContactForm(FlaskForm):
    """A reminder and its outcome."""

    scheme = RadioField(_l("Scheme"), choices=[SelectChoice(k, SCHEME_LABELS[k]) for k in SCHEMES], default="bhxh_tn",
                        validators=[InputRequired(_l("Choose the scheme."))])
    method = RadioField(_l("How"), choices=[SelectChoice(k, METHOD_LABELS[k]) for k in METHODS], default="visit",
                        validators=[InputRequired(_l("Choose how the person was reminded."))])
    outcome = RadioField(_l("Outcome"), choices=[SelectChoice(k, OUTCOME_LABELS[k]) for k in OUTCOMES],
                         validators=[InputRequired(_l("Choose an outcome."))])
    promised_on = VNDateField(_l("Promised to pay by"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])
    submission_key = HiddenField()
