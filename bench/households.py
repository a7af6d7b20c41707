"""Search and list speed on a synthetic province (default 250,000 households, 1,000,000 people).

Builds the province in a fresh database with bulk inserts, then times (p50/p95 over --runs runs) the real
query functions: search by name with and without diacritics, by phone, by CCCD, and the first list page, for a
local officer (one office) and a province officer.

    .venv/bin/python bench/households.py [--households 250000] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Lò", "Giàng", "Sùng", "Triệu"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thị Thu", "Quang", "A", "Seo", "Ngọc"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hùng", "Hương", "Lan", "Long", "Mai", "Nam", "Páo", "Sơn",
         "Thảo", "Trang", "Tuấn", "Yến", "Ánh", "Đức", "Mỷ", "Dợ", "Chứ", "Phong", "Vinh", "Quỳnh", "Ngân"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--households", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import insert, select

    from portal import create_app
    from portal.auth.scope import Scope
    from portal.extensions import db
    from portal.geo.models import Commune, Hamlet, Province
    from portal.households.models import Household, Person, person_name_tokens
    from portal.households.queries import PeopleFilter, capped_count, people_query
    from portal.i18n.collation import collation_key, fold_diacritics, text_collation_key
    from portal.org.models import Office

    rng = random.Random(11)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if args.database_url:
            downgrade(revision="base")
        upgrade()
        started = time.perf_counter()
        province = Province(code="15", name="Lào Cai", division_type="tỉnh")
        db.session.add(province)
        db.session.flush()
        offices = []
        for n in range(10):
            office = Office(code=f"B{n}", kind="local", province_id=province.id)
            office.set_name(f"BHXH cơ sở {n}")
            offices.append(office)
        db.session.add_all(offices)
        db.session.flush()
        communes, hamlets = [], []
        for n in range(100):
            commune = Commune(code=f"{n + 1:05d}", province_id=province.id, division_type="xã",
                              office_id=offices[n % 10].id)
            commune.set_name(f"Xã Thử {n}")
            communes.append(commune)
        db.session.add_all(communes)
        db.session.flush()
        for commune in communes:
            for k in range(10):
                hamlet = Hamlet(commune_id=commune.id, kind="thôn")
                hamlet.set_name(f"Thôn {k + 1}")
                hamlets.append(hamlet)
        db.session.add_all(hamlets)
        db.session.commit()
        now = datetime.now(UTC)
        person_id = 0
        phones, cccds = [], []
        batch = 5000
        for start in range(0, args.households, batch):
            rows = []
            for n in range(start, min(start + batch, args.households)):
                hamlet = hamlets[n % len(hamlets)]
                head = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                rows.append({"id": n + 1, "hamlet_id": hamlet.id, "commune_id": hamlet.commune_id, "head_name": head,
                             "address": f"Nhà {n}", "poverty_status": "none", "match_key": f"{fold_diacritics(head)}|{n}",
                             "sort_key": collation_key(head), "address_key": text_collation_key(f"Nhà {n}"),
                             "version": 1, "created_at": now, "updated_at": now})
            db.session.execute(insert(Household), rows)
            people, tokens = [], []
            for household in rows:
                for k in range(4):
                    person_id += 1
                    name = household["head_name"] if k == 0 else (
                        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
                    phone = f"09{person_id:08d}"
                    cccd = f"{person_id:012d}"
                    if person_id % 997 == 0:
                        phones.append(phone)
                        cccds.append(cccd)
                    folded = fold_diacritics(name)
                    people.append({"id": person_id, "household_id": household["id"],
                                   "hamlet_id": household["hamlet_id"], "commune_id": household["commune_id"],
                                   "full_name": name, "sort_key": collation_key(name), "search_name": folded,
                                   "sex": "male", "date_of_birth": date(1950, 1, 1) + timedelta(days=person_id % 25000),
                                   "cccd": cccd, "phone": phone, "relation_to_head": "head" if k == 0 else "other",
                                   "ethnic_minority": False, "bhxh_tn_status": "never", "compulsory_insured": False,
                                   "version": 1, "created_at": now, "updated_at": now})
                    tokens.extend({"token": t, "person_id": person_id} for t in set(folded.split()))
            db.session.execute(insert(Person), people)
            db.session.execute(insert(person_name_tokens), tokens)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        built = time.perf_counter() - started
        people_total = db.session.scalar(select(db.func.count()).select_from(Person))

        local = Scope("office", province_id=province.id, office_id=offices[3].id)
        whole = Scope("province", province_id=province.id, office_id=None)

        def timed(label, make_filter, scope):
            durations = []
            for i in range(args.runs):
                f = make_filter(i)
                t = time.perf_counter()
                stmt = people_query(f, scope=scope)
                db.session.execute(stmt.limit(25)).all()
                capped_count(stmt)
                durations.append((time.perf_counter() - t) * 1000)
                db.session.rollback()
            durations.sort()
            p50 = statistics.median(durations)
            p95 = durations[int(len(durations) * 0.95) - 1]
            print(f"  {label:<48} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")

        print(f"database: {args.database_url or 'SQLite'}; {args.households:,} households, {people_total:,} people; "
              f"built in {built:.0f} s; {args.runs} runs each (page of 25 + capped count)")
        for scope_name, scope in (("local officer", local), ("province officer", whole)):
            print(f"{scope_name}:")
            timed("name with diacritics ('Nguyễn Văn An')", lambda i: PeopleFilter(name="Nguyễn Văn An"), scope)
            timed("name without diacritics ('nguyen thi lan')", lambda i: PeopleFilter(name="nguyen thi lan"), scope)
            timed("rare given name ('quynh')", lambda i: PeopleFilter(name="quynh"), scope)
            timed("phone", lambda i: PeopleFilter(digits=phones[i % len(phones)]), scope)
            timed("CCCD", lambda i: PeopleFilter(digits=cccds[i % len(cccds)]), scope)
            timed("list page (no query)", lambda i: PeopleFilter(), scope)


if __name__ == "__main__":
    main()
