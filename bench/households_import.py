"""Import rate of the household importer on a large XLSX (default 100,000 rows), validation included.

Writes a realistic file (title rows above the header, Vietnamese headers, some NFD names, CCCDs whose leading
zero Excel dropped, dates as serials and as dd/mm/yyyy text, +84 phones), then times the real importer in a
fresh database: reading the file, checking and matching every row (the dry run the preview shows), and
writing everything in one transaction. A second dry run of the same file against the filled database shows
the re-import cost (every row unchanged). Target: at least 5,000 rows/s including validation.

    .venv/bin/python bench/households_import.py [--rows 100000] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Mã số BHXH", "Số điện thoại", "Thôn/Tổ",
          "Địa chỉ", "Quan hệ với chủ hộ", "Dân tộc", "Nghề nghiệp", "Tình trạng BHXH TN", "Hạn thẻ BHYT"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Lò", "Giàng", "Sùng", "Đặng", "Bùi", "Hà", "Triệu"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Hữu", "Seo", "A"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Linh", "Mai", "Nam", "Páo", "Quỳnh", "Sính", "Thảo",
         "Tuấn", "Vân", "Xuân", "Yến", "Dợ", "Mỷ", "Chứ", "Lềnh", "Hương", "Khánh", "Phúc", "Thắng"]
RELATIONS = ["Vợ", "Chồng", "Con", "Con", "Con", "Bố", "Mẹ", "Cháu"]


def make_file(rows: int, hamlets: list[str], seed: int = 5) -> bytes:
    """A 100,000-row reviewing file as officers have them."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH RÀ SOÁT THAM GIA BHXH TỰ NGUYỆN, BHYT HỘ GIA ĐÌNH"])
    sheet.append(["(Kèm theo báo cáo của UBND xã)"])
    sheet.append([])
    sheet.append(HEADER)
    n, household = 0, 0
    epoch = date(1899, 12, 30)
    while n < rows:
        household += 1
        hamlet = hamlets[household % len(hamlets)]
        family = rng.choice(FAMILY)
        address = f"Nhà {household}, xóm {household % 40 + 1}"
        for member in range(min(rng.randint(1, 6), rows - n)):
            n += 1
            name = f"{family if member == 0 or rng.random() < 0.7 else rng.choice(FAMILY)} {rng.choice(MIDDLE)} " \
                   f"{rng.choice(GIVEN)}"
            if rng.random() < 0.1:
                name = unicodedata.normalize("NFD", name)
            born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 70 * 365))
            born_cell = (born - epoch).days if rng.random() < 0.5 else born.strftime("%d/%m/%Y")
            # Province code (001-096), century and sex digit, year of birth, then a serial: unique per row.
            cccd = f"0{rng.randint(1, 96):02d}{rng.randint(0, 3)}{born.year % 100:02d}{n:06d}" \
                if rng.random() < 0.8 else ""
            cccd_cell = int(cccd) if cccd and rng.random() < 0.5 else cccd  # Excel drops the leading zero
            code = f"{7_000_000_000 + n:010d}" if rng.random() < 0.3 else ""
            phone = f"+84 9{n % 100_000_000:08d}" if rng.random() < 0.4 else ""
            relation = "Chủ hộ" if member == 0 else rng.choice(RELATIONS)
            status = rng.choice(["Chưa tham gia", "Chưa tham gia", "Đang tham gia", "Dừng đóng"])
            card = (date(2026, 1, 1) + timedelta(days=rng.randint(0, 900))).strftime("%d/%m/%Y") \
                if rng.random() < 0.6 else ""
            sheet.append([n, name, born_cell, "Nam" if rng.random() < 0.5 else "Nữ", cccd_cell, code, phone, hamlet,
                          address, relation, rng.choice(["Kinh", "Mông", "Dao", "Tày", "Thái"]),
                          rng.choice(["Làm nông", "Buôn bán nhỏ", "Làm thuê", ""]), status, card])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-bench-import-")
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.households import import_writer, importer
    from portal.households.models import Household, Person
    from tests import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if args.database_url:
            downgrade(revision="base")
        upgrade()
        province = factories.make_province()
        office = factories.make_office(province, "BHXH cơ sở Bắc Hà")
        commune = factories.make_commune(province, "Xã Bắc Hà", office=office)
        names = [f"Thôn Nậm {k}" for k in range(1, 41)]
        for name in names:
            factories.make_hamlet(commune, name)
        db.session.commit()

        started = time.perf_counter()
        data = make_file(args.rows, names)
        print(f"database: {db.engine.dialect.name}; file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")

        started, cpu = time.perf_counter(), time.process_time()
        report = importer.analyse(commune, data, "ra-soat.xlsx")
        checked, checked_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert report.ok, (report.error, report.rejected[:5])
        print(f"dry run (read, check, match): {checked:.1f} s = {args.rows / checked:,.0f} rows/s; "
              f"new {len(report.new):,}, changed {len(report.updated):,}, unchanged {report.unchanged:,}")

        started, cpu = time.perf_counter(), time.process_time()
        import_writer.apply(commune, report)
        db.session.commit()
        written, written_cpu = time.perf_counter() - started, time.process_time() - cpu
        people = db.session.scalar(select(func.count()).select_from(Person))
        households = db.session.scalar(select(func.count()).select_from(Household))
        print(f"write in one transaction: {written:.1f} s; {people:,} people in {households:,} households")
        total = checked + written
        print(f"import with validation: {total:.1f} s = {args.rows / total:,.0f} rows/s (target >= 5,000); "
              f"CPU time of this process {checked_cpu + written_cpu:.1f} s = "
              f"{args.rows / (checked_cpu + written_cpu):,.0f} rows/s")

        db.session.expire_all()
        started = time.perf_counter()
        again = importer.analyse(commune, data, "ra-soat.xlsx")
        second = time.perf_counter() - started
        print(f"re-import dry run: {second:.1f} s = {args.rows / second:,.0f} rows/s; new {len(again.new):,}, "
              f"changed {len(again.updated):,}, unchanged {again.unchanged:,}")
        print(f"peak memory: {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
