"""Sign-ups outside events (door to door, at a collection point or counter, online) and their confirmation in
batches by the office."""

from . import views_batches, views_entry, views_register  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
