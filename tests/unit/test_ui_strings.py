"""Every UI string exists in Vietnamese and English, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.strings import STRINGS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
USED_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_each_string_has_vietnamese_and_english(key: str) -> None:
    vi, en = STRINGS[key]
    assert vi.strip() and en.strip()
    assert sorted(re.findall(r"{(\w+)}", vi)) == sorted(re.findall(r"{(\w+)}", en)), "same placeholders"


def test_every_key_the_code_uses_is_in_the_table() -> None:
    used = {key for path in SOURCES for key in USED_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no t() call: the pattern is wrong"
    assert sorted(used - STRINGS.keys()) == []
