"""The ``facilities`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("facilities", __name__, url_prefix="/facilities")
