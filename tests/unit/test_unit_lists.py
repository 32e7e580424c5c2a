"""How a cell of units is read: joint leads, coordinator lists, collectives, names with commas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import UnitKind
from tracker.directory.units import split_unit_names, unit_key, unit_kind
from tracker.textfold import collation_key


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Bộ Tài chính, Bộ Công Thương", ["Bộ Tài chính", "Bộ Công Thương"]),
        ("Sở Tài chính và Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Sở Tài chính; Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Sở Tài chính, UBND các xã", ["Sở Tài chính", "UBND các xã"]),
        ("Sở Tài chính\nSở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("- Sở Tài chính\n- Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Bộ Tài chính và Bộ Kế hoạch và Đầu tư", ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"]),
    ],
    ids=["comma", "va", "semicolon", "comma-collective", "line-break", "bullets", "va-inside-a-name"],
)
def test_joint_leads_split_in_every_separator_form(cell: str, names: list[str]) -> None:
    assert split_unit_names(cell, known=set()) == names


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Bộ Tư pháp, các bộ, ngành", ["Bộ Tư pháp", "các bộ, ngành"]),
        (
            "Bộ Công an, Bộ Nội vụ, các bộ, ngành và địa phương",
            ["Bộ Công an", "Bộ Nội vụ", "các bộ, ngành và địa phương"],
        ),
        (
            "Bộ Công an, các bộ, ngành, địa phương, Bộ Quốc phòng",
            ["Bộ Công an", "các bộ, ngành, địa phương", "Bộ Quốc phòng"],
        ),
        ("Các sở, ban, ngành; Công an tỉnh", ["Các sở, ban, ngành", "Công an tỉnh"]),
        ("Bộ Khoa học và Công nghệ và các địa phương", ["Bộ Khoa học và Công nghệ", "các địa phương"]),
        ("Sở Tư pháp, và các cơ quan liên quan", ["Sở Tư pháp", "các cơ quan liên quan"]),
        ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
        ("Các doanh nghiệp viễn thông; Bộ Quốc phòng", ["Các doanh nghiệp viễn thông", "Bộ Quốc phòng"]),
    ],
    ids=["at-end", "at-end-with-va", "in-middle", "first", "after-va", "comma-va-cac", "whole", "telecoms"],
)
def test_coordinator_lists_keep_each_collective_whole(cell: str, names: list[str]) -> None:
    assert split_unit_names(cell, known=set()) == names


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        (
            "Bộ Văn hóa, Thể thao và Du lịch, Thông tấn xã Việt Nam",
            ["Bộ Văn hóa, Thể thao và Du lịch", "Thông tấn xã Việt Nam"],
        ),
        ("Bộ Khoa học và Công nghệ, Kiểm toán nhà nước", ["Bộ Khoa học và Công nghệ", "Kiểm toán nhà nước"]),
        (
            "Bộ Thông tin và Truyền thông và Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
            ["Bộ Thông tin và Truyền thông", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh"],
        ),
        (
            "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam, Tổng Liên đoàn Lao động Việt Nam",
            ["Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Tổng Liên đoàn Lao động Việt Nam"],
        ),
        (
            "Bảo hiểm xã hội Việt Nam, Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
            ["Bảo hiểm xã hội Việt Nam", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"],
        ),
        ("Sở Tài chính, Hiệp hội Doanh nghiệp tỉnh", ["Sở Tài chính", "Hiệp hội Doanh nghiệp tỉnh"]),
        (
            "Ban Tuyên giáo Trung ương, Ban Kinh tế Trung ương",
            ["Ban Tuyên giáo Trung ương", "Ban Kinh tế Trung ương"],
        ),
    ],
    ids=[
        "news-agency",
        "audit",
        "youth-union",
        "labour-federation",
        "union-of-associations",
        "association",
        "central",
    ],
)
def test_central_bodies_of_national_annexes_start_a_new_body(cell: str, names: list[str]) -> None:
    assert split_unit_names(cell, known=set()) == names
    assert all(unit_kind(name) == UnitKind.unit for name in names)


def test_a_branch_after_a_comma_stays_with_its_parent_body() -> None:
    name = "Ngân hàng Nhà nước Việt Nam, Chi nhánh tỉnh Bình An"
    assert split_unit_names(name, known=set()) == [name]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        (
            "Các Bộ: Tài chính, Kế hoạch và Đầu tư, Tư pháp",
            ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư", "Bộ Tư pháp"],
        ),
        (
            "Bộ Khoa học và Công nghệ, các Bộ: Văn hóa, Thể thao và Du lịch, Tư pháp và Công an",
            ["Bộ Khoa học và Công nghệ", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Tư pháp", "Bộ Công an"],
        ),
        (
            "Bộ Nội vụ và các Bộ: Lao động - Thương binh và Xã hội, Y tế, các địa phương",
            ["Bộ Nội vụ", "Bộ Lao động - Thương binh và Xã hội", "Bộ Y tế", "các địa phương"],
        ),
        (
            "Các Sở: KH&CN, Nội vụ, UBND các huyện, thị xã, thành phố",
            ["Sở KH&CN", "Sở Nội vụ", "UBND các huyện, thị xã, thành phố"],
        ),
    ],
    ids=["alone", "after-a-body", "ends-in-a-collective", "provincial"],
)
def test_a_colons_list_names_each_body_with_the_shared_noun(cell: str, names: list[str]) -> None:
    assert split_unit_names(cell, known=set()) == names


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Bộ Tài chính (chủ trì), Bộ Kế hoạch và Đầu tư", ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"]),
        (
            "Bộ Khoa học và Công nghệ (cơ quan thường trực), các bộ, ngành",
            ["Bộ Khoa học và Công nghệ", "các bộ, ngành"],
        ),
        ("Sở Y tế (Chủ trì, tổng hợp)", ["Sở Y tế"]),
        ("Sở Tài chính (đầu mối) và Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
    ],
    ids=["lead", "standing-body", "capitalised-pair", "before-va"],
)
def test_a_note_of_the_part_a_body_plays_is_no_part_of_its_name(cell: str, names: list[str]) -> None:
    assert split_unit_names(cell, known=set()) == names


@pytest.mark.parametrize(
    "cell",
    [
        "Các bộ, ngành (Bộ Tài chính, Bộ Tư pháp)",
        "UBND tỉnh (Sở Tài chính và Sở Nội vụ)",
        "Sở Nội vụ (Ban Thi đua - Khen thưởng)",
    ],
)
def test_nothing_inside_parentheses_separates(cell: str) -> None:
    assert split_unit_names(f"{cell}, Công an tỉnh", known=set()) == [cell, "Công an tỉnh"]


def test_a_known_unit_with_va_inside_stays_whole_in_a_colons_list() -> None:
    known = {unit_key("Bộ Xây dựng và Giao thông")}
    cell = "Các Bộ: Công Thương, Xây dựng và Giao thông"
    assert split_unit_names(cell, known=known) == ["Bộ Công Thương", "Bộ Xây dựng và Giao thông"]
    assert split_unit_names(cell, known=set()) == ["Bộ Công Thương", "Bộ Xây dựng", "Bộ Giao thông"]


@pytest.mark.parametrize(
    "name",
    [
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Bộ Lao động - Thương binh và Xã hội",
        "Sở Giáo dục và Đào tạo",
        "Ban Quản lý các Khu công nghiệp và Khu kinh tế",
    ],
)
def test_a_name_with_commas_or_va_inside_stays_whole(name: str) -> None:
    assert split_unit_names(name, known=set()) == [name]
    assert split_unit_names(f"{name}, Bộ Tư pháp", known=set()) == [name, "Bộ Tư pháp"]
    assert unit_kind(name) == UnitKind.unit


@pytest.mark.parametrize(
    "name",
    [
        "các bộ, ngành, địa phương",
        "Các sở, ban, ngành",
        "UBND các huyện, thị xã, thành phố",
        "các địa phương",
        "Các doanh nghiệp viễn thông",
        "Bộ, ngành, địa phương",
        "Sở, ngành liên quan",
        "UBND cấp huyện, cấp xã",
        "Ủy ban nhân dân cấp xã",
    ],
)
def test_collective_phrases_are_of_kind_collective(name: str) -> None:
    assert unit_kind(name) == UnitKind.collective


@pytest.mark.parametrize("name", ["Bộ Tài chính", "UBND tỉnh", "Công an tỉnh", "Văn phòng Chính phủ"])
def test_bodies_are_of_kind_unit(name: str) -> None:
    assert unit_kind(name) == UnitKind.unit


def test_a_known_unit_starts_a_new_body_after_a_comma() -> None:
    known = {unit_key("Liên minh Hợp tác xã tỉnh")}
    cell = "Hiệp hội Doanh nghiệp tỉnh, Liên minh Hợp tác xã tỉnh"
    assert split_unit_names(cell, known=known) == ["Hiệp hội Doanh nghiệp tỉnh", "Liên minh Hợp tác xã tỉnh"]


@given(
    st.lists(
        st.sampled_from(["Bộ Tài chính", "Bộ Văn hóa, Thể thao và Du lịch", "các bộ, ngành"]), min_size=1
    )
)
def test_bodies_joined_by_semicolons_come_back_each_once(names: list[str]) -> None:
    assert split_unit_names("; ".join(names), known=set()) == list(dict.fromkeys(names))


def test_names_sort_in_vietnamese_order() -> None:
    names = [
        "Sở Y tế",
        "Đài Phát thanh",
        "Ban Dân tộc",
        "Dân tộc",
        "Ủy ban",
        "Uỷ",
        "Ô",
        "Ơ",
        "O",
        "Ă",
        "Â",
        "A",
    ]
    assert sorted(names, key=collation_key) == [
        "A", "Ă", "Â", "Ban Dân tộc", "Dân tộc", "Đài Phát thanh", "O", "Ô", "Ơ", "Sở Y tế", "Uỷ", "Ủy ban",
    ]  # fmt: skip


def test_tones_sort_in_dictionary_order() -> None:
    assert sorted(["ạ", "ã", "ả", "á", "à", "a"], key=collation_key) == ["a", "à", "á", "ả", "ã", "ạ"]
