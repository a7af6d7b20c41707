"""The ``policy`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("policy", __name__, url_prefix="/policy")
