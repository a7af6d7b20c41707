"""The ``results`` blueprint; the view modules of the package register their routes on it."""

from flask import Blueprint

# No url_prefix: its pages hang under an event; /checkin/<token> is printed on invitations as a QR code.
bp = Blueprint("results", __name__)
