"""Alembic environment for Flask-Migrate; the schema exists only through these migrations."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from portal.database import as_owner
from portal.privacy.app_role import keep_app_role

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
#: The advisory lock key that serialises migrations of one PostgreSQL database ("BHXHMIGR" in ASCII).
MIGRATION_LOCK = 0x424858484D494752


def get_engine():
    return target_db.engine


config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    """Write the portal's column types as the plain SQLAlchemy types they store as."""
    if type_ == "type" and obj.__class__.__module__.startswith("portal."):
        impl = obj.impl if hasattr(obj, "impl") else obj
        return "sa." + repr(impl)
    return False


def run_migrations_offline():
    """Emit SQL to standard output instead of running it."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_db.metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def include_object(obj, name, type_, reflected, compare_to):
    """Autogenerate leaves alone what migrations keep outside the models (SQLite's audit purge permits)."""
    return not (type_ == "table" and name == "audit_purge_permits")


def run_migrations_online():
    """Run the migrations against the configured database."""

    def process_revision_directives(context, revision, directives):
        # An autogenerate run that finds no change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)

    with get_engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        postgresql = connection.dialect.name == "postgresql"
        if sqlite:
            # Batch operations copy tables; foreign keys must be off outside the transaction for that.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        if postgresql:
            # Several hosts starting at once each run `flask db upgrade`: the first migrates while the others
            # wait here, then find the database at the head and do nothing. A session lock, taken before
            # Alembic reads the current revision and released after the migrations committed.
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
            connection.commit()
        try:
            conf_args.setdefault("include_object", include_object)
            context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
            with context.begin_transaction():
                context.run_migrations()
                keep_app_role(connection)
        finally:
            if postgresql:
                if connection.in_transaction():
                    connection.rollback()
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                connection.commit()
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    # Migrations change the schema: they run as the database owner when the portal connects as an app role.
    with as_owner():
        run_migrations_online()
