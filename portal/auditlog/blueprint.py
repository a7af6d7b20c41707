"""The ``audit`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
