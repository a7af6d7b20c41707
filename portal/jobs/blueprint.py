"""The ``jobs`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
