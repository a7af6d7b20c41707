"""The ``declarations`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("declarations", __name__, url_prefix="/declarations")
