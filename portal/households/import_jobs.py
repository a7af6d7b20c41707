"""The household import's background part: a big file is analysed, and written, by a job
(:mod:`portal.core.imports`), with the choices the page carried (column mapping, creating missing hamlets)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..core import imports
from ..database import begin_write
from ..extensions import db
from ..geo.models import Commune
from . import import_writer, importer

NAME = "households"


def params(commune, form) -> dict:
    """The page's choices as JSON: the commune, the mapping of columns, whether to create missing hamlets."""
    mapping = importer.mapping_from(form)
    return {"commune": commune.id, "mapping": {str(i): name for i, name in (mapping or {}).items()} or None,
            "create_hamlets": form.get("create_hamlets") == "1"}


def _commune(params: dict) -> Commune:
    commune = db.session.get(Commune, int(params["commune"]))
    if commune is None:
        raise imports.Conflict(_("This commune is no longer in the portal."))
    return commune


def analyse(params: dict, data: bytes, filename: str) -> importer.Report:
    mapping = {int(i): name for i, name in params["mapping"].items()} if params.get("mapping") else None
    return importer.analyse(_commune(params), data, filename, mapping=mapping,
                            create_hamlets=bool(params.get("create_hamlets")))


def apply(params: dict, report: importer.Report, filename: str) -> str:
    begin_write()
    written = import_writer.save(_commune(params), report, filename)
    return _("%(n)d people were saved.", n=written)


imports.register(NAME, analyse, apply)
