"""``flask households import FILE --commune CODE [--dry-run]``: the web importer from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..audit import services as audit
from ..extensions import db
from ..geo.models import Commune
from . import import_writer, importer

households_cli = AppGroup("households", help="The household and people registry.")


@households_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commune", "code", required=True, help="Official five-digit commune code.")
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
@click.option("--create-hamlets", is_flag=True, help="Create the hamlets the commune does not have yet.")
def import_command(path: Path, code: str, dry_run: bool, create_hamlets: bool) -> None:
    """Import people and households of one commune; prints the report; exit 1 when rows are rejected."""
    commune = db.session.scalar(select(Commune).where(Commune.code == code.zfill(5)))
    if commune is None:
        raise click.ClickException(f"Không có xã, phường mã {code}.")
    report = importer.analyse(commune, path.read_bytes(), path.name, create_hamlets=create_hamlets)
    if report.error:
        raise click.ClickException(report.error)
    if report.missing:
        names = ", ".join(str(importer.FIELDS[name][0]) for name in report.missing)
        raise click.ClickException(f"{path.name}: không tìm thấy cột {names}.")
    click.echo(f"{path.name}: mới {len(report.new)}, cập nhật {len(report.updated)}, "
               f"không đổi {report.unchanged}, bị loại {len(report.rejected)}")
    for row, column, reason in report.rejected:
        click.echo(f"  dòng {row}, cột {column}: {reason}")
    for row, column, reason in report.warnings:
        click.echo(f"  (cần kiểm tra) dòng {row}, cột {column}: {reason}")
    if report.unknown_hamlets and create_hamlets:
        click.echo("Thôn/tổ sẽ được tạo: " + ", ".join(name for name, _rows in report.unknown_hamlets.values()))
    if report.rejected:
        click.echo("Chưa ghi dữ liệu nào.")
        raise SystemExit(1)
    if dry_run:
        click.echo("Chạy thử: chưa ghi dữ liệu nào.")
        return
    written = import_writer.apply(commune, report)
    audit.record("households.import", obj=commune, object_type="commune",
                 details={"file": path.name, "written": written, "source": "cli"})
    db.session.commit()
    click.echo(f"Đã ghi {written} người.")
