from datetime import date

import pytest
from sqlalchemy import Engine

from models import PlanStatus
from tests.support.annexes import SMALL_TASKS, annex, xlsx
from tests.support.factories import make_plan
from tests.support.importing import run_import
from tracker.db import read_session, write_session
from tracker.directory.plans import PlanHeading, get_or_create_plan, list_plans, read_plan_heading


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "(Kèm theo Kế hoạch số 45-KH/TU ngày 10/3/2025 của Ban Thường vụ Tỉnh ủy)",
            PlanHeading("45-KH/TU", "Kế hoạch số 45-KH/TU", "Ban Thường vụ Tỉnh ủy", date(2025, 3, 10)),
        ),
        (
            "Kèm theo Kế hoạch số 45-KH/TU của Ban Thường vụ Tỉnh uỷ",
            PlanHeading("45-KH/TU", "Kế hoạch số 45-KH/TU", "Ban Thường vụ Tỉnh ủy", None),
        ),
        (
            "(Ban hành kèm theo Quyết định số 1234/QĐ-UBND ngày 15 tháng 4 năm 2025 của UBND tỉnh Bình An)",
            PlanHeading("1234/QĐ-UBND", "Quyết định số 1234/QĐ-UBND", "UBND tỉnh Bình An", date(2025, 4, 15)),
        ),
        (
            "(KÈM THEO KẾ HOẠCH SỐ: 07/KH-BCĐ, NGÀY 02/01/2026)",
            PlanHeading("07/KH-BCĐ", "Kế hoạch số 07/KH-BCĐ", "", date(2026, 1, 2)),
        ),
    ],
)
def test_the_plan_is_read_from_the_title_block(line: str, expected: PlanHeading) -> None:
    assert read_plan_heading(["ỦY BAN NHÂN DÂN TỈNH BÌNH AN", line]) == expected


def test_the_list_title_between_the_annex_word_and_the_plan_line_titles_the_plan() -> None:
    lines = [
        "TỈNH ỦY BÌNH AN",
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ TRỌNG TÂM",
        "NĂM 2025",
        "(Kèm theo Kế hoạch số 45-KH/TU ngày 31/2/2025)",
    ]
    heading = read_plan_heading(lines)
    assert heading is not None
    assert (heading.title, heading.issued_on) == ("DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2025", None)


def test_a_party_plans_blank_number_keeps_its_suffix() -> None:
    lines = ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ", "(Kèm theo Kế hoạch số      -KH/TU ngày    tháng    năm 2025)"]
    heading = read_plan_heading(lines)
    assert heading is not None
    assert (heading.number, heading.title, heading.issued_on) == ("-KH/TU", "DANH MỤC NHIỆM VỤ", None)


@pytest.mark.parametrize("annex_line", ["PHỤ LỤC I: DANH MỤC NHIỆM VỤ", "Phụ lục 2 - DANH MỤC NHIỆM VỤ"])
def test_a_list_title_on_the_annex_words_line_titles_the_plan(annex_line: str) -> None:
    heading = read_plan_heading([annex_line, "(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/3/2025)"])
    assert heading is not None
    assert heading.title == "DANH MỤC NHIỆM VỤ"


def test_a_plan_line_wrapped_onto_the_next_row_keeps_its_date_and_issuer() -> None:
    lines = [
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ",
        "(Kèm theo Kế hoạch số 45/KH-UBND",
        "ngày 10/3/2025 của UBND tỉnh)",
    ]
    heading = read_plan_heading(lines)
    assert heading is not None
    assert (heading.issued_on, heading.issuer) == (date(2025, 3, 10), "UBND tỉnh")


def test_a_title_block_without_a_plan_line_names_no_plan() -> None:
    assert read_plan_heading(["PHỤ LỤC", "Danh mục nhiệm vụ", "Kế hoạch hành động năm 2025"]) is None


def test_an_existing_plan_keeps_its_details_and_gains_missing_ones(engine: Engine) -> None:
    make_plan(engine, "45-KH/TU", title="Kế hoạch hành động", issuer="")
    heading = PlanHeading("45-KH/TU", "Tiêu đề khác", "Ban Thường vụ Tỉnh ủy", date(2025, 3, 10))
    with write_session(engine) as session:
        plan, created = get_or_create_plan(session, heading=heading)
    assert not created
    assert (plan.title, plan.issuer, plan.issued_on) == (
        "Kế hoạch hành động",
        "Ban Thường vụ Tỉnh ủy",
        date(2025, 3, 10),
    )


def test_list_plans_counts_the_tasks_of_each_plan(engine: Engine) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS, number="12-KH/UBND")))
    run_import(engine, xlsx(annex(SMALL_TASKS[:3], number="7-KH/TU")))
    make_plan(engine, "1-KH/BCĐ")
    with read_session(engine) as session:
        plans = {plan.number: plan for plan in list_plans(session)}
    assert {number: plan.tasks for number, plan in plans.items()} == {
        "12-KH/UBND": 4,
        "7-KH/TU": 2,
        "1-KH/BCĐ": 0,
    }
    assert plans["12-KH/UBND"].issued_on == date(2025, 4, 5)
    assert plans["12-KH/UBND"].status == PlanStatus.in_force
