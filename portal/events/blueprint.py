"""The ``events`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
