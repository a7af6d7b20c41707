"""Events: outreach conferences, trainings, door-to-door days; scheduling and the event page."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
