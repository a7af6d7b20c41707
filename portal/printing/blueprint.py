"""The ``documents`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

# No url_prefix: its documents hang under the page they print (/events/<id>/print/..., /households/due.pdf).
bp = Blueprint("documents", __name__)
