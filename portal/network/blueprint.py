"""The ``network`` blueprint: collection points, their coverage, collaborators and training records."""

from flask import Blueprint

bp = Blueprint("network", __name__, url_prefix="/network")
