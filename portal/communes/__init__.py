"""The pages of the geography: communes (with the office and the agents that serve them) and their hamlets.

The places themselves (provinces, communes, hamlets, the national list and its loading) are `portal.geo`, below
the offices and agents of `portal.org`; these pages show both, so they sit above org. Their blueprint keeps the
name ``geo`` and the URLs under ``/geo``.
"""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
