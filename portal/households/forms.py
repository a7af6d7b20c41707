"""Household and person forms: every value is normalised by portal.i18n.normalise while validating.

A validated form carries the clean values in ``form.clean`` (field name -> value), so the services never see
raw text and the inline validation shows the same Vietnamese message as a full submit.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.fields import VNDateField
from ..i18n import normalise
from .labels import INCOME_LABELS, POVERTY_LABELS, RELATION_LABELS, SEX_LABELS, STATUS_LABELS, TAG_LABELS
from .models import BHXH_TN_STATUSES, INCOME_BANDS, POTENTIAL_GROUPS, POVERTY_STATUSES, RELATIONS


def _choices(labels: dict, keys, blank: bool = False) -> list[SelectChoice]:
    return ([SelectChoice("", "—")] if blank else []) + [SelectChoice(k, labels[k]) for k in keys]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _Normalised(FlaskForm):
    """A form whose ``validate_<field>`` methods put clean values into ``self.clean``."""

    #: field name -> normaliser (raises normalise.Invalid with a Vietnamese message)
    normalisers: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clean: dict = {}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for name, parse in self.normalisers.items():
            field = self[name]
            if field.errors:
                continue
            try:
                self.clean[name] = parse(field.data)
            except normalise.Invalid as exc:
                field.errors = [*field.errors, str(exc)]
                ok = False
        return ok

    def field_errors(self, name: str) -> list[str]:
        """Validate the whole form and keep only the errors of one field (for inline validation)."""
        self.validate()
        return list(self[name].errors) if name in self else []


class BirthDateField(VNDateField):
    """A date of birth as dd/mm/yyyy, or the year alone (yyyy) as BHXH records allow: ``year_only`` says which,
    and the date is then 1 January of that year."""

    year_only = False

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, render_kw={"placeholder": _l("dd/mm/yyyy or yyyy")}, **kwargs)

    def process_formdata(self, valuelist):
        raw = " ".join(valuelist or []).strip()
        self.year_only = raw.isdigit() and len(raw) == 4
        if self.year_only:
            self.data = date(int(raw), 1, 1)
            return
        super().process_formdata(valuelist)

    def _value(self):
        if not self.raw_data and self.data and self.year_only:
            return str(self.data.year)
        return super()._value()


def _optional_birth_date(value):
    return normalise.birth_date(value) if value else None


def _optional_text(value):
    return normalise.text(value) or None


class HouseholdForm(_Normalised):
    """A household's own fields."""

    commune_id = SelectField(_l("Commune"), coerce=int, choices=[])
    hamlet_id = SelectField(_l("Hamlet"), coerce=int, choices=[])
    head_name = StringField(_l("Head of household"), validators=[DataRequired(_l("Enter the name.")),
                                                                 Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    poverty_status = SelectField(_l("Poverty status"), choices=_choices(POVERTY_LABELS, POVERTY_STATUSES))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()

    normalisers = {"head_name": normalise.person_name, "phone": normalise.phone, "address": _optional_text,
                   "notes": _optional_text}


class NewHouseholdForm(HouseholdForm):
    """A new household and its head."""

    sex = SelectField(_l("Sex of the head"), choices=_choices(SEX_LABELS, ("male", "female"), blank=True),
                      default="")
    date_of_birth = VNDateField(_l("Head's date of birth"), validators=[Optional()])
    cccd = StringField(_l("Head's CCCD number"), validators=[Optional(), Length(max=20)])
    bhxh_code = StringField(_l("Head's social insurance code"), validators=[Optional(), Length(max=20)])
    ethnicity = StringField(_l("Ethnicity"), validators=[Optional(), Length(max=40)])
    ethnic_minority = BooleanField(_l("Ethnic minority"))

    normalisers = {**HouseholdForm.normalisers, "date_of_birth": _optional_birth_date, "cccd": normalise.cccd,
                   "bhxh_code": normalise.bhxh_code, "ethnicity": _optional_text}


class PersonForm(_Normalised):
    """A person's identity, groups and coverage."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    sex = SelectField(_l("Sex"), choices=_choices(SEX_LABELS, ("male", "female"), blank=True), default="")
    date_of_birth = BirthDateField(_l("Date of birth"), validators=[Optional()])
    relation_to_head = SelectField(_l("Relation to the head"), choices=_choices(RELATION_LABELS, RELATIONS),
                                   default="other")
    cccd = StringField(_l("CCCD number"), validators=[Optional(), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})
    bhxh_code = StringField(_l("Social insurance code"), validators=[Optional(), Length(max=20)],
                            render_kw={"inputmode": "numeric", "autocomplete": "off"})
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    ethnicity = StringField(_l("Ethnicity"), validators=[Optional(), Length(max=40)])
    nationality = StringField(_l("Nationality"), validators=[Optional(), Length(max=40)],
                              render_kw={"placeholder": "Việt Nam"})
    contact_address = StringField(_l("Contact address (if not where they live)"),
                                  validators=[Optional(), Length(max=300)])
    ethnic_minority = BooleanField(_l("Ethnic minority"))
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=120)])
    income_band = SelectField(_l("Monthly income"), choices=_choices(INCOME_LABELS, INCOME_BANDS, blank=True),
                              default="")
    tags = MultiCheckboxField(_l("Potential groups"),
                              choices=[SelectChoice(t, TAG_LABELS[t]) for t in POTENTIAL_GROUPS])
    bhxh_tn_status = SelectField(_l("Voluntary social insurance"), choices=_choices(STATUS_LABELS, BHXH_TN_STATUSES),
                                 default="never")
    paid_until = VNDateField(_l("Paid until"), validators=[Optional()])
    bhyt_expires_on = VNDateField(_l("Health insurance card valid until"), validators=[Optional()])
    compulsory_insured = BooleanField(_l("Has compulsory social insurance"))
    version = HiddenField()

    normalisers = {"full_name": normalise.person_name, "cccd": normalise.cccd, "bhxh_code": normalise.bhxh_code,
                   "phone": normalise.phone, "date_of_birth": _optional_birth_date, "ethnicity": _optional_text,
                   "occupation": _optional_text, "nationality": _optional_text, "contact_address": _optional_text}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = kwargs.get("obj")
        if person is not None and not self.date_of_birth.raw_data:
            self.date_of_birth.year_only = bool(person.birth_year_only)

    def validate_paid_until(self, field):
        """A paid-until date only makes sense for someone who joined."""
        if field.data and self.bhxh_tn_status.data == "never":
            raise ValidationError(_l("Someone who never joined has no paid-until date; change the status."))

    def values(self) -> dict:
        """Every person column the form sets, clean."""
        return {
            "full_name": self.clean["full_name"], "sex": self.sex.data or None,
            "date_of_birth": self.clean["date_of_birth"],
            "birth_year_only": bool(self.clean["date_of_birth"] and self.date_of_birth.year_only),
            "nationality": self.clean["nationality"], "contact_address": self.clean["contact_address"],
            "relation_to_head": self.relation_to_head.data,
            "cccd": self.clean["cccd"], "bhxh_code": self.clean["bhxh_code"], "phone": self.clean["phone"],
            "ethnicity": self.clean["ethnicity"], "ethnic_minority": bool(self.ethnic_minority.data),
            "occupation": self.clean["occupation"], "income_band": self.income_band.data or None,
            "bhxh_tn_status": self.bhxh_tn_status.data, "paid_until": self.paid_until.data,
            "bhyt_expires_on": self.bhyt_expires_on.data, "compulsory_insured": bool(self.compulsory_insured.data),
        }


class BulkTagForm(FlaskForm):
    """Add or remove a potential-group tag on the people ticked in the results."""

    person = SelectMultipleField(coerce=int, validate_choice=False)
    tag = SelectField(_l("Potential group"), choices=[SelectChoice(t, TAG_LABELS[t]) for t in POTENTIAL_GROUPS])
    action = SelectField(choices=[SelectChoice("add", _l("Add")), SelectChoice("remove", _l("Remove"))])
    next = HiddenField()
