"""The ``enrolments`` blueprint: sign-ups outside events, the receipt register, and the office's batches."""

from flask import Blueprint

bp = Blueprint("enrolments", __name__, url_prefix="/enrolments")
