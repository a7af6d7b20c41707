"""Attendance, sign-ups and event results."""

from flask import Blueprint

bp = Blueprint("results", __name__)

from . import views, views_signups  # noqa: E402,F401
