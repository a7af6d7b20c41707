"""The ``auth`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

# No url_prefix: /login and /logout sit at the root.
bp = Blueprint("auth", __name__)
