"""``flask --app portal worker``: run the jobs queued on Redis (REDIS_URL)."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
@click.option("--queue", "queue_name", default=None, help="Queue name (default RQ_QUEUE or portal-jobs).")
@with_appcontext
def worker_command(burst: bool, queue_name: str | None) -> None:
    """Run background jobs (print runs) from the Redis queue."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without it jobs run in the web process's own pool "
                                   "and no worker is needed.")
    from redis import Redis
    from rq import Worker

    name = queue_name or current_app.config.get("RQ_QUEUE", "portal-jobs")
    connection = Redis.from_url(url)
    click.echo(f"Worker on {name} ({url.split('@')[-1]})")
    # Each job runs in a forked work horse that builds its own app (portal.jobs.runner.run_job), so the
    # worker's own database connections are never shared with a job.
    db.engine.dispose()
    # Jobs are background work: they (and the work horses forked for them) yield the CPU to the web pages.
    os.nice(int(current_app.config.get("JOBS_NICE", 10)))
    Worker([name], connection=connection).work(burst=burst, with_scheduler=False)
