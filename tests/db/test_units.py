import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import select

from models import Role, Task, TaskCoordinator, Unit, UnitAlias, UnitKind, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.db import read_session, write_session
from tracker.directory.units import (
    add_unit,
    add_unit_alias,
    find_unit,
    get_or_create_unit,
    merge_units,
    rename_unit,
    split_unit_names,
    unit_key,
)
from tracker.errors import InvalidValue, PermissionDenied


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("SỞ KHOA HỌC & CÔNG NGHỆ", "Sở Khoa học và Công nghệ"),
        ("Sở KH-CN", "Sở Khoa học và Công nghệ"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐTB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
        ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("  sở   văn hoà,thể thao và du lịch ", "Sở Văn hóa, Thể thao và Du lịch"),
        (unicodedata.normalize("NFD", "Sở Tài chính"), "Sở Tài chính"),
    ],
)
def test_spellings_of_one_unit_share_one_key(written: str, official: str) -> None:
    assert unit_key(written) == unit_key(official)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư"),
        ("Sở Tài chính", "Sở Nội vụ"),
        ("UBND tỉnh", "HĐND tỉnh"),
        ("Sở Giáo dục và Đào tạo", "Sở Giao thông vận tải"),
    ],
)
def test_different_units_have_different_keys(first: str, second: str) -> None:
    assert unit_key(first) != unit_key(second)


@given(st.text())
def test_unit_key_accepts_any_text(name: str) -> None:
    key = unit_key(name)
    assert key == key.strip()
    assert key.isascii()


def test_get_or_create_unit_matches_an_abbreviation_of_an_existing_unit(engine: Engine) -> None:
    existing = make_unit(engine, "Sở Khoa học và Công nghệ")
    with write_session(engine) as session:
        unit, created = get_or_create_unit(session, "Sở KH&CN")
        assert (unit.id, created) == (existing.id, False)
        new, created = get_or_create_unit(session, "Sở Nội vụ")
        assert created
        assert new.name == "Sở Nội vụ"
        assert new.key == "so noi vu"


def test_get_or_create_unit_stores_the_official_tone_placement(engine: Engine) -> None:
    with write_session(engine) as session:
        unit, created = get_or_create_unit(session, unicodedata.normalize("NFD", " Uỷ ban nhân dân tỉnh "))
    assert created
    assert unit.name == "Ủy ban nhân dân tỉnh"


def test_get_or_create_unit_refuses_a_name_without_letters(engine: Engine) -> None:
    with write_session(engine) as session, pytest.raises(InvalidValue, match="'—'"):
        get_or_create_unit(session, "—")


def test_find_unit_matches_an_alias(engine: Engine) -> None:
    police = make_unit(engine, "Công an tỉnh")
    with write_session(engine) as session:
        add_unit_alias(session, unit_id=police.id, name="CA tỉnh")
    with read_session(engine) as session:
        found = find_unit(session, "ca  TỈNH")
        assert found is not None
        assert found.id == police.id
        assert find_unit(session, "Sở Nội vụ") is None
        assert find_unit(session, "") is None


def test_an_alias_cannot_take_the_name_of_another_unit(engine: Engine) -> None:
    police = make_unit(engine, "Công an tỉnh")
    make_unit(engine, "Sở Tư pháp")
    with write_session(engine) as session, pytest.raises(InvalidValue, match="Sở Tư pháp"):
        add_unit_alias(session, unit_id=police.id, name="Sở Tư pháp")


def test_merge_units_moves_everything_and_keeps_the_old_name_as_alias(engine: Engine) -> None:
    target = make_unit(engine, "Sở Khoa học và Công nghệ")
    source = make_unit(engine, "Sở KHCN tỉnh Bình An")
    other = make_unit(engine, "Sở Tài chính")
    plan = make_plan(engine)
    led = make_task(engine, plan, source, code="I.1")
    both = make_task(engine, plan, other, code="I.2", coordinators=(source, target))
    only_source = make_task(engine, plan, other, code="I.3", coordinators=(source,))
    user = make_user(engine, Role.unit, source)
    secretariat = make_user(engine, Role.secretariat)
    with write_session(engine) as session:
        add_unit_alias(session, unit_id=source.id, name="Sở KHCN Bình An")
        merge_units(session, by=secretariat, source_id=source.id, target_id=target.id)
    with read_session(engine) as session:
        assert session.get(Unit, source.id) is None
        assert session.exec(select(Task.lead_unit_id).where(Task.id == led.id)).one() == target.id
        assert session.exec(select(User.unit_id).where(User.id == user.id)).one() == target.id
        pairs = {(c.task_id, c.unit_id) for c in session.exec(select(TaskCoordinator))}
        assert pairs == {(both.id, target.id), (only_source.id, target.id)}
        aliases = {a.alias: a.unit_id for a in session.exec(select(UnitAlias))}
        assert aliases == {"Sở KHCN tỉnh Bình An": target.id, "Sở KHCN Bình An": target.id}
        found = find_unit(session, "Sở KHCN tỉnh Bình An")
        assert found is not None
        assert found.id == target.id


def test_the_secretariat_adds_a_unit_once_whatever_its_spelling(engine: Engine) -> None:
    secretariat = make_user(engine, Role.secretariat)
    with write_session(engine) as session:
        added = add_unit(session, by=secretariat, name="  Sở Khoa học   và Công nghệ ")
    assert added.name == "Sở Khoa học và Công nghệ"
    with write_session(engine) as session, pytest.raises(InvalidValue, match="đã có trong danh mục"):
        add_unit(session, by=secretariat, name="Sở KH&CN")
    with write_session(engine) as session, pytest.raises(InvalidValue, match="cần có chữ hoặc số"):
        add_unit(session, by=secretariat, name="—")


def test_a_renamed_unit_keeps_its_old_name_for_the_next_import(engine: Engine) -> None:
    secretariat = make_user(engine, Role.secretariat)
    unit = make_unit(engine, "Sở Thông tin và Truyền thông")
    staff = make_user(engine, Role.unit, unit)
    with write_session(engine) as session:
        rename_unit(session, by=secretariat, unit_id=unit.id, name="Sở Khoa học và Công nghệ")
    with read_session(engine) as session:
        renamed = find_unit(session, "Sở KH&CN")
        assert renamed is not None
        assert (renamed.id, renamed.name) == (unit.id, "Sở Khoa học và Công nghệ")
        old = find_unit(session, "Sở TT&TT")
        assert old is not None and old.id == unit.id
        assert session.exec(select(User.unit_id).where(User.id == staff.id)).one() == unit.id


def test_a_rename_may_take_back_an_alias_but_not_another_units_name(engine: Engine) -> None:
    secretariat = make_user(engine, Role.secretariat)
    unit = make_unit(engine, "Sở KHCN tỉnh")
    make_unit(engine, "Sở Tài chính")
    with write_session(engine) as session:
        add_unit_alias(session, unit_id=unit.id, name="Sở Khoa học và Công nghệ")
        rename_unit(session, by=secretariat, unit_id=unit.id, name="Sở Khoa học và Công nghệ")
        # The same name in capitals: only the display changes, no spelling is added.
        rename_unit(session, by=secretariat, unit_id=unit.id, name="SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    with read_session(engine) as session:
        assert session.exec(select(UnitAlias.alias)).all() == ["Sở KHCN tỉnh"]
        stored = session.get(Unit, unit.id)
        assert stored is not None and stored.name == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    with write_session(engine) as session, pytest.raises(InvalidValue, match="'Sở Tài chính'"):
        rename_unit(session, by=secretariat, unit_id=unit.id, name="Sở Tài chính")


@pytest.mark.parametrize("role", [Role.unit, Role.committee])
def test_only_the_secretariat_adds_or_renames_units(engine: Engine, role: Role) -> None:
    unit = make_unit(engine, "Sở Nội vụ")
    someone = make_user(engine, role, unit if role == Role.unit else None)
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        add_unit(session, by=someone, name="Sở Y tế")
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        rename_unit(session, by=someone, unit_id=unit.id, name="Sở Nội vụ tỉnh")


def test_no_account_ends_up_on_a_collective_by_a_merge_or_a_rename(engine: Engine) -> None:
    secretariat = make_user(engine, Role.secretariat)
    unit, collective = (
        make_unit(engine, "Sở Nội vụ"),
        make_unit(engine, "các địa phương", kind=UnitKind.collective),
    )
    make_user(engine, Role.unit, unit, username="noivu")
    with write_session(engine) as session, pytest.raises(InvalidValue, match=r"tài khoản \(noivu\)"):
        merge_units(session, by=secretariat, source_id=unit.id, target_id=collective.id)
    with write_session(engine) as session, pytest.raises(InvalidValue, match="'Các sở, ban, ngành'"):
        rename_unit(session, by=secretariat, unit_id=unit.id, name="Các sở, ban, ngành")
    # Without accounts, a collective may take in another or a unit be renamed into one.
    other = make_unit(engine, "Các địa phương liên quan", kind=UnitKind.collective)
    with write_session(engine) as session:
        merge_units(session, by=secretariat, source_id=other.id, target_id=collective.id)
        assert (
            rename_unit(session, by=secretariat, unit_id=collective.id, name="các bộ, ngành").kind
            == UnitKind.collective
        )


def test_merge_units_refuses_merging_a_unit_into_itself(engine: Engine) -> None:
    unit = make_unit(engine)
    secretariat = make_user(engine, Role.secretariat)
    with write_session(engine) as session, pytest.raises(InvalidValue):
        merge_units(session, by=secretariat, source_id=unit.id, target_id=unit.id)


@pytest.mark.parametrize("role", [Role.unit, Role.committee])
def test_only_the_secretariat_merges_units(engine: Engine, role: Role) -> None:
    source, target = make_unit(engine), make_unit(engine)
    someone = make_user(engine, role, source if role == Role.unit else None)
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        merge_units(session, by=someone, source_id=source.id, target_id=target.id)
    with read_session(engine) as session:
        assert session.get(Unit, source.id) is not None


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Sở Tài chính; Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Sở Tài chính\nSở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("- Sở Tài chính;\n- Sở KH&CN.", ["Sở Tài chính", "Sở KH&CN"]),
        ("• Công an tỉnh • Sở Tư pháp", ["Công an tỉnh", "Sở Tư pháp"]),
        ("Sở Tài chính, Sở Nội vụ, Công an tỉnh", ["Sở Tài chính", "Sở Nội vụ", "Công an tỉnh"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
        ("Các sở, ban, ngành; UBND các huyện, thị xã", ["Các sở, ban, ngành", "UBND các huyện, thị xã"]),
        ("Sở Tài chính, các cơ quan liên quan", ["Sở Tài chính", "các cơ quan liên quan"]),
        ("Sở KH&CN; Sở Khoa học và Công nghệ", ["Sở KH&CN"]),
        ("Uỷ ban nhân dân tỉnh", ["Ủy ban nhân dân tỉnh"]),
        ("", []),
    ],
)
def test_a_cell_of_units_splits_where_each_piece_is_a_unit(cell: str, names: list[str]) -> None:
    assert split_unit_names(cell, known=set()) == names


def test_a_comma_splits_between_units_already_known() -> None:
    # "Hợp tác xã …" opens no unit's name by itself: only knowing it splits the cell.
    known = {unit_key("Hợp tác xã Nông nghiệp Bình An")}
    cell = "Hiệp hội Doanh nghiệp tỉnh, Hợp tác xã Nông nghiệp Bình An"
    assert split_unit_names(cell, known=known) == [
        "Hiệp hội Doanh nghiệp tỉnh",
        "Hợp tác xã Nông nghiệp Bình An",
    ]
    assert split_unit_names(cell, known=set()) == [cell]


@given(st.text())
def test_splitting_any_text_gives_clean_names(cell: str) -> None:
    for name in split_unit_names(cell, known=set()):
        assert name == name.strip() and "\n" not in name and unit_key(name)
