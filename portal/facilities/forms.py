"""Forms of the facilities register."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from .labels import LEVEL_LABELS


class FacilityForm(FlaskForm):
    """A facility of the register."""

    province_id = SelectField(_l("Province"), coerce=int, choices=[])
    code = StringField(_l("Facility code"), validators=[
        DataRequired(_l("Enter the facility code.")),
        Regexp(r"^\s*[0-9A-Za-z]{5}\s*$", message=_l("The facility code has five letters or digits."))],
        render_kw={"maxlength": 5, "autocapitalize": "characters", "spellcheck": "false"})
    name = StringField(_l("Facility name"), validators=[DataRequired(_l("Enter the facility name.")), Length(max=200)])
    level = SelectField(_l("Facility level"), choices=[SelectChoice(k, v) for k, v in LEVEL_LABELS.items()],
                        default="commune")
    commune_id = SelectField(_l("Commune where it stands"), coerce=int, choices=[], default=0)
