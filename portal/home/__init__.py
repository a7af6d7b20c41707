"""The home page, liveness and readiness checks, and the language switch."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
