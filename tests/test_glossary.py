"""One word for each thing: the Vietnamese texts use the glossary's terms, and a retired synonym fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n.glossary import TERMS, retired_in

pytestmark = pytest.mark.once  # the same whatever the test database (tests/README.md, "Run once")

ROOT = Path(__file__).resolve().parent.parent
TEXT_FOLDERS = ("portal/templates", "portal/printing/templates", "docs/vi")


def _catalogue():
    with open(ROOT / "portal/translations/vi/LC_MESSAGES/messages.po", "rb") as fh:
        return read_po(fh, locale="vi")


def _python_strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and not node.value.isascii():
            yield node.lineno, node.value


def _findings() -> list[str]:
    found = []
    for message in _catalogue():
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for text in strings:
            for word in retired_in(text or ""):
                found.append(f"messages.po, {message.id!r}: “{word}”")
    for folder in TEXT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".html", ".md", ".css", ".txt"):
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    found += [f"{path.relative_to(ROOT)}:{n}: “{word}”" for word in retired_in(line)]
    for path in sorted((ROOT / "portal").rglob("*.py")):
        if path.name == "glossary.py":
            continue
        for n, text in _python_strings(path):
            found += [f"{path.relative_to(ROOT)}:{n}: “{word}”" for word in retired_in(text)]
    return found


def test_no_retired_synonym_in_any_vietnamese_text():
    found = _findings()
    assert not found, "Retired terms (see portal/i18n/glossary.py):\n" + "\n".join(found)


def test_the_check_finds_a_retired_synonym_in_any_case():
    assert retired_in("Mang theo Căn cước công dân.") == ["căn cước công dân"]
    assert retired_in("Mức thu nhập lựa chọn hằng tháng") == ["mức thu nhập lựa chọn"]
    assert retired_in("Sự kiện mới") == ["sự kiện"]
    assert retired_in("Thẻ căn cước; hội nghị; mức thu nhập tháng làm căn cứ đóng") == []


def test_no_term_retires_another_terms_word():
    for term in TERMS:
        assert not retired_in(term.preferred), term.preferred


def test_other_has_a_context_where_it_names_a_participant():
    other = {(m.context, m.string) for m in _catalogue() if m.id == "Other"}
    assert other == {(None, "Khác"), ("participant category", "Người tham gia khác")}
