"""How a target is read: the text of an annex cell → a comparison a value can be held to.

"≥ 80", "≥ 80%", "tối thiểu 80" are at least 80; "≤ 5", "không quá 5" at most 5;
a bare number ("90", "100%") is a level to reach, so at least it; "20% - 50%"
and "từ 20 đến 50" a range; "Top 20" and "thuộc nhóm 20 tỉnh dẫn đầu" a rank
of 20 or better. Targets written in words ("Đạt mức tiên tiến …") stay text:
`parse_target` gives None and the indicator's status is not judged by number.
Numbers are written the Vietnamese way: "2,5" is two and a half, "1.000" a thousand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.textfold import fold


@dataclass(frozen=True)
class Target:
    op: str  # ">=", "<=", ">", "<", "between", "rank<="
    value: float
    high: float | None = None  # the upper end of a range

    def as_json(self) -> dict[str, object]:
        if self.op == "between":
            return {"op": self.op, "low": plain_number(self.value), "high": plain_number(self.high)}
        return {"op": self.op, "value": plain_number(self.value)}

    def met_by(self, value: float) -> bool:
        """Whether VALUE satisfies the target; a rank is better the smaller it is."""
        if self.op in (">=",):
            return value >= self.value
        if self.op in ("<=", "rank<="):
            return value <= self.value
        if self.op == ">":
            return value > self.value
        if self.op == "<":
            return value < self.value
        assert self.high is not None, "a range has both ends"
        return self.value <= value <= self.high


def plain_number(number: float | None) -> float | int | None:
    """80.0 as 80: scripts compare the JSON with the annex."""
    if number is not None and number.is_integer():
        return int(number)
    return number


_NUMBER = r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
# Whatever may follow a number without changing what it means: a percent, "/năm", "trở lên".
_UNIT_TAIL = r"\s*%?\s*(?:/\s*nam)?\s*"
_PREFIXES = (
    (r"(?:≥|>=|=>|≧|toi thieu|it nhat|khong duoi|khong thap hon|dat tren|dat it nhat)", ">="),
    (r"(?:≤|<=|=<|≦|toi da|khong qua|khong vuot qua|khong cao hon)", "<="),
    (r"(?:>|tren|cao hon)", ">"),
    (r"(?:<|duoi|thap hon)", "<"),
    (r"(?:dat|bang|=)?", ">="),
)
_SINGLE = [
    re.compile(rf"^{prefix}\s*{_NUMBER}{_UNIT_TAIL}(?P<suffix>tro len|tro xuong)?\s*$")
    for prefix, _ in _PREFIXES
]
_RANGE = re.compile(rf"^(?:tu\s*)?{_NUMBER}{_UNIT_TAIL}(?:-|–|—|den|toi)\s*{_NUMBER}{_UNIT_TAIL}$")
_RANK = re.compile(r"\b(?:top|nhom)\s*(\d{1,3})\b")


def read_number(text: str) -> float | None:
    """A number as an annex writes it: "2,5" → 2.5, "1.000" → 1000, "0.5" → 0.5; else None."""
    value = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", value):
        value = value.replace(".", "")
    value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_target(text: str) -> Target | None:
    """The target TEXT states, or None when it is written in words (see the module docstring)."""
    key = " ".join(fold(text).split())
    if not key:
        return None
    for pattern, (_, op) in zip(_SINGLE, _PREFIXES, strict=True):
        match = pattern.match(key)
        if match:
            number = read_number(match.group(1))
            assert number is not None, "the pattern matched a number"
            suffix = match.group("suffix")
            return Target(op="<=" if suffix == "tro xuong" else op, value=number)
    ranged = _RANGE.match(key)
    if ranged:
        low, high = read_number(ranged.group(1)), read_number(ranged.group(2))
        assert low is not None and high is not None, "the pattern matched two numbers"
        return Target(op="between", value=min(low, high), high=max(low, high))
    rank = _RANK.search(key)
    if rank:
        return Target(op="rank<=", value=float(rank.group(1)))
    return None
