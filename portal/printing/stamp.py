"""Form letters: a long run of letters that differ only in a few places, laid out once and stamped.

A template marks what changes from one letter to the next with the class ``var`` and a ``data-slot`` name, and
gives those parts a fixed size, so that nothing around them moves (invitations.html: the row number, and the
addressee beside the QR code). For each group of letters that share everything else (the invitations of one
collection agent), one letter is laid out with those parts hidden: its page is the group's background, and its
layout tells where each slot is and how tall it may be. The letters themselves are then laid out as their slots
only, each at its place, and every page is drawn over its background, stored once per part as a PDF form.

A letter whose slot would not fit its place (an address of five lines) is reported, and laid out whole instead.

The same idea serves two more documents: a report table's header, laid out once and drawn on every page the
table spans; and the sign-up sheet's blocks, one form per shape of block (``lay_out_forms``) drawn under each
block, whose values drawn.py writes in. The functions here run in the render processes (see pool.py) or in
this one.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

from . import drawn
from .pool import Part, render_document

#: How much taller than its place a slot may lay out (CSS px) before the letter is laid out whole.
TOLERANCE = 0.01


@dataclass
class Background:
    """The page of a group of letters without their slots, and each slot's place: name -> [left, top, width,
    height] in CSS px from the letter's top-left corner."""

    pdf: bytes
    slots: dict[str, list[float]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _slot_boxes(page) -> list[tuple[str, object]]:
    """The principal box of each slot of a page (anonymous boxes share their parent's element: first wins)."""
    seen, found = set(), []
    for box in page._page_box.descendants():  # noqa: SLF001 - WeasyPrint's laid-out page, read only
        element = getattr(box, "element", None)
        name = element.get("data-slot") if element is not None else None
        if name and id(element) not in seen:
            seen.add(id(element))
            found.append((name, box))
    return found


def _letter_origin(page) -> tuple[float, float]:
    for box in page._page_box.descendants():  # noqa: SLF001
        element = getattr(box, "element", None)
        if element is not None and element.tag == "section" and "letter" in (element.get("class") or "").split():
            return box.content_box_x(), box.content_box_y()
    raise ValueError("no letter on the page")


def background(html: str, static_folders=None, font_config=None) -> Background:
    """Lay out one letter whose slots are hidden: its page, and where its slots are."""
    started = time.process_time()
    document, refused = render_document(html, static_folders, font_config)
    if len(document.pages) != 1:
        raise ValueError(f"a form letter's background must be one page, not {len(document.pages)}")
    page = document.pages[0]
    left, top = _letter_origin(page)
    slots = {name: [box.border_box_x() - left, box.border_box_y() - top, box.width, box.border_height()]
             for name, box in _slot_boxes(page)}
    return Background(pdf=document.write_pdf(), slots=slots, refused=refused,
                      seconds=time.process_time() - started)


def letters(html: str, backgrounds: list[bytes], groups: list[int], limits: dict[str, float], static_folders=None,
            font_config=None) -> Part:
    """Lay out letters made of their slots only (one page each), check that every slot kept within its height
    (``limits``), and draw each page over the background of its group (``groups[i]`` indexes ``backgrounds``).
    ``Part.overflow`` lists the letters (0-based) whose slots did not fit: their pages must be replaced."""
    started = time.process_time()
    document, refused = render_document(html, static_folders, font_config)
    if len(document.pages) != len(groups):
        raise ValueError(f"{len(groups)} letters laid out on {len(document.pages)} pages")
    overflow = [index for index, page in enumerate(document.pages)
                if any(box.border_height() > limits.get(name, 0) + TOLERANCE for name, box in _slot_boxes(page))]
    pdf = stamp(document.write_pdf(), backgrounds, groups)
    return Part(pdf=pdf, pages=len(document.pages), refused=refused, seconds=time.process_time() - started,
                overflow=overflow)


def stamp(pdf: bytes, backgrounds: list[bytes], groups: list[int]) -> bytes:
    """Draw page ``i`` of ``pdf`` over page 1 of ``backgrounds[groups[i]]``, each background kept once as a
    form XObject that the pages share."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    forms: dict[int, object] = {}
    for index, page in enumerate(writer.pages):
        group = groups[index]
        if group not in forms:
            source = PdfReader(io.BytesIO(backgrounds[group])).pages[0]
            form = StreamObject()
            form.set_data(source.get_contents().get_data())
            form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                         NameObject("/BBox"): ArrayObject(source.mediabox),
                         NameObject("/Resources"): source["/Resources"].clone(writer)})
            forms[group] = writer._add_object(form.flate_encode())  # noqa: SLF001 - pypdf's way to add one
        name = NameObject(f"/Bg{group}")
        # WeasyPrint's pages share one resource dictionary: the background is added to it in place, so that it
        # stays one object (set on a page, it would be written again with every page).
        if page.get("/Resources") is None:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if resources.get("/XObject") is None:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = forms[group]
        under = DecodedStreamObject()
        under.set_data(f"q {name} Do Q\n".encode())
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        existing = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(under), *existing])  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def splice(pdf: bytes, replacements: bytes, pages: list[int]) -> bytes:
    """``pdf`` with its pages ``pages`` (0-based, in order) replaced by the pages of ``replacements``."""
    from pypdf import PdfReader, PdfWriter

    original, spare = PdfReader(io.BytesIO(pdf)), PdfReader(io.BytesIO(replacements))
    taken = dict(zip(pages, spare.pages, strict=True))
    writer = PdfWriter()
    for index, page in enumerate(original.pages):
        writer.add_page(taken.get(index, page))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Report tables: the header of a table is the same on every page the table spans. It is laid out once (a page
# per table, see report_table.html ``headers_only``), and the pages carry an empty box of its size (marked
# ``data-stamp`` with the table's number) over which it is drawn as a shared form.

#: CSS px to PDF points.
_PX = 0.75


def _boxes(page, attribute: str) -> list[tuple[str, object]]:
    """(value, principal box) of each element of a page that has ``attribute``."""
    seen, found = set(), []
    for box in page._page_box.descendants():  # noqa: SLF001 - WeasyPrint's laid-out page, read only
        element = getattr(box, "element", None)
        value = element.get(attribute) if element is not None else None
        if value is not None and id(element) not in seen:
            seen.add(id(element))
            found.append((value, box))
    return found


def _marked_boxes(page, attribute: str) -> list[tuple[str, float, float]]:
    """(value, left, top) of each box of a page whose element has ``attribute``, in CSS px."""
    return [(value, box.border_box_x(), box.border_box_y()) for value, box in _boxes(page, attribute)]


def stamped(html: str, headers: bytes | None, bodies: dict | None = None, forms: tuple | None = None,
            static_folders=None, font_config=None) -> Part:
    """Lay out a document whose repeated headers are empty boxes (``data-stamp``: page of ``headers``), whose
    grid bodies are empty boxes (``data-body``: key of ``bodies``, see drawn.py) and whose blocks are empty
    boxes (``data-form``: key of the items of ``forms`` = (the forms' PDF, items), each item the page of its
    form and its lines); draw each header and form in its box and write the lines into theirs."""
    started = time.process_time()
    document, refused = render_document(html, static_folders, font_config)
    places = [[(int(n), x * _PX, y * _PX) for n, x, y in _marked_boxes(page, "data-stamp")]
              for page in document.pages] if headers else []
    written = [[(bodies[key], x * _PX, y * _PX) for key, x, y in _marked_boxes(page, "data-body")]
               for page in document.pages] if bodies else [[] for _page in document.pages]
    shapes = []
    if forms:
        items = forms[1]
        for index, page in enumerate(document.pages):
            boxes = _marked_boxes(page, "data-form")
            shapes.append([(items[key]["form"], x * _PX - _BLEED, y * _PX - _BLEED) for key, x, y in boxes])
            written[index] += [(items[key], x * _PX, y * _PX) for key, x, y in boxes]
    pdf = document.write_pdf()
    if any(places):
        pdf = place_forms(pdf, headers, places)
    if any(shapes):
        pdf = place_forms(pdf, forms[0], shapes, prefix="Fm")
    if any(written):
        pdf = drawn.write(pdf, written)
    return Part(pdf=pdf, pages=len(document.pages), refused=refused, seconds=time.process_time() - started)


@dataclass
class Forms:
    """The forms of a document's blocks, one page each cropped to its block, and each form's geometry: its
    height and its slots (name -> [left, top, width, height]), in mm from the block's corner."""

    pdf: bytes
    shapes: list[dict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0


_PX_MM = 25.4 / 96
#: How far beyond its block a form is kept (PDF points): the block's outer rules are drawn astride its edges.
_BLEED = 1.0


def lay_out_forms(html: str, static_folders=None, font_config=None) -> Forms:
    """Lay out a document of one block per page (its block marked ``data-origin``, its slots ``data-slot``):
    each page cropped to its block, with the block's height and its slots' places."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    started = time.process_time()
    document, refused = render_document(html, static_folders, font_config)
    shapes, crops = [], []
    for page in document.pages:
        (_value, block), = _boxes(page, "data-origin")
        x0, y0 = block.border_box_x(), block.border_box_y()
        width, height = block.border_width(), block.border_height()
        slots = {}
        for name, box in _boxes(page, "data-slot"):  # a value's content box; the row number's cell, its padding box
            x, y, w, h = ((box.padding_box_x(), box.padding_box_y(), box.padding_width(), box.padding_height())
                          if name == "row" else (box.content_box_x(), box.content_box_y(), box.width, box.height))
            slots[name] = [(x - x0) * _PX_MM, (y - y0) * _PX_MM, w * _PX_MM, h * _PX_MM]
        shapes.append({"height": height * _PX_MM, "slots": slots})
        crops.append((x0 * _PX - _BLEED, y0 * _PX - _BLEED, width * _PX + 2 * _BLEED, height * _PX + 2 * _BLEED))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document.write_pdf())))
    for page, (x, y, w, h) in zip(writer.pages, crops, strict=True):
        top = float(page.mediabox.height)
        page.mediabox = RectangleObject([x, top - y - h, x + w, top - y])
    out = io.BytesIO()
    writer.write(out)
    return Forms(pdf=out.getvalue(), shapes=shapes, refused=refused, seconds=time.process_time() - started)


def place_forms(pdf: bytes, sources: bytes, places: list[list[tuple[int, float, float]]], prefix: str = "Hd"
                ) -> bytes:
    """Draw page ``n`` of ``sources`` (kept once as a form XObject, cut to its media box) with its top-left
    corner at each (n, left, top) of ``places[i]`` (PDF points from the page's top-left corner) on page ``i`` of
    ``pdf``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    reader = PdfReader(io.BytesIO(sources))
    forms: dict[int, tuple[object, float]] = {}
    for index, page in enumerate(writer.pages):
        if not places[index]:
            continue
        if page.get("/Resources") is None:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if resources.get("/XObject") is None:
            resources[NameObject("/XObject")] = DictionaryObject()
        height = float(page.mediabox.height)
        ops = []
        for number, left, top in places[index]:
            if number not in forms:
                source = reader.pages[number]
                form = StreamObject()
                form.set_data(source.get_contents().get_data())
                form.update({NameObject("/Type"): NameObject("/XObject"),
                             NameObject("/Subtype"): NameObject("/Form"),
                             NameObject("/BBox"): ArrayObject(source.mediabox),
                             NameObject("/Resources"): source["/Resources"].clone(writer)})
                box = source.mediabox  # the form's top-left corner goes to (left, top)
                forms[number] = (writer._add_object(form.flate_encode()), (float(box.left), float(box.top)))  # noqa: SLF001
            form, (x0, y1) = forms[number]
            name = NameObject(f"/{prefix}{number}")
            resources["/XObject"].get_object()[name] = form  # the pages' shared resources (see stamp())
            ops.append(f"q 1 0 0 1 {left - x0:.3f} {height - top - y1:.3f} cm {name} Do Q")
        under = DecodedStreamObject()
        under.set_data(("\n".join(ops) + "\n").encode())
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        existing = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(under), *existing])  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
