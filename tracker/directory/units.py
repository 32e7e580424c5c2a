"""Which unit a name means: one key per unit whatever the spelling, aliases, merging.

Annexes write one unit many ways ("Sở KH&CN", "Sở Khoa học và Công nghệ",
"Sở Khoa học & Công nghệ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"); they must all give the
same key so an import matches the unit instead of creating a twin.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from models import Task, TaskCoordinator, TaskLead, Unit, UnitAlias, UnitKind, User
from tracker.clock import now
from tracker.errors import InvalidValue, NotFound
from tracker.tasks.permissions import Action, require_current
from tracker.textfold import clean, collation_key, fold, modern_tones

# Folded abbreviation parts → folded expansion. Parts may be joined by "&", ",",
# "-", ".", "/", spaces or nothing: "KH&CN", "KH-CN", "KHCN", "KH & CN".
_ABBREVIATIONS: dict[tuple[str, ...], str] = {
    ("ubnd",): "uy ban nhan dan",
    ("hdnd",): "hoi dong nhan dan",
    ("mttq",): "mat tran to quoc",
    ("bcd",): "ban chi dao",
    ("cntt",): "cong nghe thong tin",
    ("kh", "cn"): "khoa hoc va cong nghe",
    ("tt", "tt"): "thong tin va truyen thong",
    ("kh", "dt"): "ke hoach va dau tu",
    ("gd", "dt"): "giao duc va dao tao",
    ("ldtb", "xh"): "lao dong thuong binh va xa hoi",
    ("ld", "tb", "xh"): "lao dong thuong binh va xa hoi",
    ("nn", "ptnt"): "nong nghiep va phat trien nong thon",
    ("tn", "mt"): "tai nguyen va moi truong",
    ("vh", "tt", "dl"): "van hoa the thao va du lich",
    ("gtvt",): "giao thong van tai",
    ("gt", "vt"): "giao thong van tai",
    ("vp",): "van phong",
    ("tp",): "thanh pho",
}
_JOIN = r"(?:[\s&,.\-/]|\bva\b)*"
_PATTERNS = [
    (re.compile(r"(?<![a-z0-9])" + _JOIN.join(parts) + r"(?![a-z0-9])"), expansion)
    # Longest first, so "vh,tt&dl" is not read as "tt" pieces.
    for parts, expansion in sorted(_ABBREVIATIONS.items(), key=lambda item: -len("".join(item[0])))
]
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LIST_BREAK = re.compile(r"[;\n]+|(?:^|\s)[•·▪●◦]\s*")
_BULLET = re.compile(r"^[\s\-–—+*•·▪●◦]+")
# "và" between two pieces, or opening one (", và các địa phương").
_AND = re.compile(r"(?:^|\s+)và\s+", re.IGNORECASE)
_COMMA = re.compile(",")
# The part a body plays, noted after its name: "Bộ Tài chính (chủ trì)", "(cơ quan thường trực)".
# It names no other body: dropped, so the body is not stored twice.
_ROLE = r"(?:cơ quan\s+|đơn vị\s+)?(?:chủ trì|phối hợp|thường trực|đầu mối|tổng hợp|tham mưu)"
_ROLE_NOTE = re.compile(rf"\s*\(\s*{_ROLE}(?:\s*(?:,|và)?\s*{_ROLE})*\s*\)", re.IGNORECASE)
# "các Bộ: Tài chính, Tư pháp": one noun shared by the bodies the colon lists.
_ENUMERATION = re.compile(r"\bcác\s+(bộ|sở)\s*:\s*", re.IGNORECASE)
_ENUMERATION_SEPARATOR = re.compile(r"(\s*,\s*|\s+và\s+)", re.IGNORECASE)
_TRAILING_JOINT = re.compile(r"(?:[\s,]|\bvà\b)+$", re.IGNORECASE)
# Domains a ministry or department is named after that hold "và" or a comma themselves
# ("Kế hoạch và Đầu tư", "Văn hóa, Thể thao và Du lịch"): one body in a colon's list.
_JOINED_DOMAINS = frozenset(
    {expansion for expansion in _ABBREVIATIONS.values() if " va " in expansion}
    | {"nong nghiep va moi truong", "dan toc va ton giao"}
)
# The most pieces one such domain takes ("Văn hóa", "Thể thao", "Du lịch");
# it bounds the runs tried, so a hostile cell of thousands of commas stays linear.
_MOST_DOMAIN_PIECES = 3
# Keys that open a collective: "các sở, ban, ngành", "UBND các huyện, thị xã, thành phố",
# "UBND cấp huyện, cấp xã".
_COLLECTIVE_STARTS = ("cac ", "nhung ", "uy ban nhan dan cac ", "uy ban nhan dan cap ")
# Bare nouns that name a kind of body, not a body: "Bộ, ngành, địa phương".
_GENERIC_BODIES = frozenset(
    {"bo", "so", "nganh", "ban", "dia phuong", "co quan", "don vi", "to chuc", "doanh nghiep"}
)
# First words of a unit's name: a comma-separated piece starting with one, and
# longer than it, names a unit ("Sở Tài chính"), unlike "ban" or "ngành" in
# the collective "Các sở, ban, ngành".
_UNIT_WORDS = (
    "so ",
    "ban ",
    "uy ban ",
    "cong an ",
    "van phong ",
    "dai ",
    "bao ",
    "truong ",
    "cuc ",
    "chi cuc ",
    "kho bac ",
    "ngan hang ",
    "bao hiem ",
    "lien doan ",
    "hoi ",
    "tinh doan ",
    "vien ",
    "trung tam ",
    "toa an ",
    "bo ",
    "dang uy ",
    "hoi dong ",
    "mat tran ",
    "thanh uy ",
    "huyen uy ",
    "tinh uy ",
    "thanh tra ",
    "thue ",
    "doan ",
    "cong ty ",
    "tong cong ty ",
    "tap doan ",
    "benh vien ",
    "hoc vien ",
    "dai hoc ",
    "buu dien ",
    "phong ",
    "quy ",
    # Central bodies of national annexes: "Thông tấn xã Việt Nam", "Kiểm toán nhà nước",
    # "Trung ương Đoàn …", "Tổng Liên đoàn Lao động Việt Nam", "Liên hiệp các Hội …".
    "thong tan xa ",
    "kiem toan ",
    "trung uong ",
    "tong lien doan ",
    "tong cuc ",
    "lien hiep ",
    "lien minh ",
    "hiep hoi ",
    "cong doan ",
    "thanh doan ",
    "thi uy ",
    "nha xuat ban ",
    "tap chi ",
    "cong thong tin ",
    "canh sat ",
    "quan khu ",
)


# Pure and called for every unit name of every row: an annex repeats a few dozen names.
@lru_cache(maxsize=16_384)
def unit_key(name: str) -> str:
    """The matching key of a unit name: folded, abbreviations expanded, punctuation dropped."""
    text = fold(name).replace("&", " & ")
    for pattern, expansion in _PATTERNS:
        text = pattern.sub(f" {expansion} ", text)
    text = text.replace("&", " va ")
    return _NOT_WORD.sub(" ", text).strip()


def display_name(name: str) -> str:
    """How a unit name is stored and shown: NFC, trimmed, one line, official tone placement."""
    return modern_tones(" ".join(clean(name).split()))


def load_unit_keys(session: Session) -> dict[str, Unit]:
    """Every key a unit answers to (its own and its aliases'), for matching many names at once."""
    units = {unit.id: unit for unit in session.exec(select(Unit))}
    keys = {unit.key: unit for unit in units.values()}
    for alias in session.exec(select(UnitAlias)):
        keys.setdefault(alias.key, units[alias.unit_id])
    return keys


def units_by_name(session: Session, *, collectives: bool = True) -> list[Unit]:
    """Every unit in Vietnamese order; COLLECTIVES False leaves out the phrases naming many
    bodies ("các địa phương"), which no account may belong to."""
    query = select(Unit)
    if not collectives:
        query = query.where(Unit.kind != UnitKind.collective)
    return sorted(session.exec(query), key=lambda unit: collation_key(unit.name))


def find_unit(session: Session, name: str) -> Unit | None:
    key = unit_key(name)
    if not key:
        return None
    unit = session.exec(select(Unit).where(Unit.key == key)).first()
    if unit is not None:
        return unit
    alias = session.exec(select(UnitAlias).where(UnitAlias.key == key)).first()
    return session.get(Unit, alias.unit_id) if alias is not None else None


def get_unit(session: Session, name: str) -> Unit:
    """The unit NAME (or one of its aliases) means; NotFound naming it when none."""
    unit = find_unit(session, name)
    if unit is None:
        raise NotFound(f"Không có đơn vị '{name}'.")
    return unit


def new_unit(name: str) -> Unit:
    """A unit named NAME, not yet added to a session."""
    key = unit_key(name)
    if not key:
        raise InvalidValue(f"Tên đơn vị '{name}' không hợp lệ: cần có chữ hoặc số.")
    return Unit(name=display_name(name), key=key, kind=unit_kind(name), created_at=now())


def get_or_create_unit(session: Session, name: str) -> tuple[Unit, bool]:
    """The unit NAME means, created when none matches; True when it was created."""
    unit = find_unit(session, name)
    if unit is not None:
        return unit, False
    unit = new_unit(name)
    session.add(unit)
    session.flush()
    return unit, True


def add_unit_alias(session: Session, *, unit_id: int, name: str) -> None:
    """Remember NAME as another spelling of the unit, so the next import matches it."""
    key = unit_key(name)
    if not key:
        return
    taken = session.exec(select(Unit).where(Unit.key == key)).first()
    if taken is not None and taken.id != unit_id:
        raise InvalidValue(f"Tên '{name}' đã là tên của đơn vị '{taken.name}'.")
    alias = session.exec(select(UnitAlias).where(UnitAlias.key == key)).first()
    if taken is not None or (alias is not None and alias.unit_id == unit_id):
        return
    if alias is not None:
        alias.unit_id = unit_id
        session.add(alias)
    else:
        session.add(UnitAlias(unit_id=unit_id, alias=display_name(name), key=key))
    session.flush()


def add_unit(session: Session, *, by: User, name: str) -> Unit:
    """A unit the secretariat names itself, e.g. to open its accounts before any annex lists it."""
    require_current(session, by, Action.manage_units)
    holder = find_unit(session, name)
    if holder is not None:
        raise InvalidValue(f"Đơn vị '{display_name(name)}' đã có trong danh mục, tên là '{holder.name}'.")
    unit = new_unit(name)
    session.add(unit)
    session.flush()
    return unit


def rename_unit(session: Session, *, by: User, unit_id: int, name: str) -> Unit:
    """Give a unit its new name (units are renamed when agencies merge or reorganise); the
    old name stays as another spelling, so an annex that still uses it matches the unit."""
    require_current(session, by, Action.manage_units)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"Không có đơn vị mã {unit_id}.")
    renamed = new_unit(name)
    holder = find_unit(session, name)
    if holder is not None and holder.id != unit_id:
        raise InvalidValue(f"Tên '{renamed.name}' đã là tên hoặc tên gọi khác của đơn vị '{holder.name}'.")
    if renamed.kind == UnitKind.collective:
        _refuse_accounts(session, unit_id, f"Tên mới '{renamed.name}' chỉ nhiều cơ quan cùng lúc")
    old_name, old_key = unit.name, unit.key
    unit.name, unit.key, unit.kind = renamed.name, renamed.key, renamed.kind
    if old_key != renamed.key:
        # The new name may have been one of the unit's other spellings: it is its name now.
        session.execute(delete(UnitAlias).where(col(UnitAlias.key) == renamed.key))
        session.add(UnitAlias(unit_id=unit_id, alias=old_name, key=old_key))
    session.add(unit)
    session.flush()
    return unit


def merge_units(session: Session, *, by: User, source_id: int, target_id: int) -> None:
    """Fold the unit SOURCE into TARGET: its tasks, coordinations, users and names move over."""
    require_current(session, by, Action.manage_units)
    if source_id == target_id:
        raise InvalidValue("Không thể gộp một đơn vị vào chính nó.")
    source, target = session.get(Unit, source_id), session.get(Unit, target_id)
    if source is None or target is None:
        raise NotFound(f"Không có đơn vị mã {source_id if source is None else target_id}.")
    if target.kind == UnitKind.collective:
        _refuse_accounts(session, source_id, f"'{target.name}' chỉ nhiều cơ quan cùng lúc")
    session.execute(update(Task).where(col(Task.lead_unit_id) == source_id).values(lead_unit_id=target_id))
    for link in (TaskLead, TaskCoordinator):
        # A task both units were linked to keeps the target's link only.
        already = select(col(link.task_id)).where(col(link.unit_id) == target_id)
        session.execute(delete(link).where(col(link.unit_id) == source_id, col(link.task_id).in_(already)))
        session.execute(update(link).where(col(link.unit_id) == source_id).values(unit_id=target_id))
    session.execute(update(User).where(col(User.unit_id) == source_id).values(unit_id=target_id))
    session.execute(update(UnitAlias).where(col(UnitAlias.unit_id) == source_id).values(unit_id=target_id))
    name, key = source.name, source.key
    session.delete(source)
    session.flush()
    session.add(UnitAlias(unit_id=target_id, alias=name, key=key))
    session.flush()


def _refuse_accounts(session: Session, unit_id: int, why: str) -> None:
    """No account may end up on a collective: WHY names it, when the unit UNIT_ID has accounts."""
    holders = session.exec(select(User.username).where(User.unit_id == unit_id).order_by(col(User.username)))
    names = list(holders)
    if names:
        raise InvalidValue(
            f"{why}, không phải một đơn vị, mà đơn vị này có tài khoản ({', '.join(names)}): "
            "hãy chuyển các tài khoản sang đơn vị khác trước."
        )


def split_unit_names(text: str, *, known: Container[str]) -> list[str]:
    """The bodies a cell names, each once, in order.

    Semicolons, line breaks and bullets always separate. Inside a part, a comma or "và"
    separates only before a piece that starts a new body (a unit's name, a key in KNOWN,
    or a collective such as "các bộ, ngành"); any other piece belongs to the body before
    it, so "Bộ Văn hóa, Thể thao và Du lịch" and "Các sở, ban, ngành" stay whole; nothing
    inside parentheses separates, and a note of the body's part ("(chủ trì)") is dropped. A colon's
    list shares its noun: "các Bộ: Tài chính, Tư pháp" names "Bộ Tài chính" and "Bộ Tư pháp"."""
    names: list[str] = []
    seen: set[str] = set()
    for part in _LIST_BREAK.split(_ROLE_NOTE.sub("", clean(text))):
        for name in _part_bodies(_BULLET.sub("", part).strip(" ,."), known):
            key = unit_key(name)
            if key and key not in seen:
                seen.add(key)
                names.append(display_name(name))
    return names


def _part_bodies(part: str, known: Container[str]) -> list[str]:
    """The bodies of one part of a cell, a colon's list ("các Bộ: Tài chính, Tư pháp") included."""
    found = _ENUMERATION.search(part)
    if found is None:
        return _bodies(part, known)
    head = _TRAILING_JOINT.sub("", part[: found.start()])
    noun = found.group(1).capitalize()
    return [*_bodies(head, known), *_listed_bodies(noun, part[found.end() :], known)]


def _listed_bodies(noun: str, listed: str, known: Container[str]) -> list[str]:
    """ "Tài chính, Kế hoạch và Đầu tư, Tư pháp" after "các Bộ:" → "Bộ Tài chính", "Bộ Kế hoạch
    và Đầu tư", "Bộ Tư pháp". The list ends at a piece naming a body itself ("các địa phương"),
    which is read with the rest of the part as any other."""
    tokens = _ENUMERATION_SEPARATOR.split(listed)
    words, joints = tokens[::2], [", " if "," in joint else " và " for joint in tokens[1::2]]
    bodies: list[str] = []
    start = 0
    while start < len(words):
        if _starts_body(words[start].strip(), known):
            return [*bodies, *_bodies(_joined(words, joints, start, len(words)), known)]
        # The longest run of pieces that names one domain, else the one piece.
        end = next(
            (
                end
                for end in range(min(len(words), start + _MOST_DOMAIN_PIECES), start + 1, -1)
                if _names_one_body(noun, _joined(words, joints, start, end), known)
            ),
            start + 1,
        )
        name = _joined(words, joints, start, end).strip()
        if name:
            bodies.append(f"{noun} {name}")
        start = end
    return bodies


def _joined(words: list[str], joints: list[str], start: int, end: int) -> str:
    """WORDS[START:END] with the joints written between them."""
    return words[start] + "".join(joints[index - 1] + words[index] for index in range(start + 1, end))


def _names_one_body(noun: str, domain: str, known: Container[str]) -> bool:
    return unit_key(domain) in _JOINED_DOMAINS or unit_key(f"{noun} {domain}") in known


def _bodies(part: str, known: Container[str]) -> list[str]:
    """The bodies of one part of a cell, by the comma and "và" pieces that start one."""
    bodies: list[str] = []
    for index, comma_piece in enumerate(_split_outside_parentheses(_COMMA, part)):
        for position, piece in enumerate(_split_outside_parentheses(_AND, comma_piece)):
            piece = piece.strip()
            if not piece:
                continue
            if not bodies or _starts_body(piece, known):
                bodies.append(piece)
            else:
                joint = ", " if position == 0 and index > 0 else " và "
                bodies[-1] = f"{bodies[-1]}{joint}{piece}"
    return bodies


def _split_outside_parentheses(separator: re.Pattern[str], text: str) -> list[str]:
    """TEXT split where SEPARATOR matches outside parentheses: "Các bộ, ngành (Bộ Tài chính,
    Bộ Tư pháp)" is one entry. Linear, so a hostile cell of thousands of commas stays quick."""
    if "(" not in text:
        return separator.split(text)
    seen, depth = [], 0
    for char in text:
        depth = depth + 1 if char == "(" else max(depth - 1, 0) if char == ")" else depth
        # Inside parentheses every character is blanked out of the separator's sight.
        seen.append("_" if depth and char not in "()" else char)
    pieces, start = [], 0
    for found in separator.finditer("".join(seen)):
        pieces.append(text[start : found.start()])
        start = found.end()
    return [*pieces, text[start:]]


def _starts_body(piece: str, known: Container[str]) -> bool:
    key = unit_key(piece)
    if not key:
        return False
    if key in known or key.startswith(_COLLECTIVE_STARTS):
        return True
    return key.startswith(_UNIT_WORDS) and piece[:1].isupper()


def unit_kind(name: str) -> str:
    """UnitKind.collective for a phrase naming many bodies at once ("các địa phương",
    "UBND các huyện, thị xã, thành phố", "Sở, ngành liên quan"), else UnitKind.unit."""
    key = unit_key(name)
    first = unit_key(name.split(",")[0])
    if key.startswith(_COLLECTIVE_STARTS) or first in _GENERIC_BODIES or key.endswith(" lien quan"):
        return UnitKind.collective
    return UnitKind.unit


# Reminders (tracker.reminders) -------------------------------------------------------------
_MAILBOX = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


def set_unit_mailbox(session: Session, *, by: User, unit_id: int, mailbox: str) -> Unit:
    """The unit's own mailbox, copied on its reminders; empty removes it."""
    require_current(session, by, Action.manage_units)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"Không có đơn vị mã {unit_id}.")
    address = mailbox.strip()
    if address and not _MAILBOX.fullmatch(address):
        raise InvalidValue(
            f"Hộp thư '{address}' của đơn vị '{unit.name}' không phải một địa chỉ e-mail hợp lệ."
        )
    unit.mailbox = address
    session.add(unit)
    session.flush()
    return unit
