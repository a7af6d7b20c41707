"""Contribution policy: effective-dated parameters and the calculator."""

from flask import Blueprint

bp = Blueprint("policy", __name__, url_prefix="/policy")
