"""Core pages: home, health check, language choice; and the shared web machinery."""

from flask import Blueprint

bp = Blueprint("core", __name__)
