"""Document text: every word of a printed document that is not data (names, places, numbers) comes from the
message catalogue, an English msgid with its Vietnamese msgstr, looked up in the document's locale whatever
language the user reads the pages in. Builders of a document's context are wrapped in ``in_document_locale``;
the print templates are rendered in it (see renderer.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from flask_babel import force_locale, get_locale

#: The language of printed documents (official-style documents are in Vietnamese).
DOCUMENT_LOCALE = "vi"

F = TypeVar("F", bound=Callable)


def in_document_locale(builder: F) -> F:
    """Run a document builder with gettext answering in the document's locale."""

    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        with force_locale(DOCUMENT_LOCALE):
            return builder(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _in_document_locale() -> bool:
    locale = get_locale()
    return locale is not None and str(locale) == DOCUMENT_LOCALE


class DocumentWords(dict):
    """A table of document words (key -> lazy msgid): each lookup answers in the document's locale, as a plain
    string, whatever language the user reads the pages in."""

    def __getitem__(self, key):
        if _in_document_locale():  # inside a document builder already: no locale switch per word
            return str(super().__getitem__(key))
        with force_locale(DOCUMENT_LOCALE):
            return str(super().__getitem__(key))

    def get(self, key, default=None):
        return self[key] if key in self else default
