"""Demo households and people for the demo territory: plausible names by ethnic group, coverage and tags."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..households.models import Household, Person, person_name_tokens, person_tags
from ..households.services import place_person, search_rows, set_household_fields

# (family names, male middle+given, female middle+given, ethnicity)
_GROUPS = [
    (["Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Vũ", "Bùi", "Đặng", "Ngô"],
     (["Văn", "Đức", "Minh", "Quang", "Xuân"], ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Sơn",
                                                "Thắng", "Tuấn", "Việt"]),
     (["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Hồng"], ["Anh", "Ánh", "Dung", "Hà", "Hằng", "Hương", "Lan",
                                                          "Mai", "Nga", "Thảo", "Trang", "Yến"]),
     "Kinh"),
    (["Giàng", "Sùng", "Vàng", "Lù", "Thào", "Hầu", "Lý"],
     (["A", "Seo", "Văn"], ["Páo", "Chứ", "Pháng", "Sử", "Dình", "Tủa", "Chư", "Lử"]),
     (["Thị"], ["Mỷ", "Dợ", "Sinh", "Dí", "Mai", "Chá", "Pà", "Sua"]),
     "Mông"),
    (["Triệu", "Bàn", "Lý", "Đặng"],
     (["Văn", "Tiến", "Kim"], ["Kiều", "Phin", "Quẩy", "Sinh", "Tả", "Vần"]),
     (["Thị", "Mùi"], ["Nải", "Mẩy", "Slan", "Chòi", "Xuân"]),
     "Dao"),
    (["Hoàng", "Nông", "Lục", "Hà", "Ma", "Hứa"],
     (["Văn", "Đình"], ["Lợi", "Thành", "Khoa", "Lâm", "Phong"]),
     (["Thị"], ["Lả", "Nhung", "Tươi", "Hoa", "Hiền"]),
     "Tày"),
]
_OCCUPATIONS = ["Làm nông", "Làm nông", "Làm nông", "Buôn bán nhỏ", "Kinh doanh hộ gia đình", "Thợ thủ công",
                "Lao động tự do", "Công nhân", "Làm thuê", None]


def _person_name(rng: random.Random, family: str, group, sex: str) -> str:
    middles, givens = group[1] if sex == "male" else group[2]
    return f"{family} {rng.choice(middles)} {rng.choice(givens)}"


def _birth(rng: random.Random, min_age: int, max_age: int, today: date) -> date:
    return today - timedelta(days=rng.randint(min_age * 365, max_age * 365))


#: BHXH's code of the demo province, the first two digits of the social insurance codes it gives.
_BHXH_PROVINCE = "15"
#: The code of the demo province in CCCD numbers (the place of birth, Decree 137/2015 appendix).
_CCCD_PROVINCE = "010"


def _identity(person: Person, serial: int, phones: random.Random, today: date) -> None:
    """What the declaration asks of a person, unique per ``serial``: a CCCD from 14 years of age (province of
    birth, century and sex, year of birth, then a number), a social insurance code for everyone with cover and
    for children, nationality, a phone for most adults; the older people often have only a year of birth on
    record, as BHXH's old books did."""
    born = person.date_of_birth
    age = today.year - born.year
    number = (serial * 7919) % 10**6  # spread the numbers, one to one
    if age >= 14:
        century = (0 if born.year < 2000 else 2) + (person.sex == "female")
        person.cccd = f"{_CCCD_PROVINCE}{century}{born.year % 100:02d}{number:06d}"
    if age < 14 or person.bhyt_expires_on is not None or person.bhxh_tn_status != "never" or serial % 3 == 0:
        person.bhxh_code = f"{_BHXH_PROVINCE}{(serial * 104729) % 10**8:08d}"
    person.nationality = "Việt Nam"
    if age >= 18 and phones.random() < 0.7:
        person.phone = phones.choice(["09", "08", "03"]) + f"{phones.randrange(10**8):08d}"
    if age >= 60 and serial % 4 == 0:
        person.date_of_birth, person.birth_year_only = date(born.year, 1, 1), True


def load_households(rng: random.Random, today: date, per_hamlet: tuple[int, int] = (10, 18)) -> int:
    """Create households in every hamlet of served communes that has none yet; return records added."""
    hamlets = db.session.scalars(
        select(Hamlet).join(Commune, Commune.id == Hamlet.commune_id).where(Commune.office_id.is_not(None))
        .order_by(Hamlet.id)
    ).all()
    filled = set(db.session.scalars(select(Household.hamlet_id).group_by(Household.hamlet_id)))
    created = 0
    for hamlet in hamlets:
        count = rng.randint(*per_hamlet)
        if hamlet.id in filled:
            continue
        minority_share = 0.2 if hamlet.kind == "tổ dân phố" else 0.75
        households, members = [], []
        for number in range(1, count + 1):
            group = rng.choice(_GROUPS[1:]) if rng.random() < minority_share else _GROUPS[0]
            family = rng.choice(group[0])
            head_sex = "male" if rng.random() < 0.8 else "female"
            head = _person_name(rng, family, group, head_sex)
            household = Household(phone=None, poverty_status=rng.choices(
                ["none", "near_poor", "poor"], [0.75, 0.15, 0.10])[0])
            address = f"Số {number}, {hamlet.name}" if hamlet.kind == "tổ dân phố" else f"Nhà {number}, {hamlet.name}"
            set_household_fields(household, hamlet=hamlet, head_name=head, address=address)
            household.phone = rng.choice(["09", "08", "03"]) + f"{rng.randrange(10**8):08d}"
            households.append(household)
            people = [(head, head_sex, "head", _birth(rng, 28, 70, today))]
            spouse_sex = "female" if head_sex == "male" else "male"
            if rng.random() < 0.85:
                spouse_family = rng.choice(group[0])
                people.append((_person_name(rng, spouse_family, group, spouse_sex), spouse_sex, "spouse",
                               _birth(rng, 25, 65, today)))
            for _ in range(rng.randint(0, 4)):
                sex = rng.choice(["male", "female"])
                people.append((_person_name(rng, family, group, sex), sex, "child", _birth(rng, 1, 30, today)))
            members.append((household, people, group[3]))
        db.session.add_all(households)
        db.session.flush()
        created += len(households)
        person_rows = []
        phones = random.Random(f"phones-{hamlet.id}")  # apart from ``rng``: the rest of the demo stays the same
        for household, people, ethnicity in members:
            for name, sex, relation, born in people:
                person = Person(sex=sex, relation_to_head=relation, date_of_birth=born, ethnicity=ethnicity,
                                ethnic_minority=ethnicity != "Kinh")
                person.set_name(name)
                place_person(person, household)
                _coverage(rng, person, today)
                person.occupation = rng.choice(_OCCUPATIONS) if today.year - born.year >= 18 else "Học sinh"
                _identity(person, hamlet.id * 200 + len(person_rows), phones, today)
                person_rows.append((person, household.poverty_status))
        db.session.add_all([p for p, _ in person_rows])
        db.session.flush()
        created += len(person_rows)
        tags = []
        for person, poverty in person_rows:
            age = today.year - person.date_of_birth.year
            if poverty == "near_poor" and age >= 15:
                tags.append({"person_id": person.id, "tag": "near_poor"})
            if person.occupation == "Kinh doanh hộ gia đình":
                tags.append({"person_id": person.id, "tag": "household_business"})
            if person.occupation == "Buôn bán nhỏ":
                tags.append({"person_id": person.id, "tag": "small_trader"})
            if person.occupation == "Thợ thủ công":
                tags.append({"person_id": person.id, "tag": "craft_village"})
            if person.occupation == "Công nhân" and rng.random() < 0.3:
                tags.append({"person_id": person.id, "tag": "contract_ended"})
        if tags:
            db.session.execute(insert(person_tags), tags)
        tags_of: dict[int, list[str]] = {}
        for row in tags:
            tags_of.setdefault(row["person_id"], []).append(row["tag"])
        db.session.execute(insert(person_name_tokens), [
            row for p, _ in person_rows for row in search_rows(
                p.id, full_name=p.full_name, sort_key=p.sort_key, commune_id=p.commune_id, hamlet_id=p.hamlet_id,
                search_name=p.search_name, tags=tags_of.get(p.id, ()))])
    return created


def _coverage(rng: random.Random, person: Person, today: date) -> None:
    age = today.year - person.date_of_birth.year
    if 18 <= age <= 60:
        roll = rng.random()
        if roll < 0.08:
            person.compulsory_insured = True
        elif roll < 0.17:
            person.bhxh_tn_status = "participating"
            person.paid_until = today + timedelta(days=rng.randint(-20, 200))
        elif roll < 0.22:
            person.bhxh_tn_status = "stopped"
            person.paid_until = today - timedelta(days=rng.randint(60, 900))
    if rng.random() < 0.7:
        person.bhyt_expires_on = today + timedelta(days=rng.randint(-120, 365))


def household_count() -> int:
    """Households in the database."""
    return db.session.scalar(select(func.count()).select_from(Household)) or 0
