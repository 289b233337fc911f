"""What a client may be shown of a run: paths relative to the project, and no secrets.

Executed notebooks, error messages and tracebacks name files the server sees by absolute
path (the project, the library, the interpreter, a temporary folder). Before any of that is
stored as a run's output or sent over HTTP, those prefixes become short relative names
(``holocron_lib/db/embedded.py``, ``<site-packages>/pandas/...``, ``<tmp>/...``) and every
secret in force becomes ``***``.
"""

from __future__ import annotations

import json
import re
import site
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Redact = Callable[[str], str]


def path_prefixes(home: Path, artifacts_dir: Path | None = None,
                  extra: Iterable[tuple[Path | str, str]] = ()) -> list[tuple[str, str]]:
    """(absolute prefix, shown as) pairs, longest first; '' shows a path relative to it."""
    import holocron_lib

    pairs: list[tuple[str, str]] = [(str(p), label) for p, label in extra]
    pairs.append((str(Path(holocron_lib.__file__).resolve().parent.parent), ""))
    pairs.append((str(home), ""))
    if artifacts_dir is not None:
        pairs.append((str(artifacts_dir), "artifacts"))
    packages = {*site.getsitepackages(), site.getusersitepackages(),
                sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    pairs += [(p, "<site-packages>") for p in packages if p]
    pairs += [(sysconfig.get_paths()["stdlib"], "<python>"), (sys.prefix, "<python>"),
              (sys.base_prefix, "<python>"), (tempfile.gettempdir(), "<tmp>"),
              (str(Path.home()), "~")]
    seen: dict[str, str] = {}
    for prefix, label in pairs:
        prefix = prefix.rstrip("/")
        if len(prefix) > 1 and prefix not in seen:
            seen[prefix] = label
        resolved = str(Path(prefix).resolve()) if prefix else prefix
        if len(resolved) > 1 and resolved not in seen:
            seen[resolved] = label
    return sorted(seen.items(), key=lambda kv: len(kv[0]), reverse=True)


def _pattern(prefixes: list[tuple[str, str]]) -> tuple[re.Pattern, dict[str, str]]:
    labels = dict(prefixes)
    alternatives = "|".join(re.escape(p) for p, _ in prefixes)
    # Not inside a longer path; right after an ANSI colour code (…m) is fine, as in
    # IPython's tracebacks.
    return re.compile(rf"(?:(?<=m)|(?<![\w.-]))({alternatives})(/|(?![\w.-]))"), labels


def relative_text(text: str, prefixes: list[tuple[str, str]]) -> str:
    """``text`` with every known absolute prefix shown by its label."""
    if not prefixes or "/" not in text:
        return text
    pattern, labels = _pattern(prefixes)

    def shown(m: re.Match) -> str:
        label = labels[m[1]]
        if m[2] == "/":
            return f"{label}/" if label else ""
        return label or "."

    return pattern.sub(shown, text)


def scrub_value(value: Any, prefixes: list[tuple[str, str]], redact: Redact | None = None
                ) -> Any:
    """Every string in a JSON-like value made relative and redacted."""
    if isinstance(value, str):
        text = relative_text(value, prefixes)
        return redact(text) if redact else text
    if isinstance(value, list):
        return [scrub_value(v, prefixes, redact) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v, prefixes, redact) for k, v in value.items()}
    return value


def scrub_notebook_file(path: Path, prefixes: list[tuple[str, str]],
                        redact: Redact | None = None) -> bool:
    """Rewrite the notebook at ``path`` scrubbed; False when it cannot be read or written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(scrub_value(data, prefixes, redact), indent=1,
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    except (OSError, ValueError):
        return False
    return True
