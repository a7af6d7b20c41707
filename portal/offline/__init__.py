"""The agent's phone works without signal: an installable app, the day's pages kept on the phone, actions queued
there and sent in order when the connection returns (``sync``), each with its result."""

from . import sync, views  # noqa: F401  (register their routes and hooks on bp)
from .blueprint import bp

__all__ = ["bp"]
