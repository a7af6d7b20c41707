"""Printing: the only package that imports WeasyPrint. Renderer, restricted URL fetcher, fonts, print templates."""

from . import views, views_jobs, views_lists, views_retention  # noqa: F401  (register their routes on bp)
from .blueprint import bp
from .renderer import Renderer, nfc, renderer

__all__ = ["Renderer", "bp", "nfc", "renderer"]
