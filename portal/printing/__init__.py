"""Printing: the only package that imports WeasyPrint. Renderer, restricted URL fetcher, fonts, print templates."""

from .renderer import Renderer, nfc, renderer

__all__ = ["Renderer", "nfc", "renderer"]
