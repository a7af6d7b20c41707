"""Vietnamese collation keys for sorting names by given name.

Vietnamese names are written family name, middle name(s), given name; lists are sorted by the given name
(the last word), then the middle names in order, then the family name. Words compare one after the other, as
in a Vietnamese dictionary: first a word's letters in the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n
o ô ơ p q r s t u ư v x y), then its tones in the order ngang, huyền, hỏi, ngã, sắc, nặng; only when both are
equal does the next word count. So "Nguyễn Văn Anh" comes before "Trần Thị Ánh" (the given names differ by a
tone) although "Thị" comes before "Văn".

Each word's key is its letter codes, LEVEL_SEPARATOR, then one tone digit per letter; words are joined by
WORD_SEPARATOR. Two words with the same letters have tone parts of the same length, so the next word's key
always starts at the same position and a word that is a prefix of another ("An", "Anh") sorts first.

The key is a string of ASCII digits and lower-case letters only, so the database orders it the same way
under any collation (byte order in SQLite, "C" or a linguistic locale in PostgreSQL).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks that change the letter (part of the primary key).
_LETTER_MARKS = {
    "\u0306": "breve",  # ă
    "\u0302": "circumflex",  # â ê ô
    "\u031b": "horn",  # ơ ư
}
# Combining marks that are tones (secondary key), in dictionary order after "no tone" (0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _code(n: int) -> str:
    return _DIGITS[n // 36] + _DIGITS[n % 36]


# Codes start above "0z" so that the word separator "00" sorts before every letter.
_LETTER_CODE = {letter: _code(36 + i) for i, letter in enumerate(_ALPHABET)}
_DIGIT_BASE = 10  # digits in names (rare) sort before letters
_OTHER = _code(36 + len(_ALPHABET))  # anything else sorts after z
WORD_SEPARATOR = "00"
LEVEL_SEPARATOR = "01"


def _split_letter(ch: str) -> tuple[str, int]:
    """Return the Vietnamese base letter (with ă/â/ơ… marks) and the tone number of one character."""
    if ch in "đĐ":
        return "đ", 0
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = 0
    marks = ""
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            marks += mark
    letter = unicodedata.normalize("NFC", base + marks)
    return letter, tone


@lru_cache(maxsize=65536)  # names repeat a small vocabulary: imports and bulk builds hit this cache
def _word_keys(word: str) -> tuple[str, str]:
    primary = []
    tones = []
    for ch in word:
        letter, tone = _split_letter(ch)
        if letter in _LETTER_CODE:
            primary.append(_LETTER_CODE[letter])
        elif letter.isdigit():
            primary.append(_code(_DIGIT_BASE + int(letter)))
        elif letter.isalnum():
            primary.append(_OTHER)
        else:
            continue  # punctuation does not sort
        tones.append(str(tone))
    return "".join(primary), "".join(tones)


def name_words_in_sort_order(full_name: str) -> list[str]:
    """Given name first, then middle names in order, then the family name."""
    words = unicodedata.normalize("NFC", full_name).split()
    if len(words) <= 1:
        return words
    return [words[-1], *words[1:-1], words[0]]


def collation_key(full_name: str) -> str:
    """Sort key for a Vietnamese personal name (given name first)."""
    return text_collation_key(" ".join(name_words_in_sort_order(full_name or "")))


_DIGIT_RUN = re.compile(r"\d+")


def text_collation_key(text: str) -> str:
    """Sort key for any Vietnamese text in its written word order (place names, titles).

    Numbers sort by value ("Tổ dân phố 2" before "Tổ dân phố 10").
    """
    text = _DIGIT_RUN.sub(lambda m: m.group(0).zfill(6), unicodedata.normalize("NFC", text or ""))
    keys = (_word_keys(w) for w in text.split())
    return WORD_SEPARATOR.join(primary + LEVEL_SEPARATOR + tones for primary, tones in keys if primary)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    word = unicodedata.normalize("NFD", word).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in word if unicodedata.category(ch) != "Mn").lower()


def fold_diacritics(text: str) -> str:
    """Lower-case ASCII form for searching without diacritics ("Nguyễn Văn Ân" -> "nguyen van an")."""
    return " ".join(folded for word in (text or "").split() if (folded := _fold_word(word)))
