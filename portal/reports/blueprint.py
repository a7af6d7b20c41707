"""The ``reports`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
