"""A worker process keeps one application, hence one render pool, for all the jobs it runs."""

from __future__ import annotations

from flask import current_app

from portal.jobs import runner, tasks
from portal.printing import pool as render_pool
from portal.printing.renderer import renderer


def test_several_jobs_in_one_worker_process_share_one_render_pool(tmp_path, monkeypatch):
    config = {"TESTING": True, "SECRET_KEY": "k" * 40,
              "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "jobs.sqlite3")}
    seen = []

    def execute(job_id):
        seen.append((job_id, current_app._get_current_object(), renderer().pool()))

    monkeypatch.setattr(tasks, "execute", execute)
    monkeypatch.setattr(runner, "_PROCESS_APPS", {})
    pools_before = len(render_pool._pools)
    for job_id in range(1, 6):  # what a local worker process does with the config the web process sends
        runner.run_job(job_id, dict(config), str(tmp_path))
    assert [job_id for job_id, _app, _pool in seen] == [1, 2, 3, 4, 5]
    assert len({id(app) for _id, app, _pool in seen}) == 1
    assert len({id(p) for _id, _app, p in seen}) == 1
    assert len(render_pool._pools) - pools_before == 1
