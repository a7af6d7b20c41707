"""Medical facilities for initial registration under health insurance (cơ sở KCB ban đầu)."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
