"""Canary: markup in any field a user can fill fetches nothing and embeds nothing in any printed document."""

from __future__ import annotations

import io
import subprocess
import tempfile
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from portal.extensions import db
from portal.i18n.formatting import local_today

from .. import factories
from .helpers import seed_policy

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once


@pytest.fixture
def canary():
    """A local HTTP server that records every request it gets."""
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
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def _hostile(url: str, secret) -> str:
    return (f'<link rel="attachment" href="file://{secret}"><style>@import url("{url}/a.css");'
            f'b{{background:url(file://{secret})}}</style><img src="{url}/i.png">url({url}/u.png)')


def _drawn_images(data: bytes) -> set[str]:
    """The images a PDF draws on its pages, directly or inside forms (poppler's pdfimages: object ids)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        listing = subprocess.run(["pdfimages", "-list", pdf.name], check=True, capture_output=True,  # noqa: S603,S607
                                 text=True).stdout
    return {" ".join(line.split()[10:12]) for line in listing.splitlines()[2:] if line.strip()}


def _foreign(data: bytes, allowed_images: int = 0) -> list[str]:
    """What a PDF holds that no document of ours should: attachments, file or link annotations, actions,
    more images than the QR codes."""
    reader = PdfReader(io.BytesIO(data))
    found = [f"attachment {name}" for name in reader.attachments]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            found.append(f"annotation {annot.get_object().get('/Subtype')}")
    images = _drawn_images(data)
    raw = data.decode("latin-1")
    for marker in ("/EmbeddedFile", "/Launch", "/JavaScript", "/URI", "127.0.0.1", "TOP-SECRET"):
        if marker in raw:
            found.append(marker)
    if len(images) > allowed_images:
        found.append(f"{len(images)} images")
    return found


def test_markup_in_user_fields_puts_nothing_into_any_document(client, auth, world, canary, tmp_path):
    url, hits = canary
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    seed_policy()
    payload = _hostile(url, secret)
    own = world.own
    own.event.title = ("Hội nghị " + payload)[:200]
    own.event.venue = payload[:200]
    own.agent.set_name(payload[:120])
    own.hamlet.set_name(("Thôn " + payload)[:120])
    household, person = factories.make_household(own.hamlet, payload[:120], address=payload[:200],
                                                 bhxh_tn_status="participating",
                                                 paid_until=local_today() + timedelta(days=5),
                                                 date_of_birth=date(1980, 1, 1))
    from portal.results.services import invite

    invite(own.event, household.id, agent_id=own.agent.id)
    db.session.commit()
    auth.login(world.users["local_officer"])
    # The note goes on the leaflet of a plain event: with the payload as title, venue and agent, no note fits the
    # one-page leaflet and a note would be refused (tests/printing/test_leaflet.py).
    note = f'<link rel="attachment" href="file://{secret}"><img src="{url}/n.png">'.replace("&", "%26")
    plain = factories.make_event(own.commune, own.office, starts_at=own.event.starts_at)
    documents = {
        "attendance": (f"/events/{own.event.id}/print/attendance.pdf", 0),
        "signup": (f"/events/{own.event.id}/print/signup-sheet.pdf", 0),
        "visits": (f"/events/{own.event.id}/print/visits.pdf", 0),
        "invitations": (f"/events/{own.event.id}/print/invitations.pdf", 2),
        "leaflet": (f"/events/{own.event.id}/print/leaflet.pdf?audience=town", 0),
        "leaflet with a note": (f"/events/{plain.id}/print/leaflet.pdf?audience=town&note={note}", 0),
        "report": (f"/events/{own.event.id}/print/report.pdf", 0),
        "due": ("/households/due.pdf?kind=paid_until", 0),
    }
    for name, (path, images) in documents.items():
        response = client.get(path)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), name
        assert _foreign(response.data, images) == [], name
    leaflet = client.get(documents["leaflet"][0]).data
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(leaflet)).pages)
    assert 'rel="attachment"' in text and "@import" in text  # printed as text, never read as markup
    # The big run in the background too (inline under TESTING), and its download.
    job = client.post(f"/events/{own.event.id}/print/invitations-job")
    assert job.status_code == 303
    with client.get(job.headers["Location"] + "/download") as download:
        assert download.status_code == 200 and _foreign(download.data, 2) == []
    assert hits == []


def test_the_fetcher_refuses_in_the_render_processes_too(app, canary, tmp_path):
    """Markup that reached a worker process as HTML (it never does from user fields) still loads nothing."""
    from portal.printing import renderer

    url, hits = canary
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    html = f"<html><head>{_hostile(url, secret)}</head><body><p>Một</p><img src='file://{secret}'></body></html>"
    parts = renderer().pool().render([html, html])
    assert hits == []
    for part in parts:
        assert any(u.startswith("file://") for u in part.refused)
        assert any(u.startswith(url) for u in part.refused)
        assert _foreign(part.pdf) == []
