"""Vietnamese collation of names, case by case: the given name's letters, then its tones, then the middle and
family names the same way; the same order from either database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import normalise
from portal.i18n.collation import collation_key, text_collation_key

# Each case lists names in the expected order; they are sorted from every rotation of the reversed list.
CASES = {
    # A tone on the given name outweighs every later word: no "Anh, Ánh, Anh, Ánh".
    "anh": ["Nguyễn Văn Anh", "Trần Văn Anh", "Lê Thị Ánh", "Phạm Thị Ánh"],
    # The same for "Chư" (no tone) and "Chứ" (sắc), whatever the middle names.
    "chu": ["Võ Thị Chư", "Đinh Văn Chư", "Hà Thị Chứ", "Lò Văn Chứ"],
    # Y with each tone, in dictionary order ngang, huyền, hỏi, ngã, sắc, nặng.
    "y": ["Bùi Thị Y", "Hồ Văn Y", "Cao Thị Ỳ", "Đào Văn Ỷ", "Lê Văn Ỷ", "Mai Thị Ỹ", "Ngô Văn Ỹ", "Kiều Thị Ý",
          "Lý Văn Ý", "Tạ Thị Ỵ"],
    # Letters before tones within a word: a ă â, then "An" before "Anh" (a prefix first).
    "letters": ["Lê Văn An", "Lê Thị Ạn", "Lê Văn Anh", "Lê Văn Ánh", "Lê Văn Ăn", "Lê Văn Ân", "Lê Văn Bảo"],
    # Equal given names: middle names decide, word by word (letters then tones), then the family name.
    "middle": ["Nguyễn Thì Bình", "Đỗ Thị Hà Bình", "Lê Thị Bình", "Trần Thị Bình", "Lê Văn Bình"],
    # Names of the Ê Đê, Gia Rai and Ba Na peoples: the apostrophe does not sort; Y, H' are words of the name.
    "minorities": ["Nay Y Bhin", "Ksor H'Ben", "Rơ Mah H'Bia", "Siu H'Bia", "Y Ngông Niê Kđăm", "Ksor Y Ngông"],
    # đ after d, ơ after ô after o, ư after u.
    "alphabet": ["Hà Du", "Hà Dư", "Hà Đa", "Hà Đô", "Hà Đơ", "Hà Đu"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_names_sort_in_vietnamese_order(case):
    expected = CASES[case]
    shuffled = list(reversed(expected))
    for shift in range(len(shuffled)):
        rotation = shuffled[shift:] + shuffled[:shift]
        assert sorted(rotation, key=collation_key) == expected


def test_words_compare_one_after_the_other_in_place_names():
    places = ["Bản Pa", "Bản Pá", "Bản Pà Cò", "Bàn Pa", "Bạn Pa", "Tổ dân phố 2", "Tổ dân phố 10"]
    assert sorted(reversed(places), key=text_collation_key) == [
        "Bàn Pa", "Bản Pa", "Bản Pà Cò", "Bản Pá", "Bạn Pa", "Tổ dân phố 2", "Tổ dân phố 10"]
    # The first word's tone decides before the second word's letters.
    assert text_collation_key("Bàn Pa") < text_collation_key("Bản A")


def test_the_database_orders_stored_keys_the_same_way(world):
    from portal.households.models import Person
    from tests.factories import make_hamlet, make_household

    hamlet = make_hamlet(world.own.commune, "Thôn Thứ Tự")
    names = [name for case in sorted(CASES) for name in CASES[case]]
    for n, name in enumerate(reversed(names)):
        make_household(hamlet, name, address=f"Nhà {n}")
    stored = db.session.scalars(select(Person.full_name).where(Person.hamlet_id == hamlet.id)
                                .order_by(Person.sort_key, Person.id)).all()
    assert stored == sorted(names, key=collation_key)
    for case in CASES.values():
        assert [name for name in stored if name in case] == case


@pytest.mark.parametrize(("typed", "kept"), [
    ("KSOR H'BEN", "Ksor H'Ben"),
    ("rơ mah h'bia", "Rơ Mah H'Bia"),
    ("NAY Y BHIN", "Nay Y Bhin"),
    ("h’hen niê", "H’Hen Niê"),
    ("nguyễn thị ánh", "Nguyễn Thị Ánh"),
])
def test_names_keep_a_capital_after_an_apostrophe(typed, kept):
    assert normalise.person_name(typed) == kept
