"""Coverage figures: each commune's labour force and population per year, and the province's yearly coverage
target. The grid's rows, reading typed values, the XLSX template and import (a row-level report before anything
is written), and the writes with their audit entries (the caller commits)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..audit import services as audit
from ..core.xlsx import workbook
from ..extensions import db
from ..geo.models import Commune
from ..org.models import Office
from ..types import utcnow
from .counts import BadCount, code_key, coded_table, coded_values, parse_count
from .models import SHARE_SCALE, CommuneFigures, CoverageTarget
from .xlsx import ImportReport

#: The two figures of a commune, in the order of the grid and the sheet.
FIGURES = ("labour_force", "population")
#: Column headers of the sheet (as the offices' own spreadsheets say it).
HEADERS = {"code": "Mã xã", "name": "Tên xã", "office": "Cơ quan BHXH", "labour_force": "Lực lượng lao động",
           "population": "Dân số"}
SHEET_TITLE = "Lực lượng lao động, dân số"


@dataclass
class FigureRow:
    """A commune of the grid and its figures for the year (None: not entered)."""

    commune_id: int
    code: str
    name: str
    office: str
    labour_force: int | None
    population: int | None

    @property
    def subject_id(self) -> int:
        return self.commune_id

    def value(self, figure: str) -> int | None:
        return getattr(self, figure)


def grid(office_ids: list[int], year: int) -> list[FigureRow]:
    """The communes of the offices (by office then name) with their figures for the year."""
    stmt = (select(Commune.id, Commune.code, Commune.name, Office.name, CommuneFigures.labour_force,
                   CommuneFigures.population)
            .join(Office, Office.id == Commune.office_id)
            .outerjoin(CommuneFigures, (CommuneFigures.commune_id == Commune.id) & (CommuneFigures.year == year))
            .where(Commune.office_id.in_(office_ids)).order_by(Office.sort_key, Commune.sort_key))
    return [FigureRow(*row) for row in db.session.execute(stmt)]


def parse_figure(value) -> int | None:
    """A labour force or population figure from text or a cell: None when empty, else a whole number (thousands
    may be grouped with dots); raises BadCount with the reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().startswith("-"):
        raise BadCount(_("A figure cannot be negative."))
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        raise BadCount(_("A figure cannot be negative."))
    return parse_count(value)


def parse_share(value: str | None) -> int | None:
    """A target share typed as a percent (12,5 or 12.5 or 12,5 %) in hundredths of a percent; None when empty;
    raises BadCount."""
    text = (value or "").strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise BadCount(_("Enter a percentage between 0 and 100, e.g. 12,5.")) from None
    if not 0 <= number <= 100:
        raise BadCount(_("Enter a percentage between 0 and 100, e.g. 12,5."))
    return round(number * SHARE_SCALE)


def share_text(value: int | None) -> str:
    """A share kept in hundredths of a percent as the form shows it (12,5)."""
    if value is None:
        return ""
    return f"{value / SHARE_SCALE:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def template(rows: list[FigureRow], year: int) -> bytes:
    """The grid as an XLSX sheet to fill in and import back: code, name, office, labour force, population."""
    headers = [HEADERS[k] for k in ("code", "name", "office", *FIGURES)]
    data = [[r.code, r.name, r.office, r.labour_force, r.population] for r in rows]
    return workbook(f"{SHEET_TITLE} {year}"[:31], headers, data, widths=[10, 32, 30, 20, 14],
                    text_columns=[0, 1, 2], money_columns=[3, 4])


def _aliases() -> dict[str, list[str]]:
    return {"code": [HEADERS["code"], "Mã", "Mã đơn vị hành chính", "Code"], "name": [HEADERS["name"], "Tên"],
            "labour_force": [HEADERS["labour_force"], "Lao động", "Số lao động", "Labour force"],
            "population": [HEADERS["population"], "Số dân", "Population"]}


def analyse(data: bytes, filename: str, rows: list[FigureRow]) -> ImportReport:
    """Read a figures file laid out like the template and compare it with the grid's communes: what would
    change, and every refused cell by row and column (nothing is written while anything is refused)."""
    report = ImportReport(filename=filename)
    table = coded_table(report, data, filename, _aliases(), FIGURES, lambda: _(
        "%(file)s has neither a “%(labour)s” nor a “%(population)s” column.", file=filename,
        labour=HEADERS["labour_force"], population=HEADERS["population"]))
    if table is None:
        return report
    by_code = {code_key(r.code): r for r in rows}
    for row, figure, new in coded_values(
            table, report, by_code, identity=lambda r: r.commune_id, columns=FIGURES, parse=parse_figure,
            unknown=lambda code: _("Unknown commune code “%(code)s”: it is not one of the communes you enter "
                                   "figures for.", code=code)):
        if new != row.value(figure):
            report.changes.append((row.commune_id, row.name, figure, row.value(figure), new))
    return report


def _upsert(table, row: dict, keys: list[str], changed: list[str]) -> None:
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(**row)
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys,
                                                  set_={k: getattr(stmt.excluded, k) for k in changed}))


def save_figures(year: int, changes: list[tuple[int, str, int | None]], *, user_id: int | None,
                 source: str) -> int:
    """Write changed figures, each ``(commune id, figure, value)``; one audit entry. Returns how many."""
    by_commune: dict[int, dict[str, int | None]] = {}
    for commune_id, figure, value in changes:
        by_commune.setdefault(commune_id, {})[figure] = value
    existing = {cid: (lf, pop) for cid, lf, pop in db.session.execute(
        select(CommuneFigures.commune_id, CommuneFigures.labour_force, CommuneFigures.population).where(
            CommuneFigures.year == year, CommuneFigures.commune_id.in_(list(by_commune))))}
    for commune_id, values in by_commune.items():
        labour_force, population = existing.get(commune_id, (None, None))
        row = {"commune_id": commune_id, "year": year, "updated_by_id": user_id, "updated_at": utcnow(),
               "labour_force": values.get("labour_force", labour_force),
               "population": values.get("population", population)}
        _upsert(CommuneFigures.__table__, row, ["commune_id", "year"],
                ["labour_force", "population", "updated_by_id", "updated_at"])
    if changes:
        audit.record("coverage.figures", object_type="commune_figures", object_id=year,
                     details={"year": year, "source": source, "communes": len(by_commune), "values": len(changes)})
    return len(changes)


def save_goal(province_id: int, year: int, bhxh_tn_share: int | None, bhyt_share: int | None, *,
              user_id: int | None) -> None:
    """Set the province's coverage target of a year (hundredths of a percent; None: unset); audited."""
    _upsert(CoverageTarget.__table__, {"province_id": province_id, "year": year, "bhxh_tn_share": bhxh_tn_share,
                                       "bhyt_share": bhyt_share, "updated_by_id": user_id, "updated_at": utcnow()},
            ["province_id", "year"], ["bhxh_tn_share", "bhyt_share", "updated_by_id", "updated_at"])
    audit.record("coverage.target", object_type="province", object_id=province_id,
                 details={"year": year, "bhxh_tn_share": bhxh_tn_share, "bhyt_share": bhyt_share})


def goal_of(province_id: int, year: int) -> CoverageTarget | None:
    """The province's coverage target row of a year, if set."""
    return db.session.scalar(select(CoverageTarget).where(CoverageTarget.province_id == province_id,
                                                          CoverageTarget.year == year))
