"""Hand-off to the declaration systems: D05-TS and D03-TS lists from confirmed sign-ups."""

from flask import Blueprint

bp = Blueprint("declarations", __name__, url_prefix="/declarations")
