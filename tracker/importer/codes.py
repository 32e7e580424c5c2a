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

from tracker.importer.read import cell_text, is_blank
from tracker.textfold import clean

# Roman numerals up to XXXIX, or one capital letter ("A. NHIỆM VỤ CHUNG").
_SECTION = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$|^[A-Z]$")
_SECTION_WITH_TITLE = re.compile(
    r"^((?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})|[A-Z])\s*[.):\-–]\s*(\S.*)$", re.DOTALL
)
_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
_LETTER = re.compile(r"^[a-zđ]$")
_BULLETS = {"-", "+", "*", "•", "–", "—", "·", "○"}


@dataclass
class Entry:
    """A task row of the annex, with its code and place."""

    row: int
    code: str
    # False when the annex gave no number and the code was counted here.
    numbered: bool
    section_code: str
    section_title: str
    group_title: str
    title: str
    values: dict[str, object]


@dataclass
class _Node:
    entry: Entry
    kind: str
    level: int
    parent: _Node | None
    children: int = 0
    bullets: int = 0


@dataclass
class _Section:
    code: str = ""
    title: str = ""
    unnumbered: int = 0
    stack: list[_Node] = field(default_factory=list)

    def path(self, *parts: str) -> str:
        return ".".join(part for part in (self.code, *parts) if part)


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


def number_rows(table: list[tuple[int, dict[str, object]]]) -> list[Entry]:
    """Task entries of the table rows (row number, field → cell value), groups left out."""
    section = _Section()
    nodes: list[_Node] = []
    for row, values in table:
        kind, token, inline_title = _token(cell_text(values.get("code", "")))
        title = cell_text(values.get("title", ""))
        if kind == "section":
            section = _Section(code=token, title=title or inline_title)
            continue
        others = (value for name, value in values.items() if name not in ("code", "title"))
        if not title and kind in ("empty", "bullet") and all(map(is_blank, others)):
            continue
        code, level, parent, numbered = _place(section, kind, token)
        entry = Entry(
            row=row,
            code=code,
            numbered=numbered,
            section_code=section.code,
            section_title=section.title,
            group_title="",
            title=title,
            values=values,
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
    values = node.entry.values
    return not (cell_text(values.get("lead_unit", "")) or cell_text(values.get("deadline", "")))


def _without_groups(nodes: list[_Node]) -> list[Entry]:
    entries: list[Entry] = []
    for node in nodes:
        if _is_group(node):
            continue
        ancestor = node.parent
        while ancestor is not None and not _is_group(ancestor):
            ancestor = ancestor.parent
        if ancestor is not None:
            node.entry.group_title = ancestor.entry.title
        entries.append(node.entry)
    return entries
