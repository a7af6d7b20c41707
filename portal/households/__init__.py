"""Households and people: registry, import, search, coverage and due-payment lists."""

from flask import Blueprint

bp = Blueprint("households", __name__, url_prefix="/households")
