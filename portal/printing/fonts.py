"""The fonts printed documents use, measured in Python so that lists can be laid out before WeasyPrint runs.

Documents are set in Liberation Serif (metric-compatible with Times New Roman, Decree 30/2020). Only version 2
of it (Debian's fonts-liberation2) has the Vietnamese letters with stacked marks (ơ, ư, ạ, ễ …); with version 1
Pango fills them in from DejaVu Serif, which prints but mixes two typefaces inside a word. :func:`coverage`
says which case the machine is in.

Widths come from the font's advance widths (no kerning), which is close enough to decide whether a name fits
its column or needs a smaller size; callers keep a small margin.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

FAMILY = "Liberation Serif"
#: Vietnamese letters that Liberation Serif 1.x lacks.
VIETNAMESE_SAMPLE = "ơưƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
_PT_TO_MM = 25.4 / 72
_FALLBACK_ADVANCE = 0.6  # em, for a letter the font lacks (DejaVu Serif is wider than Liberation Serif)
_STYLES = {"regular": "", "bold": ":bold", "italic": ":italic", "bolditalic": ":bold:italic"}
_GUESSES = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]
_FILE_NAMES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
               "italic": "LiberationSerif-Italic.ttf", "bolditalic": "LiberationSerif-BoldItalic.ttf"}


@cache
def font_file(style: str = "regular") -> Path | None:
    """The file fontconfig gives for the documents' family in a style (None if there is none)."""
    exe = shutil.which("fc-match")
    if exe:
        try:  # fixed arguments, no user input
            out = subprocess.run([exe, "-f", "%{file}", FAMILY + _STYLES[style]], capture_output=True,  # noqa: S603
                                 text=True, timeout=5, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and "liberationserif" in Path(out).name.lower():
            return Path(out)
    for folder in _GUESSES:
        candidate = folder / _FILE_NAMES[style]
        if candidate.is_file():
            return candidate
    return None


class Metrics:
    """Advance widths of one font file, in em."""

    def __init__(self, path: Path | None):
        self.widths: dict[int, float] = {}
        self.ascent, self.descent = 0.891, 0.216
        if path is None:
            return
        from fontTools.ttLib import TTFont

        font = TTFont(str(path), lazy=True)
        per_em = font["head"].unitsPerEm
        advances = font["hmtx"].metrics
        for code, glyph in font.getBestCmap().items():
            self.widths[code] = advances[glyph][0] / per_em
        self.ascent = font["hhea"].ascent / per_em
        self.descent = -font["hhea"].descent / per_em
        font.close()

    def em(self, text: str) -> float:
        """Width of a text in em."""
        widths = self.widths
        return sum(widths.get(ord(c), _FALLBACK_ADVANCE) for c in text)

    def mm(self, text: str, size_pt: float) -> float:
        """Width of a text set at ``size_pt`` points, in millimetres."""
        return self.em(text) * size_pt * _PT_TO_MM

    def covers(self, text: str) -> bool:
        """Whether the font has every letter of a text."""
        return all(ord(c) in self.widths for c in text if not c.isspace())


@cache
def metrics(style: str = "regular") -> Metrics:
    """The metrics of the documents' font in a style (loaded once per process)."""
    return Metrics(font_file(style))


def coverage() -> dict:
    """Which font file prints documents and whether it has every Vietnamese letter."""
    path = font_file("regular")
    complete = path is not None and metrics("regular").covers(VIETNAMESE_SAMPLE)
    return {"file": str(path) if path else None, "vietnamese": complete}


def break_lines(text: str, width_mm: float, size_pt: float, style: str = "regular") -> tuple[list[str], int]:
    """A text broken at spaces into the lines of a box ``width_mm`` wide, and how many lines they take (at least
    one): a word longer than a line stays whole in the text and runs over as many more lines as it needs."""
    m = metrics(style)
    lines: list[list[str]] = [[]]
    count, current = 1, 0.0
    space = m.mm(" ", size_pt)
    for word in text.split():
        w = m.mm(word, size_pt)
        if current and current + space + w > width_mm:
            lines.append([word])
            count += 1
            current = w
        else:
            lines[-1].append(word)
            current = current + space + w if current else w
        while current > width_mm:  # a word longer than the line breaks anywhere
            count += 1
            current -= width_mm
    return [" ".join(words) for words in lines if words], count


def wrap_lines(text: str, width_mm: float, size_pt: float, style: str = "regular") -> int:
    """How many lines a text takes in a box ``width_mm`` wide, breaking at spaces (at least one)."""
    return break_lines(text, width_mm, size_pt, style)[1]


def warn_if_incomplete() -> None:
    """Log once when Vietnamese letters will come from a fallback font."""
    info = coverage()
    if not info["vietnamese"]:
        log.warning("%s (%s) lacks Vietnamese letters; install fonts-liberation2 so that documents use one "
                    "typeface", FAMILY, info["file"] or "not installed")
