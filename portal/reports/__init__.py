"""Dashboards and reports: progress against targets, funnels, rankings, exports."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
