"""Data protection: a person's data report, data-subject requests, correction and erasure, retention."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")
