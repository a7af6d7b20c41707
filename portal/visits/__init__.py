"""Pre-visit lists and the agents' field work."""

from . import views, views_agent  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
