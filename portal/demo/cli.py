"""``flask demo load``: idempotent demo data with one account per role."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .loader import DEMO_ACCOUNTS, load_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo data (safe to run again: nothing is duplicated)."""
    created = load_demo()
    click.echo(f"Demo data ready ({created} new records).")


@demo_cli.command("logins")
def logins_command() -> None:
    """Print the demo accounts."""
    click.echo("Demo logins (username / password):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role:<17} {account.username:<12} / {account.password}")
