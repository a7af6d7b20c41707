"""The ``org`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")
