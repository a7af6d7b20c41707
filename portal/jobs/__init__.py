"""Background jobs (big print runs, the analysis and writing of big imports) with a local process pool or RQ."""

from ..core import imports
from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp
from .services import ImportQueue

imports.set_queue(ImportQueue())

__all__ = ["bp"]
