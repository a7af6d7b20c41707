"""Document text through the catalogue only: no Vietnamese words in the Python that builds documents or in the
print templates, outside comments, docstrings and the data files listed here (every document word is an
English msgid with its Vietnamese msgstr, rendered in the document's locale)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flask_babel import force_locale

ROOT = Path(__file__).resolve().parents[2] / "portal"
#: Letters only Vietnamese uses (tone marks, ă â đ ê ô ơ ư).
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
#: Data, not document text: the parts of office and commune names as the registers spell them, and the letters
#: a font must have.
DATA = {"printing/offices.py", "printing/fonts.py"}
#: Letters, not text: the transliteration of file names (file, literal).
LETTERS = {("reports/exports.py", "đ"), ("reports/exports.py", "Đ"), ("retention/sms.py", "đ"), ("retention/sms.py", "Đ"),
           ("jobs/tasks.py", "đ"), ("jobs/tasks.py", "Đ")}
#: Other Python that builds documents' text: the whole reports package (its builders of spreadsheets and printed
#: reports, and the views that hand them their letter's parts), and the builders of other packages' documents.
BUILDERS: list[str] = [*sorted(str(path.relative_to(ROOT)) for path in (ROOT / "reports").glob("*.py")),
                       # and the other documents' builders: the D05/D03 lists, the person's data report, the SMS list
                       "declarations/services.py", "declarations/views.py", "declarations/xlsx.py",
                       "privacy/views.py", "retention/sms.py",
                       # and the messages of the print jobs that make them
                       "jobs/runner.py", "jobs/services.py", "jobs/tasks.py"]
#: Templates whose text has still to move into the catalogue.
PENDING: set[str] = set()


def _strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _python_files() -> list[Path]:
    return [*sorted((ROOT / "printing").rglob("*.py")), *(ROOT / name for name in BUILDERS)]


def test_no_vietnamese_literal_in_document_python():
    found = [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}" for path in _python_files()
             if str(path.relative_to(ROOT)) not in DATA
             for line, text in _strings(path)
             if VIETNAMESE.search(text) and (str(path.relative_to(ROOT)), text) not in LETTERS]
    assert found == [], "Vietnamese document text belongs in the catalogue:\n" + "\n".join(found)


def test_no_vietnamese_literal_in_print_templates():
    found = []
    for path in sorted((ROOT / "printing" / "templates").glob("*")):
        if path.name in PENDING:
            continue
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments
        found += [f"{path.name}:{n}: {line.strip()[:60]}" for n, line in enumerate(text.splitlines(), start=1)
                  if VIETNAMESE.search(line)]
    assert found == [], "Vietnamese document text belongs in the catalogue:\n" + "\n".join(found)


def test_the_scan_covers_the_report_builders_and_their_views():
    scanned = {str(path.relative_to(ROOT)) for path in _python_files()}
    assert {"reports/activities.py", "reports/views_year.py", "reports/access.py", "reports/queries.py",
            "reports/periodic.py", "reports/progress.py"} <= scanned


def test_the_checker_finds_a_vietnamese_literal(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Tài liệu."""\nTITLE = "Giấy mời"\nOTHER = "Invitation"\n', encoding="utf-8")
    assert [text for _line, text in _strings(module) if VIETNAMESE.search(text)] == ["Giấy mời"]


def test_documents_are_vietnamese_whatever_the_users_language(app):
    from portal.printing.due import issuer_of

    class Nobody:
        office_id = None
        agent_id = None

    with app.test_request_context(), force_locale("en"):
        assert issuer_of(Nobody())[1] == "Bảo hiểm xã hội Việt Nam"


def test_report_words_are_vietnamese_whatever_the_users_language(app):
    from datetime import date
    from types import SimpleNamespace

    from portal.declarations.services import period_text
    from portal.reports import activities, exports, periodic, progress, queries
    from portal.reports.exports import Report
    from portal.reports.labels import LEVEL_IN_VI, STEP_VI

    campaign = SimpleNamespace(starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 31))
    with app.test_request_context(), force_locale("en"):
        assert LEVEL_IN_VI["commune"] == "xã, phường" and STEP_VI.get("listed") == "Trong danh sách"
        assert periodic.period_title("month", date(2026, 11, 1), date(2026, 11, 30)) == "Tháng 11 năm 2026"
        assert periodic.heading().startswith("Kết quả phát triển người tham gia")
        assert progress.period_line(campaign) == "Từ ngày 01/05/2026 đến ngày 31/05/2026"
        context = exports.print_context(Report("T", "S", "t", []), issuer_name="", issuer_superior="", place="")
        assert context["signatures"] == ["Người lập biểu", "Thủ trưởng đơn vị"]
        # The periodic report's letter and the activities table (once literals in the view and the builder).
        assert periodic.committee_of("Xã Nghĩa Lộ") == "Ủy ban nhân dân xã Nghĩa Lộ"
        letter = periodic.letter(SimpleNamespace(addressee="Ủy ban nhân dân xã Nghĩa Lộ"))
        assert letter["signer"] == "Giám đốc" and letter["recipients"] == ["Như trên", "Lưu: VT"]
        assert activities.KIND_VI["conference"] == "Hội nghị tuyên truyền"
        held = activities.table([activities.ActivityLine("media", 2, 0, 5, 900)])
        assert held.title == "Hoạt động theo hình thức" and held.rows[0][0].startswith("Truyền thông")
        assert [c.label for c in held.columns][:2] == ["Hình thức", "Số buổi, đợt đã tổ chức"]
        assert activities.table([]).note.startswith("Chưa có hoạt động nào")
        assert queries.national_office() == "Bảo hiểm xã hội Việt Nam"
        assert period_text(date(2026, 5, 1), date(2026, 5, 31), whole_month=True) == "Tháng 05/2026"
        assert period_text(date(2026, 5, 1), date(2026, 5, 9), whole_month=False) == (
            "Từ ngày 01/05/2026 đến ngày 09/05/2026")
