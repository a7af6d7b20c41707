"""The schema exists only through migrations: they run both ways and agree with the models."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal.extensions import db

from .conftest import TEST_DATABASE_URL, make_test_app, reset_postgres_database


@pytest.fixture
def scratch_app(tmp_path):
    """An app on a database of its own, with no schema."""
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL + "_migrations"
        reset_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path}/migrations.sqlite3"
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    app = make_test_app(url, str(tmp_path / "inst"))
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_to_head_then_downgrade_to_base(scratch_app):
    with scratch_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,  # the permits table of migration 0015 is kept outside the models
            "include_object": lambda obj, name, type_, *_: not (type_ == "table" and name == "audit_purge_permits")})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], "The models differ from the migrations; run `flask db migrate`:\n" + "\n".join(map(str, diff))
