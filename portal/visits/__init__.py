"""Pre-visit lists and the agents' field work."""

from flask import Blueprint

bp = Blueprint("visits", __name__)

from . import views, views_agent  # noqa: E402,F401
