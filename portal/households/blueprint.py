"""The ``households`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("households", __name__, url_prefix="/households")
