"""Helpers of the printing tests: PDF text, policy values, events on a given day, many invitations."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import insert

from portal.extensions import db

from .. import factories


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def seed_policy() -> None:
    """The shipped policy values."""
    from portal.policy.services import seed_shipped

    seed_shipped()
    db.session.commit()


def on_day(event, day: datetime) -> None:
    """Move an event to a day (Vietnam morning)."""
    event.starts_at = day.replace(tzinfo=UTC)
    event.ends_at = day.replace(hour=day.hour + 3, tzinfo=UTC)
    db.session.commit()


def invite_many(event, hamlet, names: list[str], agent=None) -> None:
    """Households with these heads, invited to the event in one go (numbered at the first print)."""
    from portal.households.models import Household
    from portal.households.services import household_match_key
    from portal.i18n.collation import collation_key, text_collation_key
    from portal.results.models import Invitation
    from portal.results.services import new_token

    now = datetime.now(UTC)
    rows = [{"hamlet_id": hamlet.id, "commune_id": hamlet.commune_id, "head_name": name, "address": f"Nhà {n}",
             "poverty_status": "none", "match_key": household_match_key(name, f"Nhà {n}"),
             "sort_key": collation_key(name), "address_key": text_collation_key(f"Nhà {n}"), "version": 1,
             "created_at": now, "updated_at": now} for n, name in enumerate(names)]
    ids = [r.id for r in db.session.execute(insert(Household).returning(Household.id), rows)]
    db.session.execute(insert(Invitation), [
        {"event_id": event.id, "household_id": i, "agent_id": agent.id if agent else None, "token": new_token(),
         "expected_attendees": 1, "created_at": now} for i in ids])
    db.session.commit()


def to_png(data: bytes, folder: Path, name: str, dpi: int = 60) -> list[Path]:
    """Render a PDF's pages to PNG files (for looking at them) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / name)], check=True)  # noqa: S603,S607
    return sorted(folder.glob(f"{name}*.png"))


__all__ = ["factories", "invite_many", "on_day", "pdf_pages", "seed_policy", "to_png"]
