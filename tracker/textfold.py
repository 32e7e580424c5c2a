"""How Vietnamese text is compared: NFC, one tone placement, diacritic folding.

Annexes arrive decomposed (NFD, e.g. from cp1258), with old-style tone marks
("hoà", "Uỷ") or without accents at all; comparisons must not care.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# In an open syllable "oa", "oe", "uy" the official style (Decree 30/2020) puts
# the tone on the first vowel: "hòa", "Ủy". "quý" keeps its tone: qu is a consonant.
_OLD_TONE = re.compile(r"(?<![qQ])([oO](?=[aAeE])|[uU](?=[yY]))([aAeEyY][" + _TONES + r"])(?!\w)")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def clean(text: object) -> str:
    """NFC, non-breaking spaces folded, runs of spaces collapsed, ends trimmed; keeps line breaks."""
    if text is None:
        return ""
    value = str(text)
    # Most cells are tidy already; isprintable() is False for every whitespace but the ASCII space.
    if (
        value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
        and unicodedata.is_normalized("NFC", value)
    ):
        return value
    return _tidy(value)


def _tidy(text: str) -> str:
    value = unicodedata.normalize("NFC", text)
    lines = (_SPACES.sub(" ", line).strip() for line in value.splitlines())
    return "\n".join(lines).strip()


def modern_tones(text: str) -> str:
    """Move old-style tone marks ("hoà", "Uỷ") to the official place ("hòa", "Ủy")."""
    decomposed = unicodedata.normalize("NFD", text)

    def move(match: re.Match[str]) -> str:
        first, toned = match.group(1), match.group(2)
        return first + toned[-1] + toned[:-1]

    return unicodedata.normalize("NFC", _OLD_TONE.sub(move, decomposed))


class _Unmarked(dict[int, int | None]):
    """str.translate's table that drops the nonspacing marks (category Mn) and turns đ into d
    (Unicode does not decompose it): each code point is looked up once, then by the table in C,
    where asking each character's category cost 8 µs of a task's title on import."""

    def __missing__(self, point: int) -> int | None:
        kept = None if unicodedata.category(chr(point)) == "Mn" else point
        self[point] = kept
        return kept


_UNMARKED = _Unmarked({ord("đ"): ord("d"), ord("Đ"): ord("D")})


def fold(text: object) -> str:
    """Lower case, no diacritics, single spaces."""
    stripped = unicodedata.normalize("NFD", clean(text)).translate(_UNMARKED)
    return _SPACES.sub(" ", stripped.replace("\n", " ")).strip().lower()


# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u.
# Keyed on the base letter with its vowel mark; the tone is a second, weaker key.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
# Tones in the dictionary order: none, huyền, sắc, hỏi, ngã, nặng.
_TONE_ORDER = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


# Cached: a text has few distinct characters, and a list of 100,000 tasks by unit has few
# distinct names, each sorted on once per task.
@cache
def _letter_key(char: str) -> tuple[tuple[int, int], int]:
    """(base letter, vowel mark) and tone of one composed character."""
    parts = unicodedata.normalize("NFD", char.lower())
    base = parts[:1]
    mark = next((_LETTER_MARKS[part] for part in parts[1:] if part in _LETTER_MARKS), 0)
    tone = next((_TONE_ORDER[part] for part in parts[1:] if part in _TONE_ORDER), 0)
    if base == "đ":
        base, mark = "d", 1
    return (ord(base) if base else 0, mark), tone


@lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]:
    """Sort key of TEXT in Vietnamese order: letters first (Đ after D, Ă/Â after A), then
    tones (a, à, á, ả, ã, ạ), then case; the one key every list of names sorts by."""
    value = unicodedata.normalize("NFC", clean(text))
    keys = [_letter_key(char) for char in value]
    return tuple(letter for letter, _ in keys), tuple(tone for _, tone in keys), value
