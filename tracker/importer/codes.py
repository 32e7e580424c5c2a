"""How rows are numbered: STT cells → sections, groups and task codes.

Roman numerals open a section; tasks take the path of their numbers within it:
`I.2`, `II.2.1`, `III.4.a`; a bullet or unnumbered row under a numbered one is
numbered on (`I.2.1`, `I.2.2`). A numbered row with rows below it and neither
a lead unit nor a deadline is a group: not a task, its text becomes the
group title of the tasks under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.textfold import clean

# Roman numerals up to XXXIX, or one capital letter ("A. NHIỆM VỤ CHUNG").
_SECTION = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$|^[A-Z]$")
_SECTION_WITH_TITLE = re.compile(
    r"^((?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})|[A-Z])\s*[.):\-–]\s*(\S.*)$", re.DOTALL
)
_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
_LETTER = re.compile(r"^[a-zđ]$")
_BULLETS = {"-", "+", "*", "•", "–", "—", "·", "○"}


@dataclass(slots=True)
class Cells:
    """One table row, each field's cell as text ("" where the annex has no such column)."""

    row: int  # 1-based, as the sheet shows it
    code: str
    title: str
    lead_unit: str
    coordinators: str
    deadline: str
    output: str
    # The deadline cell as the sheet holds it: a date cell is read as that date, not as text.
    deadline_value: object


@dataclass(slots=True)
class Entry:
    """A task row of the annex, with its code and place."""

    code: str
    # False when the annex gave no number and the code was counted here.
    numbered: bool
    section_code: str
    section_title: str
    group_title: str
    cells: Cells

    @property
    def row(self) -> int:
        return self.cells.row

    @property
    def title(self) -> str:
        return self.cells.title


@dataclass(slots=True)
class _Node:
    entry: Entry
    kind: str
    level: int
    parent: _Node | None
    children: int = 0
    bullets: int = 0
    # The nearest ancestor that is a group (set by _without_groups).
    group: _Node | None = None


@dataclass
class _Section:
    code: str = ""
    title: str = ""
    unnumbered: int = 0
    stack: list[_Node] = field(default_factory=list)

    def path(self, number: str) -> str:
        return f"{self.code}.{number}" if self.code else number


# STT cells repeat down an annex (1, 2, … again in every section; a), b), -): read each once.
@lru_cache(maxsize=4096)
def _token(value: str) -> tuple[str, str, str]:
    """(kind, code, title found in the cell) of an STT cell."""
    text = value.strip()
    core = text.strip("()").rstrip(".)").strip()
    if _NUMBER.match(core):
        return "number", core, ""
    if not text:
        return "empty", "", ""
    if text in _BULLETS:
        return "bullet", "", ""
    if _SECTION.match(core):
        return "section", core, ""
    titled = _SECTION_WITH_TITLE.match(text)
    if titled:
        return "section", titled.group(1), clean(titled.group(2))
    if _LETTER.match(core):
        return "letter", core, ""
    return "other", " ".join(core.split()), ""


def number_rows(table: list[Cells]) -> list[Entry]:
    """Task entries of the table rows, groups left out."""
    section = _Section()
    nodes: list[_Node] = []
    for cells in table:
        kind, token, inline_title = _token(cells.code)
        if kind == "section":
            section = _Section(code=token, title=cells.title or inline_title)
            continue
        if (
            kind in ("empty", "bullet")
            and not cells.title
            and not (cells.lead_unit or cells.coordinators or cells.deadline or cells.output)
        ):
            continue
        code, level, parent, numbered = _place(section, kind, token)
        entry = Entry(
            code=code,
            numbered=numbered,
            section_code=section.code,
            section_title=section.title,
            group_title="",
            cells=cells,
        )
        node = _Node(entry=entry, kind=kind, level=level, parent=parent)
        if parent is not None:
            parent.children += 1
        section.stack.append(node)
        nodes.append(node)
    return _without_groups(nodes)


def _place(section: _Section, kind: str, token: str) -> tuple[str, int, _Node | None, bool]:
    """Code, depth, parent and whether the annex numbered it, from the rows above in the section."""
    stack = section.stack
    if kind == "number":
        level = token.count(".") + 1
        while stack and (stack[-1].kind != "number" or stack[-1].level >= level):
            stack.pop()
        return section.path(token), level, stack[-1] if stack else None, True
    if kind == "letter":
        while stack and stack[-1].kind != "number":
            stack.pop()
    else:
        while stack and stack[-1].kind in ("bullet", "empty"):
            stack.pop()
    parent = stack[-1] if stack else None
    level = parent.level + 1 if parent else 1
    if kind in ("letter", "other"):
        prefix = parent.entry.code if parent and kind == "letter" else section.code
        return ".".join(filter(None, (prefix, token))), level, parent, True
    if parent is None:
        section.unnumbered += 1
        return section.path(str(section.unnumbered)), level, None, False
    parent.bullets += 1
    return f"{parent.entry.code}.{parent.bullets}", level, parent, True


def _is_group(node: _Node) -> bool:
    # Most rows have no children: look at their cells only when they do.
    if node.children == 0:
        return False
    cells = node.entry.cells
    return not (cells.lead_unit or cells.deadline)


def _without_groups(nodes: list[_Node]) -> list[Entry]:
    # A parent comes before its children, so one pass in order finds each node's nearest group
    # from its parent's: linear however deep the rows nest (a sheet of unnumbered rows is one chain).
    entries: list[Entry] = []
    for node in nodes:
        parent = node.parent
        if parent is not None:
            node.group = parent if _is_group(parent) else parent.group
        if _is_group(node):
            continue
        if node.group is not None:
            node.entry.group_title = node.group.entry.title
        entries.append(node.entry)
    return entries
