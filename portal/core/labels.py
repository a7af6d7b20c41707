"""``labels`` in every template: each package's label tables, from its ``labels.py``.

A template writes ``labels.events.STATUS_LABELS[event.status]``; no view passes label tables in its context.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class Labels:
    """``labels.<package>`` is ``portal.<package>.labels``."""

    def __getattr__(self, package: str) -> ModuleType:
        if package.startswith("_"):
            raise AttributeError(package)
        return importlib.import_module(f"portal.{package}.labels")


labels = Labels()
