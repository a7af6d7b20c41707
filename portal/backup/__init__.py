"""Backup and restore of the whole portal: every table in a portable form, the evidence files, a manifest.

An archive is a ``.tar.gz`` holding ``manifest.json`` (first), one JSON-lines file per table under ``data/``
(in dependency order, rows in primary-key order) and the evidence files under ``files/evidence/``. The data is
written and read with SQLAlchemy core, so an archive made from SQLite restores into PostgreSQL and back.
"""
