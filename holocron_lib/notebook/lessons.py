"""Read the SQL lesson sets of a Holocron checkout (`docs/lessons/`) as they are.

Each module is a pair of files, ``NN_<slug>_exercises.sql`` and ``NN_<slug>_answers.sql``.
Both open with a ``/* ... */`` block whose lines start with `` * ``: ``MODULE NN: <title>``,
then ``OBJECTIVE:``, ``SKILLS PRACTICED:`` (bullets), ``TABLES USED:`` and ``DIFFICULTY:``.
Exercises sit between comment rules (``-- ====``) as ``-- EXERCISE <n>: <title>``; in the
exercises file each has ``-- GOAL:`` (continued on later ``--`` lines), ``-- HINTS:`` with
bullets and ``-- TABLES:``; in the answers file each has comment lines, then one or more
T-SQL statements ending with ``;``, perhaps followed by ``-- Comment:`` lines and a
``/* VARIATIONS: ... */`` block. Nothing is copied: the files are read where they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from holocron_lib.errors import LessonFileError

_FILE = re.compile(r"^(\d{2})_([a-z0-9_]+?)_(exercises|answers)\.sql$")
_RULE = re.compile(r"^--\s*[=-]{4,}\s*$")
_EXERCISE = re.compile(r"^--\s*EXERCISE\s+(\d+)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_MODULE = re.compile(r"^MODULE\s+(\d+)\s*:\s*(.*?)(?:\s+-\s+ANSWER KEY)?\s*$", re.IGNORECASE)
_LABELS = ("OBJECTIVE", "SKILLS PRACTICED", "TABLES USED", "DIFFICULTY")
_FIELDS = ("GOAL", "HINTS", "TABLES")


@dataclass(frozen=True)
class LessonExercise:
    """One exercise of a module, joined from its two files; ``answers`` are T-SQL statements."""

    module: int
    number: int
    title: str
    goal: str
    hints: tuple[str, ...]
    tables: tuple[str, ...]
    answers: tuple[str, ...]
    notes: tuple[str, ...] = ()  # the answer key's comment lines about this exercise


@dataclass(frozen=True)
class LessonModule:
    number: int
    slug: str
    title: str
    objective: str
    skills: tuple[str, ...]
    tables: tuple[str, ...]
    difficulty: str
    exercises: tuple[LessonExercise, ...]
    files: tuple[str, ...]  # the file names it was read from


@dataclass(frozen=True)
class LessonSet:
    """The modules of a lessons folder, and the files that could not be read (each named)."""

    folder: Path
    modules: tuple[LessonModule, ...]
    problems: tuple[str, ...] = field(default_factory=tuple)


def read_lessons(folder: Path) -> LessonSet:
    """Every module of ``folder``; a module whose files do not parse is skipped and named in
    ``problems``, so one bad file does not hide the other lessons."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LessonFileError(str(folder), "is not a folder (HOLOCRON_LESSONS_DIR should name a "
                                           "checkout's docs/lessons/)")
    pairs: dict[tuple[str, str], dict[str, Path]] = {}
    for path in sorted(folder.iterdir()):
        found = _FILE.match(path.name)
        if found:
            pairs.setdefault((found.group(1), found.group(2)), {})[found.group(3)] = path
    if not pairs:
        raise LessonFileError(str(folder), "holds no NN_<slug>_exercises.sql lesson files")
    modules, problems = [], []
    for (number, slug), files in sorted(pairs.items()):
        try:
            modules.append(_read_module(int(number), slug, files))
        except LessonFileError as exc:
            problems.append(str(exc))
    return LessonSet(folder, tuple(modules), tuple(problems))


def _read_module(number: int, slug: str, files: dict[str, Path]) -> LessonModule:
    if "exercises" not in files:
        raise LessonFileError(files["answers"].name, "has no exercises file beside it")
    exercises_path = files["exercises"]
    lines = _lines(exercises_path)
    header = _header(exercises_path, lines)
    prompts = _exercise_blocks(exercises_path, lines)
    answers: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    if "answers" in files:
        answer_lines = _lines(files["answers"])
        for n, (_title, body, _line) in _exercise_blocks(files["answers"], answer_lines).items():
            answers[n] = _answer(body)
    exercises = []
    for n, (title, body, line) in prompts.items():
        goal, hints, tables = _prompt(exercises_path, body, line)
        statements, notes = answers.get(n, ((), ()))
        exercises.append(LessonExercise(number, n, title, goal, hints, tables, statements, notes))
    if header["module"] != number:
        raise LessonFileError(exercises_path.name,
                              f"says MODULE {header['module']:02d} but is named {number:02d}")
    return LessonModule(number, slug, header["title"], header["objective"], header["skills"],
                        header["tables"], header["difficulty"], tuple(exercises),
                        tuple(sorted(p.name for p in files.values())))


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LessonFileError(path.name, f"cannot be read: {exc}") from None


def _header(path: Path, lines: list[str]) -> dict:
    """The fields of the opening ``/* ... */`` block."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not lines[start].lstrip().startswith("/*"):
        raise LessonFileError(path.name, "does not open with a /* ... */ block comment",
                              None if start is None else start + 1)
    end = next((i for i in range(start, len(lines)) if "*/" in lines[i]), None)
    if end is None:
        raise LessonFileError(path.name, "its opening block comment is never closed", start + 1)
    text = [re.sub(r"^\s*/?\*+/?\s?", "", line).rstrip() for line in lines[start:end + 1]]
    text = [t.replace("*/", "").rstrip() for t in text]
    module = None
    values: dict[str, list[str]] = {label: [] for label in _LABELS}
    current = None
    for offset, line in enumerate(text):
        stripped = line.strip()
        if not stripped or set(stripped) <= set("=-*"):
            continue
        heading = _MODULE.match(stripped)
        if heading and module is None:
            module = (int(heading.group(1)), heading.group(2), start + offset + 1)
            continue
        label = next((lab for lab in _LABELS if stripped.upper().startswith(lab + ":")), None)
        if label:
            current = label
            rest = stripped[len(label) + 1:].strip()
            if rest:
                values[label].append(rest)
        elif current:
            values[current].append(stripped)
    if module is None:
        raise LessonFileError(path.name, "its opening comment has no 'MODULE NN: <title>' line",
                              start + 1)
    skills = tuple(s.lstrip("-• ").strip() for s in values["SKILLS PRACTICED"] if s.strip("-• "))
    tables = tuple(t.strip() for t in ",".join(values["TABLES USED"]).split(",") if t.strip())
    return {"module": module[0], "title": module[1], "objective": " ".join(values["OBJECTIVE"]),
            "skills": skills, "tables": tables, "difficulty": " ".join(values["DIFFICULTY"])}


def _exercise_blocks(path: Path, lines: list[str]) -> dict[int, tuple[str, list[str], int]]:
    """Exercise number -> (title, the lines after its header, the header's line number)."""
    blocks: dict[int, tuple[str, list[str], int]] = {}
    current: list[str] | None = None
    for i, line in enumerate(lines):
        found = _EXERCISE.match(line.strip())
        if found:
            number = int(found.group(1))
            if number in blocks:
                raise LessonFileError(path.name, f"EXERCISE {number} appears twice", i + 1)
            current = []
            blocks[number] = (found.group(2), current, i + 1)
        elif current is not None:
            current.append(line)
    for _title, body, _line in blocks.values():  # the rule that closes a header is no content
        while body and (not body[0].strip() or _RULE.match(body[0].strip())):
            body.pop(0)
        while body and (not body[-1].strip() or _RULE.match(body[-1].strip())):
            body.pop()
    return blocks


def _prompt(path: Path, body: list[str], line: int) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """GOAL, HINTS and TABLES of an exercise in the exercises file."""
    values: dict[str, list[str]] = {f: [] for f in _FIELDS}
    current = None
    for raw in body:
        stripped = raw.strip()
        if not stripped.startswith("--") or _RULE.match(stripped):
            continue
        text = stripped[2:].strip()
        if text.lower().startswith("write your query"):
            current = None
            continue
        label = next((f for f in _FIELDS if text.upper().startswith(f + ":")), None)
        if label:
            current = label
            rest = text[len(label) + 1:].strip()
            if rest:
                values[label].append(rest)
        elif current and text:
            values[current].append(text)
    if not values["GOAL"]:
        raise LessonFileError(path.name, "an exercise has no '-- GOAL:' line", line)
    hints = tuple(h[1:].strip() if h.startswith(("-", "•")) else h for h in values["HINTS"])
    tables = tuple(t.strip() for t in ",".join(values["TABLES"]).split(",") if t.strip())
    return " ".join(values["GOAL"]), hints, tables


def _answer(body: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The statements of an answer, and its comment lines (``VARIATIONS`` blocks dropped)."""
    code, notes = [], []
    in_block = False
    for raw in body:
        stripped = raw.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("--"):
            if not _RULE.match(stripped) and stripped[2:].strip():
                notes.append(stripped[2:].strip())
            continue
        code.append(raw.rstrip())
    return tuple(split_statements("\n".join(code))), tuple(notes)


def split_statements(sql: str) -> list[str]:
    """Statements separated by ``;`` outside quotes, brackets and comments, each without it."""
    statements, current = [], []
    i, quote = 0, None
    while i < len(sql):
        ch = sql[i]
        if quote:
            current.append(ch)
            if ch == quote:
                if quote == "'" and sql[i + 1:i + 2] == "'":  # '' inside a string
                    current.append("'")
                    i += 1
                else:
                    quote = None
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == "[":
            quote = "]"
            current.append(ch)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif ch == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    statements.append("".join(current).strip())
    return [s for s in statements if s]
