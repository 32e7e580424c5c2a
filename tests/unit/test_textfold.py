import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.textfold import _tidy, clean, fold, modern_tones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ""),
        ("", ""),
        ("Sở Tài chính", "Sở Tài chính"),
        ("  Sở  Tài\u00a0chính ", "Sở Tài chính"),
        (unicodedata.normalize("NFD", "Sở Tài chính"), "Sở Tài chính"),
        ("Dòng một  \r\n  dòng hai\t", "Dòng một\ndòng hai"),
        ("a\u2007b\u202fc", "a b c"),
        ("\u3000Quý I\u3000", "Quý I"),
        (2025, "2025"),
    ],
)
def test_clean_composes_trims_and_collapses_spaces(text: object, expected: str) -> None:
    assert clean(text) == expected


# Cells that are tidy already skip the full clean-up: both paths must agree on every text.
@given(st.text(alphabet=st.sampled_from("aàăằẰ oò\u0300\u0301 \u00a0\u2007\u3000\t\r\n\x0b\x1c\u2028\xad.")))
def test_the_quick_path_of_clean_agrees_with_the_full_one(text: str) -> None:
    assert clean(text) == _tidy(text)


@given(st.text())
def test_clean_is_idempotent_and_returns_nfc(text: str) -> None:
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)


def test_fold_drops_every_nonspacing_mark_unicode_names_so() -> None:
    text = "Cafe\u0301 nai\u0308ve नमस्ते Ωμέγα Đà Nẵng e\u20dd"
    kept = (ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    assert fold(text) == "".join(kept).replace("Đ", "D").lower() == "cafe naive नमसत ωμεγα da nang e\u20dd"


def test_fold_drops_diacritics_case_and_extra_spaces() -> None:
    assert fold("  Sở  Khoa học\nvà Công nghệ ĐỒNG NAI") == "so khoa hoc va cong nghe dong nai"


def test_modern_tones_moves_old_tone_marks_but_keeps_quy() -> None:
    assert modern_tones("Uỷ ban, hoà nhập, thuỷ lợi, Quý I") == "Ủy ban, hòa nhập, thủy lợi, Quý I"
