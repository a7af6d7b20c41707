"""``flask backup [--output PATH]`` and ``flask restore PATH [--yes]``: the whole portal in one archive."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..database import as_owner
from ..i18n.formatting import format_number
from ..storage import storage
from .archive import DamagedArchive
from .encryption import EncryptionError, new_identity
from .restore import RestoreRefused, restore_backup
from .services import BackupError, create_backup


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{format_number(size / 1024 / 1024, 1)} MB"
    return f"{format_number(size / 1024, 1)} KB"


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archive to write (default: backups/portal-<time>.tar.gz in the file store, i.e. the "
                   "instance folder unless STORAGE names a shared one).")
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Write the database (any kind) and the evidence files to one .tar.gz archive with a manifest."""
    try:
        result = create_backup(output)
    except (BackupError, DamagedArchive, EncryptionError) as exc:
        raise click.ClickException(f"Không sao lưu được: {exc}") from exc
    if result.path is not None:
        click.echo(f"Đã sao lưu vào {result.path}")
    else:
        click.echo(f"Đã sao lưu vào {result.key} ({storage().describe()}); lấy ra bằng "
                   f"`flask --app portal storage get {result.key} TỆP`")
    click.echo(f"  {len(result.rows)} bảng, {format_number(result.total_rows)} dòng, {result.files} tệp minh chứng, "
               f"{_size(result.size)}, {result.seconds:.1f} giây (phiên bản lược đồ {result.revision})")
    if result.recipients:
        click.echo(f"  Đã mã hoá cho {result.recipients} khoá công khai (BACKUP_RECIPIENTS): cần khoá bí mật "
                   "tương ứng để khôi phục (--identity)")
    for name in result.missing_files:
        click.echo(f"  Cảnh báo: thiếu tệp minh chứng {name} (có trong cơ sở dữ liệu, không có trong kho tệp)")
    for name in result.changed_files:
        click.echo(f"  Cảnh báo: tệp minh chứng {name} khác với mã SHA-256 đã ghi khi tải lên")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", "replace", is_flag=True, help="Replace everything the target database holds.")
@click.option("--identity", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Key file (AGE-SECRET-KEY-1…) that decrypts an encrypted archive (else BACKUP_IDENTITY_FILE).")
@with_appcontext
def restore_command(path: Path, replace: bool, identity: Path | None) -> None:
    """Restore an archive into the configured database (stop the portal first); refuses a damaged archive."""
    try:
        with as_owner():  # a restore empties every table, the audit log included: only the owner may
            result = restore_backup(path, replace=replace, identity=identity)
    except DamagedArchive as exc:
        raise click.ClickException(f"Tệp sao lưu bị hỏng, không khôi phục: {exc}") from exc
    except RestoreRefused as exc:
        raise click.ClickException(f"Không khôi phục: {exc}. Cơ sở dữ liệu không thay đổi.") from exc
    if result.schema_created:
        click.echo("Đã tạo lược đồ cơ sở dữ liệu.")
    if result.replaced_rows:
        click.echo(f"Đã thay {format_number(result.replaced_rows)} dòng có sẵn.")
    click.echo(f"Đã khôi phục {len(result.rows)} bảng, {format_number(result.total_rows)} dòng, {result.files} tệp "
               f"minh chứng trong {result.seconds:.1f} giây; {result.verified_tables} bảng đã đối chiếu mã kiểm tra.")


@click.command("backup-key")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_key_command(path: Path) -> None:
    """Make a key pair for encrypted backups: the secret key goes to PATH (0600; keep it off the server), the
    public key is printed for BACKUP_RECIPIENTS."""
    try:
        recipient = new_identity(path)
    except EncryptionError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã ghi khoá bí mật vào {path}: cất ngoài máy chủ, cần nó để khôi phục.")
    click.echo(f"Đặt trên máy chủ: BACKUP_RECIPIENTS={recipient}")
