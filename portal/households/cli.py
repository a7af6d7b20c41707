"""``flask households import FILE --commune CODE [--dry-run]``: the web importer from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..audit import services as audit
from ..extensions import db
from ..geo.models import Commune
from . import importer

households_cli = AppGroup("households", help="The household and people registry.")


@households_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commune", "code", required=True, help="Official five-digit commune code.")
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
def import_command(path: Path, code: str, dry_run: bool) -> None:
    """Import people and households of one commune; prints the report; exit 1 when rows are rejected."""
    commune = db.session.scalar(select(Commune).where(Commune.code == code.zfill(5)))
    if commune is None:
        raise click.ClickException(f"Không có xã, phường mã {code}.")
    report = importer.analyse(commune, path.read_bytes(), path.name)
    if report.error:
        raise click.ClickException(report.error)
    click.echo(f"{path.name}: mới {len(report.new)}, cập nhật {len(report.updated)}, "
               f"không đổi {report.unchanged}, bị loại {len(report.rejected)}")
    for row, column, reason in report.rejected:
        click.echo(f"  dòng {row}, cột {column}: {reason}")
    if report.rejected:
        click.echo("Chưa ghi dữ liệu nào.")
        raise SystemExit(1)
    if dry_run:
        click.echo("Chạy thử: chưa ghi dữ liệu nào.")
        return
    written = importer.apply(commune, report)
    audit.record("households.import", obj=commune, object_type="commune",
                 details={"file": path.name, "written": written, "source": "cli"})
    db.session.commit()
    click.echo(f"Đã ghi {written} người.")
