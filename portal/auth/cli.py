"""``flask users …``: accounts from the command line (the first admin, scripts)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from .models import User
from .passwords import MAX_LENGTH, MIN_LENGTH
from .roles import ROLES
from .services import create_user

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(sorted(ROLES)))
@click.option("--full-name", default=None, help="Defaults to the username.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(username: str, role: str, full_name: str | None, password_stdin: bool) -> None:
    """Create a user; the password comes from a prompt or standard input."""
    if User.by_username(username):
        raise click.ClickException(f"User {username!r} already exists.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise click.ClickException(f"The password must have {MIN_LENGTH} to {MAX_LENGTH} characters.")
    user = create_user(username=username, full_name=full_name or username, role=role, password=password)
    db.session.commit()
    click.echo(f"Created {user.username} ({role}).")
