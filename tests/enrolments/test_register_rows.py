"""The receipt register reports every problem of a row, not only the first."""

from __future__ import annotations

from portal.enrolments import register


def test_every_problem_of_a_row_is_reported(app):
    report = register.analyse_lines("BL-1;32/05/2027;Lò Văn A;;;BHYT;Tăng lạ;;7;99;x;")
    assert not report.ok and not report.rows
    assert sorted((p.row, p.column) for p in report.problems) == [
        (1, "B"), (1, "D"), (1, "G"), (1, "I"), (1, "J"), (1, "K")]  # date, number, kind, months, order, amount


def test_each_row_keeps_its_own_problems(app):
    report = register.analyse_lines("BL-1;05/05/2027;Lò Văn A;123;;BHXH TN;Tái tục;;3;;1.000;\n"
                                    "BL-2;05/05/2027;;001080012345;;XYZ;Tái tục;;3;;1.000;")
    assert sorted((p.row, p.column) for p in report.problems) == [(1, "D"), (1, "H"), (2, "C"), (2, "F")]
