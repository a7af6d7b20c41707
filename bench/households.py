"""Search and list speed on a synthetic province (default 250,000 households, 1,000,000 people).

Builds a province in a database with core bulk inserts (10 local offices, 100 communes, 1,000 hamlets, three
agents per commune with some hamlets shared, Vietnamese names drawn from weighted lists, coverage, tags), then
times (p50/p95 over --runs runs) the real query functions: search by name with and without diacritics,
common and rare names, an unfinished last word, names with filters, by phone, by CCCD, the list page with
each filter and page N, and the due lists, for a local officer, a province officer and an agent; and a few
requests through the Flask test client to include rendering. Each search line shows, in brackets, the plan
the search used (see portal/households/search_plan.py).

    .venv/bin/python bench/households.py                      # SQLite file in /tmp, full size
    .venv/bin/python bench/households.py --scale 0.05         # 12,500 households
    .venv/bin/python bench/households.py --database-url postgresql+psycopg://postgres@127.0.0.1/portal_bench_households
    .venv/bin/python bench/households.py --reuse              # time again without rebuilding
    .venv/bin/python bench/households.py --reuse --native --runs 20   # planner vs FTS5 / pg_trgm / tsvector

The database is emptied and rebuilt unless --reuse is given and it already holds the province.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSWORD = "mat-khau-bench-hgd"  # noqa: S105 - a throw-away bench database

# Family names with rough national frequencies (%), plus the Mông, Dao, Tày and Thái names of the north.
FAMILY = {"Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 5, "Phan": 4.5, "Vũ": 3.9, "Đặng": 2.1,
          "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5, "Đinh": 0.6, "Trịnh": 0.5,
          "Lò": 1.2, "Giàng": 1, "Sùng": 0.8, "Vàng": 0.8, "Lù": 0.5, "Hạng": 0.4, "Thào": 0.6, "Má": 0.3,
          "Tráng": 0.3, "Triệu": 0.6, "Bàn": 0.5, "Hà": 0.9, "Lục": 0.3, "Nông": 0.5, "Sần": 0.2, "Mã": 0.2}
MIDDLE_MALE = {"Văn": 45, "Đức": 8, "Minh": 8, "Quang": 5, "Hữu": 5, "Công": 4, "Xuân": 3, "Thanh": 3,
               "Ngọc": 3, "Trọng": 3, "A": 3, "Seo": 2, "Đình": 4, "Tiến": 2, "Mạnh": 2}
MIDDLE_FEMALE = {"Thị": 55, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Minh": 3, "Hồng": 4, "Kim": 3, "Phương": 3,
                 "Thị Thu": 4, "Thị Hồng": 3, "Thị Thanh": 3, "Mỹ": 2, "Lan": 2, "Diệu": 1}
GIVEN_MALE = ["Anh", "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Sơn", "Cường", "Thắng", "Hoàng",
              "Đức", "Quang", "Trung", "Thành", "Hiếu", "Huy", "Bình", "Tùng", "Phong", "Việt", "Khánh", "Hưng",
              "Vinh", "Toàn", "Phúc", "Tài", "Tâm", "Kiên", "Lâm", "Duy", "Nghĩa", "Quân", "An", "Hòa", "Đạt",
              "Chiến", "Thịnh", "Lộc", "Tiến", "Mạnh", "Công", "Giang", "Hào", "Khải", "Lợi", "Nhân", "Phú",
              "Sang", "Thái", "Thiện", "Trí", "Trường", "Tú", "Quyết", "Páo", "Chứ", "Dợ", "Sử", "Pử", "Sình",
              "Chẩn", "Lềnh", "Khoa", "Hậu", "Vũ", "Bảo", "Định", "Hợp"]
GIVEN_FEMALE = ["Anh", "Linh", "Hương", "Trang", "Hà", "Lan", "Hoa", "Thảo", "Huyền", "Ngọc", "Hằng", "Mai",
                "Hạnh", "Phương", "Thu", "Yến", "Nga", "Hiền", "Dung", "Thủy", "Nhung", "Hồng", "Loan", "Vân",
                "Quỳnh", "Giang", "Chi", "Ly", "My", "Ngân", "Oanh", "Liên", "Tuyết", "Uyên", "Xuân", "Lụa",
                "Thơm", "Huế", "Mỷ", "Sính", "Dở", "Nhàn", "Thắm", "Tâm", "Nhi", "Vy", "Trâm", "Diệu", "Duyên",
                "Lệ", "Ánh", "Hòa", "Khánh", "Nguyệt", "Thanh", "Trinh", "Lành", "Mây", "Súa", "Chúa"]
HAMLET_NAMES = ["Thôn Khe Cam", "Thôn Làng Mới", "Bản Phố Cũ", "Thôn Bắc Hà", "Tổ dân phố 1", "Tổ dân phố 2",
                "Thôn Nậm Tha", "Bản Mường Bo", "Thôn Đồng Tâm", "Thôn Tân Lập", "Thôn Sín Chải", "Bản Lả Dì"]
#: The potential groups people are tagged with (households.models.POTENTIAL_GROUPS; "new_rural" is a commune fact).
TAGS = ("household_business", "small_trader", "craft_village", "contract_ended", "near_poor")


def _weighted(names, rng: random.Random, power: float = 0.4):
    """Draw from a dict of weights, or from a list with Zipf-like weights (first most common).

    With 70 given names and power 0.4 the commonest given name ("Anh", both sexes) is about 5% of people,
    somewhat above its share in real registers, so that common-name searches are not flattered.
    """
    if isinstance(names, dict):
        population, weights = list(names), list(names.values())
    else:
        population, weights = list(names), [1 / (i + 1) ** power for i in range(len(names))]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return lambda: rng.choices(population, cum_weights=cumulative)[0]


def build(scale: float, seed: int = 11) -> dict:
    """Fill an empty, migrated database with the province; return what the timings need."""
    from sqlalchemy import insert

    from bench._bulk import build_pragmas, insert_rows
    from portal.auth.models import User
    from portal.auth.passwords import hash_password
    from portal.extensions import db
    from portal.geo.models import Commune, Hamlet, Province
    from portal.households.models import Household, Person, person_name_tokens, person_tags
    from portal.households.services import search_rows
    from portal.i18n.collation import collation_key, fold_diacritics, text_collation_key
    from portal.org.models import Agent, Office, agent_communes, agent_hamlets

    build_pragmas()
    rng = random.Random(seed)
    today = date.today()  # noqa: DTZ011 - calendar date
    now = datetime.now(UTC)
    n_households = max(100, int(250_000 * scale))
    n_communes = max(4, int(100 * min(1.0, scale * 4)))
    per_commune = 10

    province = Province(code="15", name="Lào Cai", division_type="tỉnh")
    db.session.add(province)
    db.session.flush()
    province_office = Office(code="BHXH-15", kind="province", province_id=province.id)
    province_office.set_name("BHXH tỉnh Lào Cai")
    db.session.add(province_office)
    db.session.flush()
    offices = []
    for n in range(10):
        office = Office(code=f"CS{n:02d}", kind="local", province_id=province.id, parent_id=province_office.id)
        office.set_name(f"BHXH cơ sở số {n + 1}")
        offices.append(office)
    db.session.add_all(offices)
    db.session.flush()
    communes = []
    for n in range(n_communes):
        commune = Commune(code=f"{n + 1:05d}", province_id=province.id, division_type="xã",
                          office_id=offices[n % len(offices)].id)
        commune.set_name(f"Xã Thử Nghiệm {n + 1}")
        communes.append(commune)
    db.session.add_all(communes)
    db.session.flush()
    hamlets = []
    for commune in communes:
        for k in range(per_commune):
            hamlet = Hamlet(commune_id=commune.id, kind="thôn")
            hamlet.set_name(f"{HAMLET_NAMES[k % len(HAMLET_NAMES)]} {k + 1}")
            hamlets.append(hamlet)
    db.session.add_all(hamlets)
    db.session.flush()
    agents = []
    agent_name = _weighted(GIVEN_MALE, rng)
    for c, commune in enumerate(communes):
        office_id = commune.office_id
        own = [h for h in hamlets if h.commune_id == commune.id]
        # Three agents per commune: hamlets 0-3, 3-7 and 6-10, so hamlets 3 and 6 have two agents.
        for a, (lo, hi) in enumerate(((0, 4), (3, 7), (6, 10))):
            agent = Agent(code=f"DL{c:03d}{a}", office_id=office_id)
            agent.set_name(f"{_weighted(FAMILY, rng)()} Văn {agent_name()}")
            agents.append((agent, commune, own[lo:hi]))
    db.session.add_all([a for a, _c, _h in agents])
    db.session.flush()
    db.session.execute(insert(agent_communes), [{"agent_id": a.id, "commune_id": c.id} for a, c, _h in agents])
    db.session.execute(insert(agent_hamlets), [{"agent_id": a.id, "hamlet_id": h.id}
                                               for a, _c, hs in agents for h in hs])
    password = hash_password(PASSWORD)
    users = {"local_officer": User(username="bench-local", full_name="Cán Bộ Cơ Sở", role="local_officer",
                                   password_hash=password, office_id=offices[3].id),
             "province_officer": User(username="bench-province", full_name="Cán Bộ Tỉnh",
                                      role="province_officer", password_hash=password,
                                      office_id=province_office.id),
             "agent": User(username="bench-agent", full_name="Đại Lý Thu", role="agent", password_hash=password,
                           agent_id=agents[min(31, len(agents) - 1)][0].id)}
    db.session.add_all(users.values())
    db.session.commit()

    family = _weighted(FAMILY, rng)
    middle = {"male": _weighted(MIDDLE_MALE, rng), "female": _weighted(MIDDLE_FEMALE, rng)}
    given = {"male": _weighted(GIVEN_MALE, rng), "female": _weighted(GIVEN_FEMALE, rng)}
    keys: dict[str, tuple[str, str]] = {}

    def name_keys(name: str) -> tuple[str, str]:
        if name not in keys:
            keys[name] = (collation_key(name), fold_diacritics(name))
        return keys[name]

    hamlet_of = [(h.id, h.commune_id) for h in hamlets]
    person_id = 0
    batch = 5000
    samples = {"phone": [], "cccd": [], "bhxh": []}
    for start in range(0, n_households, batch):
        households, people, tokens, tags = [], [], [], []
        for n in range(start, min(start + batch, n_households)):
            hamlet_id, commune_id = hamlet_of[n % len(hamlet_of)]
            surname = family()
            size = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7))
            members = []
            for k in range(size):
                sex = "male" if (k == 0 and rng.random() < 0.8) or (k > 0 and rng.random() < 0.5) else "female"
                own_family = surname if k == 0 or k >= 2 else family()
                members.append((f"{own_family} {middle[sex]()} {given[sex]()}", sex, k))
            head = members[0][0]
            address = f"Nhà {n // len(hamlet_of) + 1}, ngõ {n % 37 + 1}"
            households.append({"id": n + 1, "hamlet_id": hamlet_id, "commune_id": commune_id, "head_name": head,
                               "address": address, "phone": f"03{n:08d}"[-10:] if n % 3 else None,
                               "poverty_status": ("poor", "near_poor", "none", "none", "none", "none",
                                                  "none", "none", "none", "none")[n % 10],
                               "match_key": f"{fold_diacritics(head)}|{fold_diacritics(address)}",
                               "sort_key": name_keys(head)[0], "address_key": text_collation_key(address),
                               "version": 1, "created_at": now, "updated_at": now})
            for name, sex, k in members:
                person_id += 1
                sort_key, folded = name_keys(name)
                age = rng.randint(30, 80) if k == 0 else rng.randint(0, 85)
                born = today - timedelta(days=age * 365 + rng.randint(0, 364))
                status = rng.choices(("never", "participating", "stopped"), weights=(88, 8, 4))[0]
                paid_until = None
                if status == "participating":
                    paid_until = today + timedelta(days=rng.randint(-20, 360))
                elif status == "stopped":
                    paid_until = today - timedelta(days=rng.randint(30, 1500))
                bhyt = today + timedelta(days=rng.randint(-400, 365)) if rng.random() < 0.6 else None
                phone = f"09{person_id:08d}" if rng.random() < 0.6 else None
                cccd = f"0{person_id:011d}" if age >= 14 else None
                bhxh = f"{person_id:010d}" if status != "never" or rng.random() < 0.3 else None
                if person_id % 4999 == 0 and phone and cccd and bhxh:
                    samples["phone"].append(phone)
                    samples["cccd"].append(cccd)
                    samples["bhxh"].append(bhxh)
                people.append({"id": person_id, "household_id": n + 1, "hamlet_id": hamlet_id,
                               "commune_id": commune_id, "full_name": name, "sort_key": sort_key,
                               "search_name": folded, "sex": sex, "date_of_birth": born, "cccd": cccd,
                               "bhxh_code": bhxh, "phone": phone,
                               "relation_to_head": "head" if k == 0 else ("spouse" if k == 1 else "child"),
                               "ethnic_minority": False, "bhxh_tn_status": status, "paid_until": paid_until,
                               "bhyt_expires_on": bhyt, "compulsory_insured": rng.random() < 0.1,
                               "version": 1, "created_at": now, "updated_at": now})
                tag = rng.choice(TAGS) if rng.random() < 0.12 else None
                if tag:
                    tags.append({"person_id": person_id, "tag": tag})
                tokens.extend(search_rows(person_id, full_name=name, sort_key=sort_key, commune_id=commune_id,
                                          hamlet_id=hamlet_id, search_name=folded, tags=[tag] if tag else ()))
        insert_rows(Household, households)
        insert_rows(Person, people)
        insert_rows(person_name_tokens, tokens)
        insert_rows(person_tags, tags)
        db.session.commit()
    return {"province_id": province.id, "office_id": offices[3].id, "province_office_id": province_office.id,
            "agent_id": agents[min(31, len(agents) - 1)][0].id, **samples}


def facts() -> dict:
    """What the timings need, read back from a database built earlier."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.extensions import db
    from portal.households.models import Person

    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.like("bench-%")))}
    rows = db.session.execute(select(Person.phone, Person.cccd, Person.bhxh_code).where(
        Person.id % 4999 == 0, Person.phone.is_not(None), Person.cccd.is_not(None),
        Person.bhxh_code.is_not(None))).all()
    local = users["bench-local"]
    province = users["bench-province"]
    from portal.org.models import Office

    return {"province_id": db.session.get(Office, province.office_id).province_id, "office_id": local.office_id,
            "province_office_id": province.office_id, "agent_id": users["bench-agent"].agent_id,
            "phone": [r[0] for r in rows], "cccd": [r[1] for r in rows], "bhxh": [r[2] for r in rows]}


def timed(label: str, runs: int, work, rollback: bool = True) -> tuple[float, float]:
    """Run ``work(i)`` ``runs`` times; print and return p50 and p95 in milliseconds (and the plan a search
    used, when ``work`` returns a search result)."""
    from portal.extensions import db

    durations, plans = [], set()
    for i in range(runs):
        started = time.perf_counter()
        result = work(i)
        durations.append((time.perf_counter() - started) * 1000)
        if hasattr(result, "plan"):
            plans.add(result.plan)
        if rollback:
            db.session.rollback()
    durations.sort()
    p50 = statistics.median(durations)
    p95 = durations[max(0, int(round(len(durations) * 0.95)) - 1)]
    flag = "" if p95 < 100 else "   <-- over 100 ms"
    plan = f" [{'/'.join(sorted(plans))}]" if plans else ""
    print(f"  {label + plan:<66} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{flag}", flush=True)
    return p50, p95


def search_cases(info: dict, office_communes: list[int]) -> list[tuple]:
    """The search shapes: (label, filter arguments of run i, [page])."""
    phones, cccds, codes = info["phone"], info["cccd"], info["bhxh"]
    return [
        ("name with diacritics 'Nguyễn Văn An'", lambda i: {"name": "Nguyễn Văn An"}),
        ("name without diacritics 'nguyen van an'", lambda i: {"name": "nguyen van an"}),
        ("common name 'nguyen thi huong'", lambda i: {"name": "nguyen thi huong"}),
        ("very common words 'nguyen van'", lambda i: {"name": "nguyen van"}),
        ("one common word being typed 'ng'", lambda i: {"name": "ng"}),
        ("rare name 'Giàng Seo Páo'", lambda i: {"name": "Giàng Seo Páo"}),
        ("rare given name 'nguyet'", lambda i: {"name": "nguyet"}),
        ("common middle and given name 'van anh'", lambda i: {"name": "van anh"}),
        ("unfinished last letter 'nguyen van t'", lambda i: {"name": "nguyen van t"}),
        ("name + filter: 'thi' aged 16-60, not participating", lambda i: {"name": "thi", "min_age": 16,
                                                                          "max_age": 60, "status": "never"}),
        ("phone (body)", lambda i: {"digits": phones[i % len(phones)]}),
        ("CCCD (body)", lambda i: {"digits": cccds[i % len(cccds)]}),
        ("social insurance code (body)", lambda i: {"digits": codes[i % len(codes)]}),
        ("one letter being typed 'n'", lambda i: {"name": "n"}),
        ("name + commune 'nguyen van', one commune", lambda i: {"name": "nguyen van",
                                                                  "commune_id": office_communes[i % len(office_communes)]}),
        ("name + card window 'nguyen', BHYT in 30 days", lambda i: {"name": "nguyen", "bhyt": "30"}),
        ("name + tag 'thi', near-poor", lambda i: {"name": "thi", "tag": "near_poor"}),
        ("list page, no query", lambda i: {}),
        ("list page, page 5", lambda i: {}, 5),
        ("list page, page 40 (the last)", lambda i: {}, 40),
        ("list page, one commune", lambda i: {"commune_id": office_communes[i % len(office_communes)]}),
        ("list page, one commune, page 10", lambda i: {"commune_id": office_communes[i % len(office_communes)]}, 10),
        ("list page, tag 'small_trader'", lambda i: {"tag": "small_trader"}),
        ("list page, stopped paying", lambda i: {"status": "stopped"}),
        ("list page, participating", lambda i: {"status": "participating"}),
        ("list page, compulsory insurance", lambda i: {"status": "compulsory"}),
        ("list page, BHYT card expiring in 30 days", lambda i: {"bhyt": "30"}),
        ("list page, BHYT card expired", lambda i: {"bhyt": "expired"}),
        ("list page, aged 16-60, never participated", lambda i: {"min_age": 16, "max_age": 60, "status": "never"}),
    ]


def measure(app, info: dict, runs: int, client_runs: int) -> None:
    """Time the query functions."""
    from portal.auth.scope import Scope
    from portal.extensions import db
    from portal.households import queries
    from portal.i18n.formatting import local_today

    scopes = {
        "local officer": Scope("office", province_id=info["province_id"], office_id=info["office_id"]),
        "province officer": Scope("province", province_id=info["province_id"],
                                  office_id=info["province_office_id"]),
    }
    agent_scope = Scope("agent", agent_id=info["agent_id"])
    from sqlalchemy import select

    from portal.geo.models import Commune

    office_communes = list(db.session.scalars(select(Commune.id).where(Commune.office_id == info["office_id"])))
    today = local_today()

    def search(f_kwargs, scope, page=1):
        return lambda i: queries.search_people(queries.PeopleFilter(**f_kwargs(i)), scope=scope, page=page)

    cases = search_cases(info, office_communes)
    for scope_name, scope in scopes.items():
        print(f"{scope_name} (query functions: one page of results + capped count):")
        for label, make, *page in cases:
            timed(label, runs, search(make, scope, page=page[0] if page else 1))
        for kind, label in (("paid_until", "due list: paid-until in the next 30 days"),
                            ("stopped", "due list: stopped paying in the last 365 days"),
                            ("bhyt_expiring", "due list: BHYT expiring in 30 days"),
                            ("bhyt_expired", "due list: BHYT expired in the last 30 days")):
            timed(label, runs, lambda i, kind=kind, scope=scope: queries.due_list(
                queries.DueFilter(kind=kind), scope=scope, today=today))
    print("agent (query functions):")
    timed("due list: paid-until in the next 30 days", runs, lambda i: queries.due_list(
        queries.DueFilter(kind="paid_until"), scope=agent_scope, today=today))
    timed("name 'nguyen van an'", runs, search(lambda i: {"name": "nguyen van an"}, agent_scope))
    timed("one common word being typed 'ng'", runs, search(lambda i: {"name": "ng"}, agent_scope))
    timed("list page, no query", runs, search(lambda i: {}, agent_scope))
    timed("list page, stopped paying", runs, search(lambda i: {"status": "stopped"}, agent_scope))



def compare_native(info: dict, runs: int) -> None:
    """Time every name and filter search shape through the planner and through each native text-search driver
    of the database (bench/_search_native.py), check they find the same people, and print one table."""
    from _search_native import DRIVERS, install, use
    from sqlalchemy import select

    from portal.auth.scope import Scope
    from portal.extensions import db
    from portal.geo.models import Commune
    from portal.households import queries

    drivers = DRIVERS[db.engine.dialect.name]
    for driver in drivers:
        took = install(driver)
        print(f"{driver} index: " + (f"built in {took:.0f} s" if took else "present"))
    office_communes = list(db.session.scalars(select(Commune.id).where(Commune.office_id == info["office_id"])))
    scopes = {"local": Scope("office", province_id=info["province_id"], office_id=info["office_id"]),
              "province": Scope("province", province_id=info["province_id"], office_id=info["province_office_id"]),
              "agent": Scope("agent", agent_id=info["agent_id"])}
    shapes = [(scope, label, make, page[0] if page else 1) for scope in ("local", "province")
              for label, make, *page in search_cases(info, office_communes) if "body" not in label]
    shapes += [("agent", label, make, 1) for label, make in (
        ("name 'nguyen van an'", lambda i: {"name": "nguyen van an"}),
        ("one common word being typed 'ng'", lambda i: {"name": "ng"}),
        ("list page, no query", lambda i: {}),
        ("list page, stopped paying", lambda i: {"status": "stopped"}))]
    names = ("planner", *drivers)
    header = f"{'scope':<9}{'shape':<52}" + "".join(f"{n + ' p50/p95 ms':>22}" for n in names)
    print(f"\n{len(shapes)} shapes, {runs} runs each (a driver stops after 5 runs whose median is over 1 s)")
    print(header)
    misses = dict.fromkeys(names, 0)
    for scope_name, label, make, page in shapes:
        cells, pages = [], {}
        for name in names:
            use(None if name == "planner" else name)
            durations = []
            try:
                for i in range(runs):
                    f = queries.PeopleFilter(**make(i))
                    started = time.perf_counter()
                    result = queries.search_people(f, scope=scopes[scope_name], page=page)
                    durations.append((time.perf_counter() - started) * 1000)
                    if i == 0:
                        pages[name] = ([row[0].id for row in result.rows], result.count)
                    db.session.rollback()
                    if i == 4 and statistics.median(durations) > 1000:
                        break
            finally:
                use(None)
            durations.sort()
            p50 = statistics.median(durations)
            p95 = durations[max(0, int(round(len(durations) * 0.95)) - 1)]
            misses[name] += p95 >= 100
            cells.append(f"{p50:9.1f}/{p95:9.1f}{'*' if p95 >= 100 else ' '}")
        same = "" if all(p == pages["planner"] for p in pages.values()) else "  (results differ!)"
        print(f"{scope_name:<9}{label[:51]:<52}" + "".join(f"{c:>22}" for c in cells) + same, flush=True)
    print("shapes over the p95 < 100 ms target (*): "
          + ", ".join(f"{n} {misses[n]} of {len(shapes)}" for n in names))


def measure_requests(app, info: dict, client_runs: int) -> None:
    """Time a few full requests through the Flask test client (outside any app context, like a server)."""
    import re

    token_re = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    phones = info["phone"]
    headers = {"HX-Request": "true", "HX-Target": "results"}
    print("through the Flask test client (query and rendering of the results block):")
    for username in ("bench-local", "bench-province", "bench-agent"):
        client = app.test_client()
        token = token_re.search(client.get("/login").get_data(as_text=True)).group(1)
        response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.status_code
        token = token_re.search(client.get("/households/").get_data(as_text=True)).group(1)

        def get(url, client=client):
            def work(i):
                response = client.get(url, headers=headers)
                assert response.status_code == 200, response.status_code
            return work

        def post(i, client=client, token=token):
            response = client.post("/households/search", data={"q": phones[i % len(phones)], "csrf_token": token},
                                   headers=headers)
            assert response.status_code == 200, response.status_code

        def due(i, client=client):
            response = client.get("/households/due?kind=paid_until")
            assert response.status_code == 200, response.status_code

        print(f"  {username}:")
        timed("GET /households/?q=nguyen+van+an (results block)", client_runs, get("/households/?q=nguyen+van+an"),
              rollback=False)
        timed("GET /households/ (list page, results block)", client_runs, get("/households/"), rollback=False)
        timed("POST /households/search a phone (results block)", client_runs, post, rollback=False)
        timed("GET /households/due?kind=paid_until (whole page)", client_runs, due, rollback=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "portal-bench-households.sqlite3"),
                        help="SQLite file when no --database-url is given")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 250,000 households / ~1,000,000 people")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--client-runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    parser.add_argument("--native", action="store_true",
                        help="compare the planner with the database's own text search (bench/_search_native.py)")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    url = args.database_url or f"sqlite:///{args.sqlite}"

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from bench._bulk import end_build
    from portal import create_app
    from portal.extensions import db
    from portal.households.models import Household, Person

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        existing = False
        if args.reuse:
            try:
                existing = bool(db.session.scalar(select(func.count()).select_from(Person)))
            except Exception:  # noqa: BLE001 - no schema yet
                db.session.rollback()
        if existing:
            info = facts()
            built = "reused"
        else:
            if args.database_url:
                downgrade(revision="base")
            elif os.path.exists(args.sqlite):
                db.engine.dispose()
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(args.sqlite + suffix):
                        os.remove(args.sqlite + suffix)
            upgrade()
            started = time.perf_counter()
            info = build(args.scale)
            end_build()
            db.session.close()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
            else:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            built = f"built in {time.perf_counter() - started:.0f} s"
        households = db.session.scalar(select(func.count()).select_from(Household))
        people = db.session.scalar(select(func.count()).select_from(Person))
        print(f"database: {db.engine.dialect.name} {db.engine.url.render_as_string(hide_password=True)}")
        print(f"{households:,} households, {people:,} people; {built}; {args.runs} runs per query, "
              f"{args.client_runs} per request; target p95 < 100 ms\n")
        if args.native:
            compare_native(info, args.runs)
            return
        if not args.build_only:
            measure(app, info, args.runs, args.client_runs)
    if not args.build_only:
        measure_requests(app, info, args.client_runs)


if __name__ == "__main__":
    main()
