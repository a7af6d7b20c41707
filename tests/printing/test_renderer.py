"""The printing module: restricted fetching, NFC text, Vietnamese order and page furniture, the cache."""

from __future__ import annotations

import io
import threading
import unicodedata
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from portal.printing import renderer
from portal.printing.fetcher import BASE_URL, RestrictedFetcher


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _sheet(rows, **extra):
    context = dict(
        title="Danh sách ký tên", subtitle=None, issuer_superior="Bảo hiểm xã hội tỉnh Lào Cai",
        issuer_name="Bảo hiểm xã hội cơ sở Nghĩa Lộ", place="Nghĩa Lộ", date=date(2026, 5, 5),
        facts=[["Địa điểm", "Nhà văn hóa thôn Khe Cam"]],
        columns=[{"label": "STT", "width": 12, "align": "center"}, {"label": "Họ và tên", "width": 60},
                 {"label": "Ký tên", "width": 50}],
        rows=rows, blank_rows=3, signatures=["Người lập", "Đại diện BHXH"], note=None, landscape=False,
    )
    context.update(extra)
    return context


@pytest.fixture
def canary_server():
    """A local HTTP server that records every request: nothing may reach it while printing."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_hostile_html_fetches_nothing(app, canary_server, tmp_path):
    url, hits = canary_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    html = f"""<html><head>
      <link rel="stylesheet" href="{url}/a.css"><link rel="attachment" href="file://{secret}">
      <style>@import url("{url}/b.css"); body {{ background: url("file://{secret}") }}</style></head>
      <body><img src="file://{secret}"><img src="{url}/c.png"><object data="file://{secret}"></object>
      <a rel="attachment" href="{url}/d.txt">x</a><img src="https://portal.invalid/static/../../secret.txt">
      <p>Nội dung</p></body></html>"""
    pdf = renderer().html_to_pdf(html)
    assert hits == []
    assert b"TOP-SECRET-CANARY" not in pdf
    assert "/EmbeddedFile" not in pdf.decode("latin-1")


def test_fetcher_serves_only_static_files_and_data_uris(app):
    fetcher = RestrictedFetcher([app.static_folder])
    response = fetcher.fetch(BASE_URL + "static/css/app.css")
    assert response.read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain;base64,SGVsbG8=").read() == b"Hello"
    for url in ("file:///etc/passwd", "http://127.0.0.1/", BASE_URL + "static/../../etc/passwd",
                BASE_URL + "admin", "https://example.com/static/css/app.css", "ftp://x/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) >= 5


def test_user_text_is_escaped_not_interpreted(app, canary_server):
    url, hits = canary_server
    hostile = f'<img src="{url}/x.png"><link rel="attachment" href="file:///etc/passwd">{{{{ 7*7 }}}}'
    pdf = renderer().render_pdf("sheet.html", _sheet([["1", hostile, ""]]), use_cache=False)
    text = "".join(_text(pdf))
    assert hits == []
    shown = text.replace("2026", "").replace(url, "")  # the canary's port may hold a 49
    assert "{{ 7*7 }}" in text and "49" not in shown
    assert '<img src="' in text  # shown as text


def test_text_is_nfc_with_page_numbers_and_repeated_headers(app):
    names = [unicodedata.normalize("NFD", f"Nguyễn Thị Ánh {i}") for i in range(60)]
    rows = [[str(i + 1), name, ""] for i, name in enumerate(names)]
    pdf = renderer().render_pdf("sheet.html", _sheet(rows), use_cache=False)
    pages = _text(pdf)
    assert len(pages) >= 2
    assert all("Họ và tên" in page for page in pages)  # the column header repeats on every page
    assert "Trang" not in "".join(pages)  # Decree 30: a bare number at the top, from page 2
    assert str(len(pages)) in [line.strip() for line in pages[-1].split("\n")]
    joined = "".join(pages)
    assert "Nguyễn Thị Ánh 59" in joined
    assert unicodedata.normalize("NFD", "Ánh") not in joined
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0].upper()
    assert "Nghĩa Lộ, ngày 05 tháng 5 năm 2026" in pages[0]
    # Blank numbered rows follow the listed ones.
    assert "63" in pages[-1]


def test_cache_returns_the_same_document_and_notices_changes(app):
    r = renderer()
    first = r.render_pdf("sheet.html", _sheet([["1", "Lê Văn An", ""]]))
    key = r.cache_key("sheet.html", _sheet([["1", "Lê Văn An", ""]]))
    assert r.cache.exists(f"{key[:2]}/{key}.pdf")
    assert r.render_pdf("sheet.html", _sheet([["1", "Lê Văn An", ""]])) == first
    assert r.cache_key("sheet.html", _sheet([["1", "Lê Văn Bình", ""]])) != key


def test_context_must_be_plain_values(app):
    with pytest.raises(TypeError):
        renderer().cache_key("sheet.html", {"x": object()})


def test_only_the_printing_package_imports_weasyprint():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "portal"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "printing" not in p.relative_to(root).parts
                 and re.search(r"^\s*(from|import)\s+weasyprint", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []
