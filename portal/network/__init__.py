"""The outreach network: collection points and their coverage of the hamlets, collaborators, training records."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
