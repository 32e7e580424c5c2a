"""Values of indicators: who may record and confirm, status at D and its boundary years, the CLI."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import IndicatorConfirmation, IndicatorStatus, IndicatorValue, Role, Unit, User
from tests.support.annexes import INDICATORS, indicator_annex, xlsx
from tests.support.factories import make_user, run_cli
from tests.support.importing import run_import as import_file
from tracker.clock import now, today
from tracker.db import read_session, write_session
from tracker.directory.units import find_unit
from tracker.errors import InvalidValue, PermissionDenied
from tracker.indicators.queries import IndicatorAt, indicators_at, status_counts
from tracker.indicators.values import confirm_value, find_indicator, record_value


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    import_file(engine, xlsx(indicator_annex()))
    with read_session(engine) as session:
        science, finance = find_unit(session, "Sở KH&CN"), find_unit(session, "Sở Tài chính")
    assert isinstance(science, Unit) and isinstance(finance, Unit)
    return {
        "science": make_user(engine, Role.unit, science, username="khcn"),
        "finance": make_user(engine, Role.unit, finance, username="taichinh"),
        "office": make_user(engine, Role.secretariat, username="vanphong"),
        "committee": make_user(engine, Role.committee, username="bcd"),
    }


def _record(
    engine: Engine, user: User, code: str, value: float | bool, period: str = "2025"
) -> IndicatorValue:
    with write_session(engine) as session:
        indicator = find_indicator(session, code)
        assert indicator.id is not None
        return record_value(session, by=user, indicator_id=indicator.id, value=value, period=period)


def _confirm(engine: Engine, user: User, value: IndicatorValue) -> None:
    assert value.id is not None
    with write_session(engine) as session:
        confirm_value(session, by=user, value_id=value.id)


def _at(engine: Engine, code: str, as_of: date | None = None) -> IndicatorAt:
    with read_session(engine) as session:
        found = indicators_at(session, as_of=as_of or today())
    return next(indicator for indicator in found if indicator.code == code)


def test_the_lead_units_value_awaits_confirmation_and_counts_once_confirmed(
    engine: Engine, people: dict[str, User]
) -> None:
    value = _record(engine, people["science"], "2030.1", 85)
    waiting = _at(engine, "2030.1")
    assert waiting.actual is not None and waiting.actual.as_json() == {
        "value": 85, "period": "2025", "confirmed": False, "reached": None,
    }  # fmt: skip
    assert (waiting.status, waiting.awaiting) == (IndicatorStatus.no_data, True)
    _confirm(engine, people["office"], value)
    confirmed = _at(engine, "2030.1")
    assert (confirmed.status, confirmed.awaiting) == (IndicatorStatus.met, False)
    with pytest.raises(InvalidValue, match="đã được xác nhận"):
        _confirm(engine, people["office"], value)


def test_the_secretariats_own_value_needs_no_confirmation(engine: Engine, people: dict[str, User]) -> None:
    _record(engine, people["office"], "2030.5", 3)
    assert _at(engine, "2030.5").status == IndicatorStatus.met


@pytest.mark.parametrize("who", ["finance", "committee"])
def test_only_the_lead_unit_and_the_secretariat_may_record(
    engine: Engine, people: dict[str, User], who: str
) -> None:
    with pytest.raises(PermissionDenied, match=r"không được phép ghi kết quả chỉ tiêu 2030\.1"):
        _record(engine, people[who], "2030.1", 85)
    with read_session(engine) as session:
        assert list(session.exec(select(IndicatorValue))) == []


def test_a_coordinating_unit_may_not_record(engine: Engine, people: dict[str, User]) -> None:
    # Sở Tài chính coordinates 2045.2, led by Sở KH&CN.
    with pytest.raises(PermissionDenied):
        _record(engine, people["finance"], "2045.2", 70)


def test_only_the_secretariat_confirms(engine: Engine, people: dict[str, User]) -> None:
    value = _record(engine, people["science"], "2030.1", 85)
    for who in ("science", "committee"):
        with pytest.raises(PermissionDenied, match=r"xác nhận kết quả chỉ tiêu 2030\.1"):
            _confirm(engine, people[who], value)
    with read_session(engine) as session:
        assert list(session.exec(select(IndicatorConfirmation))) == []


def test_status_at_the_boundary_of_the_target_year(engine: Engine, people: dict[str, User]) -> None:
    _record(engine, people["office"], "2030.1", 79)
    assert _at(engine, "2030.1", date(2030, 12, 31)).status == IndicatorStatus.in_progress
    assert _at(engine, "2030.1", date(2031, 1, 1)).status == IndicatorStatus.not_met
    assert _at(engine, "2045.2", date(2045, 12, 31)).status == IndicatorStatus.no_data
    _record(engine, people["office"], "2030.1", 80)
    assert _at(engine, "2030.1", date(2031, 1, 1)).status == IndicatorStatus.met


def test_the_latest_period_wins_and_a_later_value_for_a_period_corrects_it(
    engine: Engine, people: dict[str, User]
) -> None:
    _record(engine, people["office"], "2030.1", 90, "2025")
    _record(engine, people["office"], "2030.1", 70, "Quý I/2025")  # an earlier period, recorded later
    assert _at(engine, "2030.1").actual.value == 90  # type: ignore[union-attr]
    _record(engine, people["office"], "2030.1", 75, "2025")
    found = _at(engine, "2030.1")
    assert [value.value for value in found.history] == [70, 90, 75]
    assert (found.actual.value, found.status) == (75, IndicatorStatus.in_progress)  # type: ignore[union-attr]


def test_values_and_confirmations_count_from_their_effective_dates(
    engine: Engine, people: dict[str, User]
) -> None:
    value = _record(engine, people["science"], "2030.1", 85)
    with write_session(engine) as session:
        stored = session.get(IndicatorValue, value.id)
        assert stored is not None
        stored.recorded_at, stored.effective_on = datetime(2025, 3, 10, 9), date(2025, 3, 10)
        session.add(
            IndicatorConfirmation(
                value_id=stored.id,
                user_id=people["office"].id,
                effective_on=date(2025, 4, 2),
                confirmed_at=datetime(2025, 4, 2, 8),
            )
        )
    assert _at(engine, "2030.1", date(2025, 3, 9)).actual is None
    assert _at(engine, "2030.1", date(2025, 3, 10)).status == IndicatorStatus.no_data  # awaiting
    assert _at(engine, "2030.1", date(2025, 4, 1)).status == IndicatorStatus.no_data
    assert _at(engine, "2030.1", date(2025, 4, 2)).status == IndicatorStatus.met


def test_a_value_for_a_past_period_counts_as_of_that_period_as_known_now(
    engine: Engine, people: dict[str, User]
) -> None:
    before = now() - timedelta(days=1)
    _record(engine, people["office"], "2030.1", 85, str(today().year - 1))
    year_end = date(today().year - 1, 12, 31)
    assert _at(engine, "2030.1", year_end).status == IndicatorStatus.met
    assert _at(engine, "2030.1", date(today().year - 1, 12, 30)).actual is None
    with read_session(engine) as session:
        then = indicators_at(session, as_of=year_end, known_on=before)
    assert next(item for item in then if item.code == "2030.1").actual is None


def test_a_reimport_never_touches_values(engine: Engine, people: dict[str, User]) -> None:
    _record(engine, people["office"], "2030.1", 82)
    changed = [list(row) for row in INDICATORS]
    changed[1][3] = "≥ 85"
    assert import_file(engine, xlsx(indicator_annex(changed))).indicators["updated"] == 1
    found = _at(engine, "2030.1")
    assert (found.actual.value, found.status) == (82, IndicatorStatus.in_progress)  # type: ignore[union-attr]


def test_a_target_in_words_is_judged_by_its_latest_confirmed_assessment(
    engine: Engine, people: dict[str, User]
) -> None:
    # 2045.1 "Đạt mức tiên tiến trong khu vực ASEAN", by 2045, led by Sở KH&CN.
    _record(engine, people["office"], "2045.1", False, "2024")
    assert _at(engine, "2045.1", date(2045, 12, 31)).status == IndicatorStatus.in_progress
    assert _at(engine, "2045.1", date(2046, 1, 1)).status == IndicatorStatus.not_met
    reached = _record(engine, people["science"], "2045.1", True, "2025")
    waiting = _at(engine, "2045.1", date(2046, 1, 1))
    assert waiting.status == IndicatorStatus.not_met  # the assessment awaiting confirmation does not count
    assert waiting.actual is not None and waiting.actual.as_json() == {
        "value": "Đạt", "period": "2025", "confirmed": False, "reached": True,
    }  # fmt: skip
    _confirm(engine, people["office"], reached)
    assert _at(engine, "2045.1", date(2046, 1, 1)).status == IndicatorStatus.met
    with read_session(engine) as session:
        stored = session.get(IndicatorValue, reached.id)
    assert stored is not None and (stored.value, stored.reached) == (None, True)


def test_counts_name_the_four_statuses(engine: Engine, people: dict[str, User]) -> None:
    _record(engine, people["office"], "2045.1", True)
    _record(engine, people["office"], "2030.1", 70)
    with read_session(engine) as session:
        counts = status_counts(indicators_at(session, as_of=today()))
    assert counts == {
        IndicatorStatus.met: 1, IndicatorStatus.in_progress: 1, IndicatorStatus.not_met: 0,
        IndicatorStatus.no_data: 10,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        (
            "2045.1",
            1.0,
            "Chỉ tiêu 2045.1 có mục tiêu ghi bằng lời: kết quả là 'Đạt' hoặc 'Chưa đạt', không phải số '1'.",
        ),
        ("2030.1", True, "Chỉ tiêu 2030.1 có mục tiêu bằng số (≥ 80): kết quả là một số, không phải 'Đạt'."),
    ],
)
def test_a_value_of_the_other_kind_is_refused(
    engine: Engine, people: dict[str, User], code: str, value: float | bool, message: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        _record(engine, people["office"], code, value)
    assert str(refused.value) == message
    with read_session(engine) as session:
        assert list(session.exec(select(IndicatorValue))) == []


def test_the_database_holds_a_value_of_exactly_one_kind(engine: Engine, people: dict[str, User]) -> None:
    value = _record(engine, people["office"], "2030.1", 85)
    for number, reached in ((None, None), (85.0, True)):
        with pytest.raises(IntegrityError), write_session(engine) as session:
            session.add(
                IndicatorValue(
                    indicator_id=value.indicator_id, value=number, reached=reached, period_text="2025",
                    period_end=date(2025, 12, 31), effective_on=date(2025, 12, 31), recorded_at=now(),
                )
            )  # fmt: skip


@pytest.mark.parametrize(
    ("period", "message"),
    [("sớm thôi", "không đọc được"), (str(today().year + 1), "không hợp lệ"), ("1999", "không hợp lệ")],
)
def test_a_bad_period_is_refused(engine: Engine, people: dict[str, User], period: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        _record(engine, people["office"], "2030.1", 85, period)


def test_an_indicator_behind_its_path_is_flagged(engine: Engine, people: dict[str, User]) -> None:
    header = ["STT", "Tên chỉ tiêu", "Đơn vị", "Hiện trạng năm 2020", "Mục tiêu năm 2030", "Cơ quan chủ trì"]
    rows = [["I", "CHỈ TIÊU"], [1, "Tỷ lệ hồ sơ trực tuyến", "%", "20", "≥ 80", "Sở KH&CN"]]
    import_file(engine, xlsx(indicator_annex(rows, number="99-KH/UBND", header=header)))
    _record(engine, people["office"], "I.1", 40, "2025")  # the path is at 50 at the end of 2025
    assert _at(engine, "I.1").behind
    _record(engine, people["office"], "I.1", 55, "2025")
    assert not _at(engine, "I.1").behind


def test_cli_lists_indicators_and_records_values(
    engine: Engine, database_url: str, people: dict[str, User], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        database_url, capsys, "indicator-value", "2030.1", "85,5", "--period", "2025", "--by", "khcn",
        "--note", "Số liệu Cổng DVC",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "chờ Văn phòng xác nhận" in out
    code, out, err = run_cli(
        database_url, capsys, "indicator-value", "2030.1", "90", "--period", "2025", "--by", "taichinh"
    )
    assert code == 1
    assert err.startswith("Lỗi: ") and "không được phép ghi kết quả chỉ tiêu 2030.1" in err
    listed = json.loads(run_cli(database_url, capsys, "indicators", "--json", "--plan", "12-KH/UBND")[1])
    first = listed[0]
    assert set(first) >= {
        "code", "title", "measure_unit", "target_text", "target", "target_year", "lead_unit", "section",
        "actual", "status",
    }  # fmt: skip
    assert first["code"] == "2030.1"
    assert first["target"] == {"op": ">=", "value": 80}
    assert (first["target_year"], first["section"], first["measure_unit"]) == (2030, "Đến năm 2030", "%")
    assert first["actual"] == {"value": 85.5, "period": "2025", "confirmed": False, "reached": None}
    assert first["status"] == "no_data"
    ranged = next(item for item in listed if item["code"] == "2030.3")
    assert ranged["target"] == {"op": "between", "low": 20, "high": 50}
    assert next(item for item in listed if item["code"] == "2045.1")["target"] is None
    assert run_cli(database_url, capsys, "indicator-confirm", "2030.1", "--by", "vanphong")[0] == 0
    again = json.loads(
        run_cli(database_url, capsys, "indicators", "--json", "--unit", "Sở Khoa học và Công nghệ")[1]
    )
    assert again[0]["actual"]["confirmed"] and again[0]["status"] == "met"
    assert {item["lead_unit"] for item in again} == {"Sở Khoa học và Công nghệ"}
    code, _, err = run_cli(
        database_url, capsys, "indicator-value", "9.9", "1", "--period", "2025", "--by", "khcn"
    )
    assert (code, err.strip()) == (1, "Lỗi: Không có chỉ tiêu mã '9.9'.")


def test_cli_lists_indicators_as_lines_with_the_value_awaiting_confirmation(
    engine: Engine, database_url: str, people: dict[str, User], capsys: pytest.CaptureFixture[str]
) -> None:
    _record(engine, people["science"], "2030.1", 72.5)
    code, out, _ = run_cli(database_url, capsys, "indicators", "--unit", "Công an tỉnh")
    line = "2030.3 — Tỷ lệ dân số trưởng thành có chữ ký số: mục tiêu 20% - 50%, kết quả chưa có"
    assert (code, out.splitlines()) == (0, [f"{line} — Chưa có số liệu"])
    lines = run_cli(database_url, capsys, "indicators")[1].splitlines()
    assert lines[0].endswith("kết quả 72,5 (2025), chờ xác nhận — Chưa có số liệu")
    code, _, err = run_cli(database_url, capsys, "indicators", "--unit", "Sở Không Có")
    assert (code, err.strip()) == (1, "Lỗi: Không có đơn vị 'Sở Không Có'.")


def test_cli_records_an_assessment_against_a_target_in_words(
    engine: Engine, database_url: str, people: dict[str, User], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        database_url, capsys, "indicator-value", "2045.1", "ĐÃ HOÀN THÀNH", "--period", "2025", "--by", "khcn"
    )
    assert (code, err, out.strip()) == (
        0, "", "Đã ghi kết quả chỉ tiêu 2045.1 kỳ 2025: Đạt (chờ Văn phòng xác nhận).",
    )  # fmt: skip
    assert run_cli(database_url, capsys, "indicator-confirm", "2045.1", "--by", "vanphong")[0] == 0
    listed = json.loads(run_cli(database_url, capsys, "indicators", "--json", "--as-of", "2046-01-01")[1])
    words = next(item for item in listed if item["code"] == "2045.1")
    assert words["actual"] == {"value": "Đạt", "period": "2025", "confirmed": True, "reached": True}
    assert (words["target"], words["status"]) == (None, "met")
    later = ("indicator-value", "2045.1", "chua dat", "--period", "2026", "--by", "vanphong")
    assert run_cli(database_url, capsys, *later)[0] == 0
    lines = run_cli(database_url, capsys, "indicators", "--unit", "Sở KH&CN", "--as-of", "2046-01-01")[1]
    assert (
        "2045.1 — Tiềm lực khoa học, công nghệ: mục tiêu Đạt mức tiên tiến trong khu vực ASEAN, "
        "kết quả Chưa đạt (2026) — Không đạt" in lines.splitlines()
    )


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        (
            "2045.1",
            "85",
            "Chỉ tiêu 2045.1 có mục tiêu ghi bằng lời: kết quả là 'Đạt' hoặc 'Chưa đạt', không phải số '85'.",
        ),
        (
            "2045.1",
            "sắp xong",
            "Kết quả 'sắp xong' của chỉ tiêu 2045.1 không đọc được: ghi 'Đạt' hoặc 'Chưa đạt'.",
        ),
        (
            "2030.1",
            "đã đạt",
            "Chỉ tiêu 2030.1 có mục tiêu bằng số (≥ 80): kết quả là một số, không phải 'đã đạt'.",
        ),
        ("2030.1", "tám mươi", "Giá trị 'tám mươi' của chỉ tiêu 2030.1 không phải một số (ví dụ: 72,5)."),
    ],
)
def test_cli_refuses_a_value_of_the_other_kind_in_one_line(
    engine: Engine,
    database_url: str,
    people: dict[str, User],
    capsys: pytest.CaptureFixture[str],
    code: str,
    value: str,
    message: str,
) -> None:
    result = run_cli(database_url, capsys, "indicator-value", code, value, "--period", "2025", "--by", "khcn")
    assert result == (1, "", f"Lỗi: {message}\n")
    with read_session(engine) as session:
        assert list(session.exec(select(IndicatorValue))) == []
