"""The ``geo`` blueprint (pages of `portal.communes`); the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("geo", __name__, url_prefix="/geo")
