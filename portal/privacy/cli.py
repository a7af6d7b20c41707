"""``flask retention apply [--dry-run]``: delete what is past retention and print what was done."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..backup.services import cli_username
from ..i18n.formatting import format_number
from . import retention

retention_cli = AppGroup("retention", help="Retention of logs, counters, print jobs, uploads and backups.")

UNITS = {"years": "năm", "days": "ngày", "hours": "giờ"}


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Count only; delete nothing.")
def apply_command(dry_run: bool) -> None:
    """Delete the records and files that are past their retention period."""
    run = retention.apply(dry_run=dry_run, username=cli_username())
    verb = "Sẽ xoá" if dry_run else "Đã xoá"
    with force_locale("vi"):
        for rule in retention.RULES:
            result = run.results[rule.key]
            if not result["value"]:
                click.echo(f"{rule.label}: không áp dụng ({rule.setting} = 0)")
                continue
            click.echo(f"{rule.label} (giữ {result['value']} {UNITS[rule.unit]}, {rule.setting}): "
                       f"{verb} {format_number(result['count'])}")
    click.echo(("Chạy thử: chưa xoá gì. " if dry_run else "") + f"Lần chạy số {run.id} đã được ghi lại.")
