"""Background jobs (big print runs) with a local process pool or RQ."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)
