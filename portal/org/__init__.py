"""Organisation: BHXH offices, agent organisations, collection agents."""

from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")
