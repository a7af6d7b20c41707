"""``flask policy …``: load the shipped parameters; compute contributions from the command line."""

from __future__ import annotations

import json
from datetime import date

import click
from flask.cli import AppGroup

from ..extensions import db
from . import calculator
from .parameters import CATEGORIES
from .services import seed_shipped

policy_cli = AppGroup("policy", help="Contribution parameters and calculator.")


@policy_cli.command("seed")
def seed_command() -> None:
    """Load the parameter values shipped with the portal (idempotent)."""
    added = seed_shipped()
    db.session.commit()
    click.echo(f"Policy values added: {added}.")


@policy_cli.command("calc")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]), default=None,
              help="Date the rules are taken from (default: today).")
@click.option("--scheme", type=click.Choice(["bhxh_tn", "bhyt_hgd"]), required=True)
@click.option("--category", "categories", multiple=True, type=click.Choice(CATEGORIES), default=("other",),
              help="State-support category; repeat for several (the highest rate applies).")
@click.option("--income", type=int, help="Chosen monthly income in đồng (bhxh_tn).")
@click.option("--mode", type=click.Choice(sorted(calculator.MODES)), default="monthly")
@click.option("--months", type=int, default=None,
              help="Months paid (default: the mode's length; 12 for bhyt_hgd, which takes 3, 6 or 12).")
@click.option("--supported-months-used", type=int, default=0, help="Months of state support already received.")
@click.option("--members", type=int, help="Household members (bhyt_hgd).")
def calc_command(on, scheme, categories, income, mode, months, supported_months_used, members) -> None:
    """Print the amounts as JSON: due, support, net (and per-member amounts for BHYT)."""
    day = on.date() if on else date.today()  # noqa: DTZ011 - a calendar date
    try:
        if scheme == "bhxh_tn":
            if income is None:
                raise click.UsageError("--income is required for bhxh_tn")
            quote = calculator.bhxh_tn(day, income=income, categories=set(categories), months=months, mode=mode,
                                       supported_months_used=supported_months_used).as_dict()
        else:
            if members is None:
                raise click.UsageError("--members is required for bhyt_hgd")
            quote = calculator.bhyt_hgd(day, members=members, months=months or 12,
                                        categories=set(categories)).as_dict()
    except calculator.PolicyError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(quote, ensure_ascii=False, indent=2))
