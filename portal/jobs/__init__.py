"""Background jobs (big print runs) with a local process pool or RQ."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
