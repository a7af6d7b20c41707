"""Core pages: home, health check, language choice; and the shared web machinery."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from . import views  # noqa: E402,F401
