"""Blueprint of the offline app. No URL prefix: the service worker and the manifest must sit at the root so the
worker's scope is the whole portal; the other pages live under ``/offline``."""

from flask import Blueprint

bp = Blueprint("offline", __name__)
