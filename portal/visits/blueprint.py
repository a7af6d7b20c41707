"""The ``visits`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

# No url_prefix: its pages hang under an event (/events/<id>/previsit) and the agent's /my.
bp = Blueprint("visits", __name__)
