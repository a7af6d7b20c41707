"""The ``core`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

# No url_prefix: the home page is /, the health checks /healthz and /readyz (probed by the balancer).
bp = Blueprint("core", __name__)
