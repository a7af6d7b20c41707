"""Attendance, sign-ups and event results."""

from flask import Blueprint

bp = Blueprint("results", __name__)
