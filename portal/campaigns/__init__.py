"""Campaigns (the May campaign month, waves) and their targets."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
