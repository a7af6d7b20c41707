"""``flask users …``: accounts from the command line (the first admin, scripts)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from . import password_policy
from .models import User
from .roles import ROLES, WITH_OFFICE, WITHOUT_OFFICE
from .services import create_user

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(sorted(ROLES)))
@click.option("--full-name", default=None, help="Defaults to the username.")
@click.option("--office", default=None, help="Office code (province officer, local officer, viewer).")
@click.option("--agent", default=None, help="Agent code (agent role).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(username: str, role: str, full_name: str | None, office: str | None, agent: str | None,
                   password_stdin: bool) -> None:
    """Create a user; the password comes from a prompt or standard input."""
    if User.by_username(username):
        raise click.ClickException(f"User {username!r} already exists.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):  # the command line speaks English, as its other messages do
        problems = password_policy.problems(password, username)
    if problems:
        raise click.ClickException(" ".join(problems))
    fields = {}
    if office:
        from ..org.models import Office

        found = db.session.scalar(db.select(Office).where(Office.code == office))
        if found is None:
            raise click.ClickException(f"No office with code {office!r}.")
        if role in WITHOUT_OFFICE:
            raise click.ClickException(f"A {role} is not attached to an office.")
        if role == "local_officer" and found.kind != "local":
            raise click.ClickException("A local officer works for a BHXH cơ sở office.")
        if role == "province_officer" and found.kind != "province":
            raise click.ClickException("A province officer works for a province office.")
        fields["office_id"] = found.id
    elif role in WITH_OFFICE:
        raise click.ClickException(f"A {role} needs --office CODE.")
    if agent:
        from ..org.models import Agent

        found_agent = db.session.scalar(db.select(Agent).where(Agent.code == agent))
        if found_agent is None or role != "agent":
            raise click.ClickException("--agent CODE is for the agent role and must name an existing agent.")
        fields["agent_id"] = found_agent.id
    elif role == "agent":
        raise click.ClickException("An agent user needs --agent CODE.")
    user = create_user(username=username, full_name=full_name or username, role=role, password=password, **fields)
    db.session.commit()
    click.echo(f"Created {user.username} ({role}).")
