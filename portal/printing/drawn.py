"""The rows of planned grids (layout.py) written straight into the PDF, in the documents' font.

WeasyPrint spends most of a long list's time on its lines: laying out and drawing one costs about 0.4 ms, and
a province's commune report has some 5,000 of them (18 landscape pages of 17 columns), two seconds of CPU. The
rows need none of that work: the planner already decided every line's place, size and breaks, in one font
(Liberation Serif) whose advance widths it knows (fonts.py). So such a document is laid out with each grid's
body as an empty box of its size (marked ``data-body``), and the lines are then written into the page's content
as text set in a subset of the font embedded with the part: the same places, sizes, alignments, wrapping and
clipping as the CSS of ``_macros.html`` (``grid_css``) gives them, and the text stays searchable and copyable
(each glyph mapped back to its letter).

The sign-up sheet's values are written the same way into the forms of its blocks (stamp.lay_out_forms,
layout_signup.form_lines: ``draw_lines``).

A document with a letter the font lacks is laid out by WeasyPrint as before (it finds another font for that
letter): see :func:`drawable`. The functions here run in the render processes (pool.py) or in this one.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zlib
from functools import lru_cache

from . import fonts
from .layout import CELL_PAD_MM, GRID_CLASSES, PT

#: A grid line's classes (layout.py ``GRID_CLASSES``): one-line sizes, wrapped blocks, bold.
_SIZES = {name: spec["size"] for name, spec in GRID_CLASSES.items() if "lines" not in spec}
_BLOCKS = {name: spec for name, spec in GRID_CLASSES.items() if "lines" in spec}
#: Letters kept in every subset (so that the subset, made once per process, serves most documents).
REPERTOIRE = "".join(chr(c) for c in [*range(0x20, 0x7F), 0xA0, 0xB0, 0xB7, 0xD7, *range(0xC0, 0x100),
                                       0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1A0, 0x1A1, 0x1AF,
                                       0x1B0, *range(0x1EA0, 0x1EFA), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
                                       0x2022, 0x2026, 0x2116])
_BASE = frozenset(REPERTOIRE)
_STYLES = ("regular", "bold")
logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter reports every table at INFO
_MM_PT = 72 / 25.4
_SPACES = {ord(c): " " for c in "\t\n\r\x0b\x0c\x85\u2028\u2029"}


def bodies_of(planned: dict) -> dict[str, dict]:
    """The grid bodies of a planned document (layout.py, layout_report.py), by the key its template gives their
    boxes (``data-body``): "page.part", a part per table on the page (report tables) or one (sheets)."""
    out = {}
    for page in planned["pages"]:
        parts = page.get("parts")
        if parts is None:  # a sheet: one grid
            parts = [{**page, "grid": planned["grid"]}]
        for k, part in enumerate(parts):
            if not part["rows"]:
                continue
            grid = part.get("grid") or planned["grids"][part["table"]]
            row = grid.get("row") or planned["row"]
            out[f"{page['number']}.{k}"] = {"columns": part["columns"], "offsets": grid["offsets"],
                                             "widths": grid["widths"], "aligns": grid["aligns"],
                                             "sizes": grid["sizes"], "row": row, "height": part["units"] * row}
    return out


def _chars(items: dict) -> set[str]:
    found: set[str] = set()
    for item in items.values():
        for cells in item.get("columns", ()):
            for text, _fit in cells:
                found.update(text)
        for line in item.get("lines", ()):
            found.update(line[0])
    return found


def drawable(items: dict) -> bool:
    """Whether every letter of the items (grid bodies, forms' lines) is in the documents' font (in both styles)
    and stands alone (no combining mark left after NFC)."""
    chars = {c for c in _chars(items) if not c.isspace()}
    return all(fonts.metrics(style).covers("".join(chars)) for style in _STYLES) and not any(
        0x300 <= ord(c) <= 0x36F for c in chars)


class _Font:
    """A subset of one style of the documents' font, ready to embed: the font program, glyph ids, widths."""

    def __init__(self, style: str, chars: frozenset[str]):
        from fontTools import subset
        from fontTools.ttLib import TTFont

        path = fonts.font_file(style)
        if path is None:
            raise RuntimeError("the documents' font is not installed")
        font = TTFont(str(path))
        cmap = font.getBestCmap()
        self.per_em = font["head"].unitsPerEm
        self.gid = {c: font.getGlyphID(cmap[ord(c)]) for c in chars if ord(c) in cmap}
        advances = font["hmtx"].metrics
        order = font.getGlyphOrder()
        self.widths = {g: round(advances[order[g]][0] * 1000 / self.per_em) for g in set(self.gid.values())}
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        scale = 1000 / self.per_em
        self.descriptor = {"bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
                           "ascent": round(hhea.ascent * scale), "descent": round(hhea.descent * scale),
                           "cap": round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
                           "italic": style in ("italic", "bolditalic")}
        self.name = font["name"].getDebugName(6) or "LiberationSerif"
        options = subset.Options()
        options.retain_gids = True  # glyph ids stay those of the whole font (CIDToGIDMap /Identity)
        options.notdef_outline = True
        options.layout_features = []
        options.name_IDs = []
        options.name_languages = []
        options.hinting = False
        options.glyph_names = False
        options.drop_tables += ["DSIG", "GPOS", "GSUB", "GDEF", "kern", "FFTM"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(chars)))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        font.close()
        self.program = out.getvalue()
        self.packed = zlib.compress(self.program, 6)
        digest = hashlib.sha256(f"{style}:{''.join(sorted(chars))}".encode()).digest()
        self.tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])  # the subset's tag (PDF 9.9.2)

    def hex(self, text: str) -> str:
        gid = self.gid
        return "".join(f"{gid.get(c, 0):04X}" for c in text)

    def to_unicode(self) -> bytes:
        pairs = sorted((g, c) for c, g in self.gid.items())
        seen: dict[int, str] = {}
        for g, c in pairs:
            seen.setdefault(g, c)
        entries = [f"<{g:04X}> <{c.encode('utf-16-be').hex().upper()}>" for g, c in sorted(seen.items())]
        blocks = []
        for start in range(0, len(entries), 100):
            chunk = entries[start:start + 100]
            blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
        return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(blocks)
                + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()

    def w_array(self) -> list:
        """The /W array: runs of consecutive glyph ids with their widths."""
        out: list = []
        run: list[int] = []
        first = previous = None
        for g in sorted(self.widths):
            if previous is not None and g == previous + 1:
                run.append(self.widths[g])
            else:
                if run:
                    out += [first, run]
                first, run = g, [self.widths[g]]
            previous = g
        if run:
            out += [first, run]
        return out


@lru_cache(maxsize=8)
def _font(style: str, chars: frozenset[str]) -> _Font:
    return _Font(style, chars)


def font_for(style: str, chars: set[str]) -> _Font:
    """The subset of a style for these letters: the repertoire's (made once per process) when it has them."""
    return _font(style, _BASE if chars <= _BASE else _BASE | frozenset(chars))


def prepare() -> None:
    """Make the repertoire's subsets now (a render process does it when it starts)."""
    if all(fonts.font_file(style) is not None for style in _STYLES):
        for style in _STYLES:
            font_for(style, set())


def break_text(text: str, width_mm: float, size: float, style: str = "regular", anywhere: bool = True
               ) -> list[str]:
    """A text broken at spaces into lines of ``width_mm`` (a word longer than a line broken anywhere when
    ``anywhere``, else left to run over and be clipped)."""
    m = fonts.metrics(style)
    space = m.mm(" ", size)
    lines: list[str] = []
    current, used = "", 0.0
    for word in text.split():
        w = m.mm(word, size)
        if current and used + space + w <= width_mm:
            current, used = f"{current} {word}", used + space + w
            continue
        if current:
            lines.append(current)
        current, used = word, w
        while anywhere and used > width_mm and len(current) > 1:
            cut = 1
            while cut < len(current) and m.mm(current[:cut + 1], size) <= width_mm:
                cut += 1
            lines.append(current[:cut])
            current = current[cut:]
            used = m.mm(current, size)
    if current or not lines:
        lines.append(current)
    return lines


class _Page:
    """The text operators of one page's grid bodies."""

    def __init__(self, height_pt: float, fonts_of: dict[str, _Font]):
        self.height = height_pt
        self.fonts = fonts_of
        self.ops: list[str] = []

    def text(self, text: str, style: str, size: float, x_mm: float, baseline_mm: float) -> None:
        font = self.fonts[style]
        name = "/GdB" if style == "bold" else "/GdR"
        self.ops.append(f"BT {name} {size:g} Tf 1 0 0 1 {x_mm * _MM_PT:.2f} {self.height - baseline_mm * _MM_PT:.2f} "
                        f"Tm <{font.hex(text)}> Tj ET")

    def clip(self, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> None:
        self.ops.append(f"q {x_mm * _MM_PT:.2f} {self.height - (y_mm + h_mm) * _MM_PT:.2f} {w_mm * _MM_PT:.2f} "
                        f"{h_mm * _MM_PT:.2f} re W n")

    def end_clip(self) -> None:
        self.ops.append("Q")


def _baseline(top: float, line: float, size: float) -> float:
    """The baseline of a line of ``size`` pt in a line box ``line`` mm high from ``top`` (CSS half-leading)."""
    m = fonts.metrics("regular")
    return top + (line - (m.ascent + m.descent) * size * PT) / 2 + m.ascent * size * PT


def _aligned(x: float, inner: float, width: float, align: str) -> float:
    if align == "num":
        return x + inner - width
    if align == "center":
        return x + (inner - width) / 2
    return x


def draw_body(page: _Page, body: dict, left: float, top: float) -> None:
    """Write one grid body whose box's top-left corner is at (``left``, ``top``) mm from the page's."""
    row = body["row"]
    height = body["height"]
    for c, cells in enumerate(body["columns"]):
        if not cells:
            continue
        x, width = left + body["offsets"][c], body["widths"][c]
        inner = width - 2 * CELL_PAD_MM
        align = body["aligns"][c]
        column_size = _SIZES.get(body["sizes"][c] or "", 13.0)
        page.clip(x, top, width, height)  # the column's block hides what runs over (overflow: hidden)
        cx = x + CELL_PAD_MM
        y = top - row
        for text, fitted in cells:
            text = text.translate(_SPACES)  # a line break or a tab in a value: a space on its line
            classes = fitted.split()
            block = next((_BLOCKS[k] for k in classes if k in _BLOCKS), None)
            y += row  # the line's top: a taller row's block is one line as high as its rows (layout._page_columns)
            if block is not None and block.get("rows", 1) > 1:
                y += (block["rows"] - 1) * row
                y_block = y - (block["rows"] - 1) * row
            else:
                y_block = y
            if not text or text == "\u00a0":
                continue
            style = "bold" if "b" in classes else "regular"
            if block is None:
                size = next((_SIZES[k] for k in classes if k in _SIZES), column_size)
                w = fonts.metrics(style).mm(text, size)
                page.text(text, style, size, _aligned(cx, inner, w, align), _baseline(y, row, size))
                continue
            size, line, pad = block["size"], block["line"], block["pad"]
            page.clip(cx, y_block, inner, block.get("rows", 1) * row)
            for k, piece in enumerate(break_text(text, inner, size, style, block.get("anywhere", False))):
                w = fonts.metrics(style).mm(piece, size)
                page.text(piece, style, size, _aligned(cx, inner, w, align),
                          _baseline(y_block + pad + k * line, line, size))
            page.end_clip()
        page.end_clip()


def draw_lines(page: _Page, item: dict, left: float, top: float) -> None:
    """Write the lines of a form's values (``item["lines"]``: text, style, size, x and top of its line box in mm
    from the form's corner, line height, and the width it is centred in or 0) at (``left``, ``top``) mm."""
    for text, style, size, x, y, line, centred in item["lines"]:
        if centred:
            x += (centred - fonts.metrics(style).mm(text, size)) / 2
        page.text(text, style, size, left + x, _baseline(top + y, line, size))


def write(pdf: bytes, places: list[list[tuple[dict, float, float]]]) -> bytes:
    """Write grid bodies (``columns``: see draw_body) and the lines of forms (``lines``: see draw_lines) into a
    laid-out PDF: ``places[i]`` lists (item, left, top) of page ``i``, in PDF points from the page's top-left
    corner."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    chars = set()
    for items in places:
        for item, _x, _y in items:
            chars |= _chars({"": item})
    chars = {c for c in chars if not c.isspace() or c == " "}
    subsets = {style: font_for(style, chars) for style in _STYLES}
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))

    def number(v):
        return NumberObject(v) if isinstance(v, int) else FloatObject(v)

    def font_object(style: str, font: _Font):
        program = StreamObject()
        program._data = font.packed  # noqa: SLF001 - already compressed
        program.update({NameObject("/Filter"): NameObject("/FlateDecode"),
                        NameObject("/Length1"): NumberObject(len(font.program))})
        base = NameObject(f"/{font.tag}+{font.name.replace(' ', '')}")
        d = font.descriptor
        descriptor = DictionaryObject({
            NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): base,
            NameObject("/Flags"): NumberObject(6 + (64 if d["italic"] else 0)),
            NameObject("/FontBBox"): ArrayObject([number(v) for v in d["bbox"]]),
            NameObject("/ItalicAngle"): NumberObject(-12 if d["italic"] else 0),
            NameObject("/Ascent"): NumberObject(d["ascent"]), NameObject("/Descent"): NumberObject(d["descent"]),
            NameObject("/CapHeight"): NumberObject(d["cap"]),
            NameObject("/StemV"): NumberObject(120 if style == "bold" else 80),
            NameObject("/FontFile2"): writer._add_object(program)})  # noqa: SLF001
        widths = ArrayObject([ArrayObject([NumberObject(w) for w in item]) if isinstance(item, list)
                              else NumberObject(item) for item in font.w_array()])
        cid = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): base,
            NameObject("/CIDSystemInfo"): DictionaryObject({
                NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
                NameObject("/Supplement"): NumberObject(0)}),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),  # noqa: SLF001
            NameObject("/W"): widths, NameObject("/CIDToGIDMap"): NameObject("/Identity")})
        cmap = StreamObject()
        cmap.set_data(font.to_unicode())
        top = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): base, NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid)]),  # noqa: SLF001
            NameObject("/ToUnicode"): writer._add_object(cmap.flate_encode())})  # noqa: SLF001
        return writer._add_object(top)  # noqa: SLF001

    refs = {}
    for index, page in enumerate(writer.pages):
        if not places[index]:
            continue
        if not refs:
            refs = {style: font_object(style, font) for style, font in subsets.items()}
        if page.get("/Resources") is None:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if resources.get("/Font") is None:
            resources[NameObject("/Font")] = DictionaryObject()
        font_dict = resources["/Font"].get_object()
        font_dict[NameObject("/GdR")] = refs["regular"]
        font_dict[NameObject("/GdB")] = refs["bold"]
        drawn = _Page(float(page.mediabox.height), subsets)
        for item, left, top in places[index]:
            (draw_body if "columns" in item else draw_lines)(drawn, item, left / _MM_PT, top / _MM_PT)
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(("Q\n0 g\n" + "\n".join(drawn.ops) + "\n").encode())
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        existing = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *existing,  # noqa: SLF001
                                                     writer._add_object(after.flate_encode())])  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
