"""A long run of invitations is printed as form letters (stamp.py): the same pages as letters laid out whole."""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image, ImageChops
from pypdf import PdfReader

from portal.extensions import db
from portal.printing import documents, renderer
from portal.printing.fetcher import qr_url

from .. import factories
from .helpers import pdf_pages, to_png

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once

LONG_ADDRESS = ("Nhà số 1234, ngõ 56 ngách 78 hẻm 90, đường Nguyễn Thị Minh Khai kéo dài qua cầu Bến Lức, khu tái "
                "định cư số 3 phía sau chợ đầu mối nông sản, cạnh trạm biến áp, đối diện ủy ban nhân dân phường cũ, "
                "rẽ trái ở cây xăng thứ hai rồi đi thẳng khoảng ba trăm mét, gần trường mầm non Hoa Sen")


def _invite(world, rows: list[tuple[str, str, object]]) -> None:
    from portal.results.services import invite

    for name, address, agent in rows:
        household, _ = factories.make_household(world.own.hamlet, name, address=address)
        invite(world.own.event, household.id, agent_id=agent.id)
    db.session.commit()


def _letters(world) -> dict:
    second = factories.make_agent(world.own.office, name="Lò Văn Pọm")
    _invite(world, [("Lê Văn An", "Nhà 40", world.own.agent), ("Hà Thị Mai", "Nhà 41", second),
                    ("Ksor H'Ben", "Nhà 42", world.own.agent), ("Nguyễn Thị Phương Thảo Nguyên", LONG_ADDRESS,
                                                               second),
                    ("Đỗ Văn Ánh", "Nhà 43", second)])
    return documents.invitations(world.own.event, "https://portal.example/")


def _difference(first: Image.Image, second: Image.Image) -> float:
    """The share of pixels that differ between two pictures of a page."""
    diff = ImageChops.difference(first.convert("L"), second.convert("L")).point(lambda v: 255 if v > 48 else 0)
    return sum(diff.histogram()[255:]) / (diff.width * diff.height)


def test_form_letters_look_like_letters_laid_out_whole(app, world, tmp_path, monkeypatch):
    context = _letters(world)
    r = renderer()
    monkeypatch.setattr(r, "processes", 1)  # in this process (the render processes run the same functions: see
    monkeypatch.setattr(r, "parallel_min_pages", 100)  # the job tests); render_pdf lays the letters out whole
    stamped = tmp_path / "stamped.pdf"
    assert r.render_to_file("invitations.html", context, stamped, per_chunk=2) == len(context["letters"])
    whole = r.render_pdf("invitations.html", context, use_cache=False)
    reader = PdfReader(io.BytesIO(stamped.read_bytes()))
    forms = {x.idnum for page in reader.pages for x in page["/Resources"]["/XObject"].values()
             if x.get_object().get("/Subtype") == "/Form"}
    assert forms, "no page was drawn over a background"
    ours = to_png(stamped.read_bytes(), tmp_path, "stamped", dpi=50)
    theirs = to_png(whole, tmp_path, "whole", dpi=50)
    assert len(ours) == len(theirs) == len(context["letters"])
    for n, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert _difference(Image.open(a), Image.open(b)) < 0.001, f"letter {n + 1} differs"


def test_many_letters_printed_in_the_request_are_form_letters_too(client, auth, world):
    from .helpers import invite_many

    invite_many(world.own.event, world.own.hamlet, [f"Nguyễn Văn {n}" for n in range(14)], world.own.agent)
    auth.login(world.users["local_officer"])
    data = client.get(f"/events/{world.own.event.id}/print/invitations.pdf").data
    reader = PdfReader(io.BytesIO(data))
    count = len(_tokens(world))  # the world's own invitation and these 14
    assert count >= 14 and len(reader.pages) == count
    assert all(any(x.get_object().get("/Subtype") == "/Form" for x in page["/Resources"]["/XObject"].values())
               for page in reader.pages)
    texts = pdf_pages(data)
    assert all("Kính gửi" in t and "GIẤY MỜI" in t.upper() for t in texts)
    assert sorted(int(t.split("Số thứ tự:")[1].split()[0]) for t in texts) == list(range(1, count + 1))


def test_a_letter_whose_address_does_not_fit_is_laid_out_whole(app, world, tmp_path, monkeypatch):
    context = _letters(world)
    r = renderer()
    monkeypatch.setattr(r, "processes", 1)
    target = tmp_path / "letters.pdf"
    r.render_to_file("invitations.html", context, target, per_chunk=10)
    texts = pdf_pages(target.read_bytes())
    long_letter = next(t for t in texts if "Phương Thảo Nguyên" in t)
    assert "Hoa Sen" in " ".join(long_letter.split())  # the whole address, nothing cut
    reader = PdfReader(str(target))
    page = reader.pages[texts.index(long_letter)]
    assert all(x.get_object().get("/Subtype") != "/Form" for x in page["/Resources"]["/XObject"].values())
    assert all("Kính gửi" in t and "GIÁM ĐỐC" in t.upper() for t in texts)  # every letter whole on its page


def test_the_qr_code_is_drawn_where_the_letter_is_laid_out(app, world):
    context = _letters(world)
    letter = context["letters"][0]
    assert letter["qr"].startswith("https://portal.invalid/qr/") and len(letter["qr"]) < 200  # no image inline
    pdf = renderer().render_pdf("invitations.html", {**context, "letters": [letter]}, use_cache=False)
    assert renderer().last_refused == []
    image = next(iter(PdfReader(io.BytesIO(pdf)).pages[0].images)).image.convert("1")
    token_url = next(url for url in [qr_url(f"https://portal.example/checkin/{t}") for t in _tokens(world)]
                     if url == letter["qr"])
    text = token_url.split("/qr/", 1)[1]
    from urllib.parse import unquote

    expected = segno.make(unquote(text), error="m")
    modules = [[bool(v) for v in row] for row in expected.matrix]
    size = len(modules)
    assert image.size == (size + 2, size + 2)  # one pixel per module and a border of one
    drawn = [[image.getpixel((x + 1, y + 1)) == 0 for x in range(size)] for y in range(size)]
    assert drawn == modules


def _tokens(world) -> list[str]:
    from portal.results.models import Invitation

    return list(db.session.scalars(db.select(Invitation.token).where(Invitation.event_id == world.own.event.id)))
