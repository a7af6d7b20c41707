"""Pre-visit lists and the agents' field work."""

from flask import Blueprint

bp = Blueprint("visits", __name__)
