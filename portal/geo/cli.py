"""``flask geo …``: load the official provinces and communes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .loader import load_geography

geo_cli = AppGroup("geo", help="Administrative geography.")


@geo_cli.command("load")
@click.option("--province", "province_code", default=None, help="Official province code, e.g. 15 for Lào Cai.")
def load_command(province_code: str | None) -> None:
    """Load the 34 provinces and 3,321 communes (or one province) from the vietnam-provinces package."""
    try:
        result = load_geography(province_code)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Provinces: {result.provinces_added} added, {result.provinces_updated} updated. "
        f"Communes: {result.communes_added} added, {result.communes_updated} updated."
    )


@geo_cli.command("former-places")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
def former_places_command(path: str | None) -> None:
    """Load former communes and the commune that holds each now (the shipped list, or a CSV in its columns)."""
    from . import former

    result = former.load(None if path is None else open(path, encoding="utf-8-sig").read())
    db.session.commit()
    click.echo(f"Former places: {result.added} added, {result.updated} updated, {len(result.skipped)} skipped.")
    for line, reason in result.skipped:
        click.echo(f"  line {line}: {reason}")
