"""``flask --app portal storage …``: where files are kept, and moving an instance folder into a shared store."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from . import AREAS, PDF_CACHE_PREFIX, NotStored, storage
from .base import HashingReader, StorageError, file_digest
from .local import LocalStorage


@click.group("storage")
def storage_cli() -> None:
    """The file store (STORAGE): print jobs, evidence, pending uploads, the PDF cache, backups."""


@storage_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Say which store is configured and whether it can be used."""
    store = storage()
    try:
        store.check()
    except StorageError as exc:
        raise click.ClickException(f"{store.describe()}: {exc}") from exc
    click.echo(f"{store.describe()}: ok")
    for prefix in AREAS:
        files = list(store.list(prefix))
        click.echo(f"  {prefix:<18} {len(files):>7} files {sum(e.size for e in files) / 1024 / 1024:>10.1f} MiB")


@storage_cli.command("get")
@click.argument("key")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def get_command(key: str, output: Path) -> None:
    """Copy a stored file (a backup, say) to a local file."""
    try:
        with storage().open(key) as source, open(output, "wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    except (NotStored, ValueError) as exc:
        raise click.ClickException(f"no stored file {key!r}") from exc
    click.echo(f"{key} -> {output} ({output.stat().st_size} bytes)")


@storage_cli.command("migrate")
@click.option("--from", "source_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Instance folder to copy from (default: this host's).")
@click.option("--dry-run", is_flag=True, help="Only count what would be copied.")
@click.option("--delete-source", is_flag=True, help="Remove each local file once its copy is checked.")
@with_appcontext
def migrate_command(source_dir: Path | None, dry_run: bool, delete_source: bool) -> None:
    """Copy the files of an instance folder (jobs, evidence, pending uploads, PDF cache, backups) into the
    configured shared store, checking each copy's size and SHA-256. Run it once per host that kept files;
    running it again copies only what is missing or different."""
    target = storage()
    source = LocalStorage(source_dir or current_app.instance_path)
    if not target.shared:
        raise click.ClickException("STORAGE is the instance folder: set STORAGE = 'database' (or 's3') on this "
                                   "host first, then run the migration")
    target.check()
    areas = [p for p in AREAS if not (p == PDF_CACHE_PREFIX and current_app.config.get("PDF_CACHE_DIR"))]
    copied = skipped = failed = 0
    size = 0
    for prefix in areas:
        for entry in source.list(prefix):
            if not entry.key.endswith(AREAS[prefix]):
                continue
            with source.open(entry.key) as fh:
                length, sha = file_digest(fh)
            present = target.info(entry.key)
            if present is not None and present.size == length and present.sha256 in (None, sha):
                skipped += 1
                if delete_source and not dry_run:
                    source.delete(entry.key)
                continue
            if dry_run:
                copied += 1
                size += length
                continue
            with source.open(entry.key) as fh:
                reader = HashingReader(fh)
                stored = target.put(entry.key, reader)
            if reader.sha.hexdigest() != sha or stored.size != length or stored.sha256 not in (None, sha):
                failed += 1
                click.echo(f"  {entry.key}: the copy differs (changed while copied?); left in place", err=True)
                continue
            copied += 1
            size += length
            if delete_source:
                source.delete(entry.key)
    verb = "would copy" if dry_run else "copied"
    click.echo(f"{source.describe()} -> {target.describe()}: {verb} {copied} files ({size / 1024 / 1024:.1f} MiB), "
               f"{skipped} already there, {failed} failed")
    if not dry_run:
        _report_missing_evidence(target)
    if failed:
        raise SystemExit(1)


def _report_missing_evidence(target) -> None:
    from ..results.models import Evidence

    names = db.session.scalars(db.select(Evidence.stored_name)).all()
    missing = [n for n in names if not target.exists(Evidence.key_of(n))]
    if missing:
        click.echo(f"  warning: {len(missing)} evidence files the database lists are in no store yet (another "
                   "host's instance folder?): run this command there too", err=True)
