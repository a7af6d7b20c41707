"""Administrative geography: provinces, communes, hamlets."""

from flask import Blueprint

bp = Blueprint("geo", __name__, url_prefix="/geo")
