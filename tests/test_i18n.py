"""Translations, Vietnamese formatting and collation."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.i18n.collation import collation_key, fold_diacritics
from portal.i18n.formatting import (
    document_date_line,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent,
    parse_date,
)

ROOT = Path(__file__).resolve().parent.parent


def _source_messages() -> set[tuple[str | None, str]]:
    """(context, message) of every translatable string of the code and templates."""
    method_map = [("portal/**.py", "python"), ("portal/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
                "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


@pytest.mark.once  # the source and the catalogue: the same whatever the test database
def test_every_user_facing_string_has_a_vietnamese_translation():
    with open(ROOT / "portal/translations/vi/LC_MESSAGES/messages.po", "rb") as fh:
        catalogue = read_po(fh, locale="vi")
    translated = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and m.string and (m.string if isinstance(m.string, str) else m.string[0]) and not m.fuzzy
    }
    source = _source_messages()
    assert source, "no messages extracted"
    missing = sorted(source - translated, key=lambda m: (m[0] or "", m[1]))
    assert not missing, "Missing Vietnamese translations (run `make messages`, then translate):\n" + "\n".join(
        f"{context}: {message}" if context else message for context, message in missing)


def test_english_can_be_chosen(client, auth):
    auth.login("viewer")
    html = client.get("/").get_data(as_text=True)
    assert "Xin chào" in html
    client.post("/language", data={"lang": "en", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Hello" in html and "Sign out" in html


def test_language_choice_before_login(client):
    client.post("/language", data={"lang": "en", "next": "/login"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] in ("/", "/login?next=/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (330000, "330.000"), (1234567, "1.234.567"), (-1500000, "-1.500.000"), (None, "")],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_format_money_and_percent():
    assert format_money(330000) == "330.000 đ"
    assert format_money(264000, unit="đồng") == "264.000 đồng"
    assert format_percent(101.12) == "101,1%"
    assert format_number(12.5, 1) == "12,5"


def test_format_dates():
    assert format_date(date(2026, 5, 1)) == "01/05/2026"
    # 17:30 UTC is 00:30 the next day in Vietnam.
    assert format_date(datetime(2026, 4, 30, 17, 30, tzinfo=UTC)) == "01/05/2026"
    assert format_datetime(datetime(2026, 4, 30, 17, 30, tzinfo=UTC)) == "00:30 01/05/2026"
    assert document_date_line("Lào Cai", date(2026, 2, 5)) == "Lào Cai, ngày 05 tháng 02 năm 2026"
    assert document_date_line("Lào Cai", date(2026, 11, 22)) == "Lào Cai, ngày 22 tháng 11 năm 2026"


@pytest.mark.parametrize("text", ["01/05/2026", "1/5/2026", "01-05-2026", "2026-05-01", "01.05.2026"])
def test_parse_date(text):
    assert parse_date(text) == date(2026, 5, 1)


@pytest.mark.parametrize("text", ["", "31/02/2026", "1/5/26", "hôm qua"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_names_sort_by_given_name_then_middle_then_family():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Phạm Anh", "Đỗ Thị Ánh"]
    ordered = sorted(names, key=collation_key)
    assert ordered == ["Trần Thị An", "Lê Văn An", "Phạm Anh", "Đỗ Thị Ánh", "Nguyễn Văn Bình"]


def test_vietnamese_letter_order():
    # a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư: by given name.
    names = ["X Ư", "X U", "X Ơ", "X Ô", "X O", "X Đ", "X D", "X Ê", "X E", "X Â", "X Ă", "X A"]
    ordered = [n.split()[1] for n in sorted(names, key=collation_key)]
    assert ordered == ["A", "Ă", "Â", "D", "Đ", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư"]


def test_tones_only_break_ties_in_dictionary_order():
    words = ["Ạn", "Án", "Ãn", "Ản", "Àn", "An"]
    ordered = sorted((f"Lê {w}" for w in words), key=collation_key)
    assert [n.split()[1] for n in ordered] == ["An", "Àn", "Ản", "Ãn", "Án", "Ạn"]
    # A letter difference outweighs a tone difference later or earlier in the name.
    assert collation_key("Lê Án") < collation_key("Lê Bạ")
    assert collation_key("Lê Anh") > collation_key("Lê Ạn")


def test_collation_ignores_case_and_normal_form():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert collation_key(nfd) == collation_key("nguyễn thị ánh") == collation_key("NGUYỄN THỊ ÁNH")


def test_collation_keys_are_plain_ascii_for_any_database_collation():
    rng = random.Random(7)
    syllables = ["Ánh", "Đức", "Hương", "Ngọc", "Ơn", "Ửng", "Yến", "Bảo", "Quỳnh", "Trâm"]
    for _ in range(200):
        key = collation_key(" ".join(rng.choice(syllables) for _ in range(3)))
        assert key.isascii() and key.replace("0", "").isalnum()


def test_fold_diacritics():
    assert fold_diacritics("Nguyễn Văn Ân") == "nguyen van an"
    assert fold_diacritics("ĐỖ  THỊ   Ánh") == "do thi anh"


def test_wtforms_own_messages_speak_vietnamese(app):
    """A validator without a message of its own (Length, NumberRange, a bad integer) answers in Vietnamese."""
    from flask_wtf import FlaskForm
    from wtforms import IntegerField, StringField
    from wtforms.validators import InputRequired, Length

    class Probe(FlaskForm):
        name = StringField(validators=[Length(max=5)])
        count = IntegerField(validators=[InputRequired()])

    with app.test_request_context(method="POST", data={"name": "Nguyễn Văn A", "count": "nhiều"}):
        form = Probe(meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == ["Tối đa 5 ký tự."]
        assert form.count.errors[0] == "Cần nhập một số nguyên."


def test_template_gettext_follows_the_locale_and_escapes_like_jinjas_own(app):
    """The templates' gettext (portal/i18n/catalogue.py) in place of flask-babel's: the request's locale, a
    forced locale inside it, variables escaped, plural and contextual forms formatted."""
    from flask_babel import force_locale

    page = ('{{ _("Household of %(name)s", name=who) }}|{{ ngettext("%(num)s event", "%(num)s events", 3) }}|'
            '{{ pgettext("document", "%(amount)s VND", amount="5.000") }}')
    template = app.jinja_env.from_string(page)
    with app.test_request_context("/"):
        vietnamese = template.render(who="<b>A</b>")
        with force_locale("en"):
            english = template.render(who="B")
        again = template.render(who="C")
    assert vietnamese == "Hộ ông/bà &lt;b&gt;A&lt;/b&gt;|3 hoạt động|5.000 đ"
    assert english == "Household of B|3 events|5.000 VND"
    assert again.startswith("Hộ ông/bà C|")
    with app.app_context():  # outside a request (jobs, the command line): flask-babel's default catalogue
        assert app.jinja_env.from_string('{{ _("Household of %(name)s", name="D") }}').render() == "Hộ ông/bà D"
