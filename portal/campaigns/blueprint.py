"""The ``campaigns`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
