"""The ``retention`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

# No url_prefix: the officers' pages are under /retention, the agent's worklist under the agent's /my.
bp = Blueprint("retention", __name__)
