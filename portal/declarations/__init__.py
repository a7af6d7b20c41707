"""Hand-off to the declaration systems: D05-TS and D03-TS lists from confirmed sign-ups."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
