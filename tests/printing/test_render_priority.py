"""Rendering processes and background jobs yield the CPU to the web pages (PRINT_NICE, JOBS_NICE)."""

from __future__ import annotations

import os

import pytest

from portal.printing.pool import RenderPool

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once


def test_render_processes_run_at_a_lower_priority_than_the_server():
    pool = RenderPool(1, [], idle_seconds=0, nice=5)
    try:
        # os.nice(0) answers the process's niceness without changing it.
        assert pool._submit(os.nice, 0).result(timeout=120) == os.nice(0) + 5
    finally:
        pool.shutdown()


def test_without_nice_they_keep_the_server_priority():
    pool = RenderPool(1, [], idle_seconds=0)
    try:
        assert pool._submit(os.nice, 0).result(timeout=120) == os.nice(0)
    finally:
        pool.shutdown()


def test_the_application_lowers_its_render_pool_by_default(app, monkeypatch):
    from portal.printing.renderer import Renderer

    monkeypatch.delitem(app.config, "PRINT_NICE")  # the tests' own configuration sets it to 0
    assert Renderer(app).pool().nice == 10  # made lazily: no process starts here
