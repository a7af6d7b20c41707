"""``flask retention apply [--dry-run]``: delete what is past retention and print what was done.
``flask database grant-app ROLE`` and ``flask database check``: the app role that cannot change the audit log."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..backup.services import cli_username
from ..database import as_owner
from ..extensions import db
from ..i18n.formatting import format_number
from . import retention
from .app_role import RoleError, audit_log_powers, grant_app_role

retention_cli = AppGroup("retention", help="Retention of logs, counters, print jobs, uploads and backups.")

UNITS = {"years": "năm", "days": "ngày", "hours": "giờ"}


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Count only; delete nothing.")
def apply_command(dry_run: bool) -> None:
    """Delete the records and files that are past their retention period."""
    with as_owner():  # the audit log's old entries can only be deleted by the owner
        run = retention.apply(dry_run=dry_run, username=cli_username())
        _print_run(run, dry_run)


def _print_run(run, dry_run: bool) -> None:
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


database_cli = AppGroup("database", help="Database roles: the app role that cannot change the audit log.")


@database_cli.command("grant-app")
@click.argument("role")
def grant_app_command(role: str) -> None:
    """As the owner, let ROLE read and write every table but not change, delete or truncate the audit log."""
    with as_owner(), db.engine.begin() as conn:
        try:
            grant_app_role(conn, role)
        except RoleError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã cấp quyền cho {role}: đọc và ghi mọi bảng; nhật ký kiểm tra chỉ đọc và thêm. "
               "Đặt DATABASE_URL kết nối bằng vai trò này và DATABASE_OWNER_URL bằng chủ sở hữu.")


@database_cli.command("check")
def check_command() -> None:
    """Say whether the portal's own connection (DATABASE_URL) could change or delete audit entries."""
    with db.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            click.echo("SQLite: nhật ký kiểm tra được bảo vệ bằng trigger (không có vai trò).")
            return
        user = conn.exec_driver_sql("SELECT current_user").scalar_one()
        powers = audit_log_powers(conn)
    if powers:
        raise click.ClickException(
            f"Ứng dụng kết nối bằng {user}, có thể sửa hoặc xoá nhật ký kiểm tra ({', '.join(powers)}): "
            "tạo một vai trò riêng và chạy `flask database grant-app <vai trò>` bằng chủ sở hữu.")
    click.echo(f"Ứng dụng kết nối bằng {user}: nhật ký kiểm tra chỉ đọc và thêm được.")
