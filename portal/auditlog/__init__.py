"""The audit log page (the log itself, and recording into it, are ``portal.audit``)."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
