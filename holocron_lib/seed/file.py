"""The Holocron seed-file format: envelope parsing, load order, derived GUIDs and RowHash.

Pure functions over JSON; nothing here touches a database. The rules follow the real
Holocron seed loader, so a real checkout's ``src/db/seeds/data`` folder reads unchanged.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from holocron_lib.errors import SeedError

# Tables in the order the real loader inserts them; files for other tables follow, by name.
LOAD_ORDER: tuple[str, ...] = (
    "DimFranchise", "DimIssueType", "DimContinuityFrame", "DimEra", "DimWork", "DimEventType",
    "DimEntity", "DimTechAsset", "DimScene", "DimSpecies", "DimLocation", "DimDroidModel",
    "DimShipModel", "DimWeaponModel", "DimOrganization", "DimCharacter", "DimTechInstance",
    "DimDroidInstance", "FactEvent", "ContinuityIssue", "FactClaim", "BridgeEventParticipant",
    "BridgeEventAsset", "BridgeContinuityIssueClaim",
)
LOAD_BEHAVIORS = ("truncate-insert",)
# Never part of RowHash: assigned by the database or by the load itself.
HASH_EXCLUDED = frozenset({"RowHash", "UpdatedUtc", "ValidFromUtc", "CreatedUtc"})

_ENVELOPE = ("seedVersion", "generatedUtc", "target", "rows")
_TARGET = ("schema", "table", "loadBehavior")


@dataclass(frozen=True)
class SeedFile:
    """One parsed seed file: where it came from, its target table, options and rows."""

    path: Path
    seed_version: str
    generated_utc: str
    schema: str
    table: str
    load_behavior: str
    natural_key: tuple[str, ...] = ()
    allow_identity_insert: bool = False
    ignore_unknown_fields: bool = False
    defaults: Mapping[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def full_name(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def name(self) -> str:
        return self.path.name


def _fail(path: Path, reason: str, row: int | None = None, column: str | None = None):
    raise SeedError(str(path), reason, row, column)


def _require(path: Path, obj: Mapping, keys: Iterable[str], where: str) -> None:
    for key in keys:
        if key not in obj:
            _fail(path, f"missing required key {where}{key!r}")


def read_seed_file(path: Path) -> SeedFile:
    """Parse and validate one seed file's envelope; rows are checked against the table later."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        _fail(path, "file not found")
    return seed_file(path, _parse_json(path, raw))


def _parse_json(path: Path, raw: bytes) -> Any:
    """orjson parses a valid file several times faster; a bad one is parsed again by the
    standard library, whose message gives the line and column."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        _fail(path, f"not UTF-8 text (byte {exc.start})")
    except json.JSONDecodeError as exc:
        _fail(path, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")


def seed_file(path: Path, data: Any) -> SeedFile:
    """Validate a parsed seed document (the file's JSON value) that came from ``path``."""
    if not isinstance(data, dict):
        _fail(path, f"expected a JSON object with keys {', '.join(_ENVELOPE)}")
    _require(path, data, _ENVELOPE, "")
    target = data["target"]
    if not isinstance(target, dict):
        _fail(path, "'target' must be an object")
    _require(path, target, _TARGET, "target.")
    for key in _TARGET:
        if not isinstance(target[key], str) or not target[key]:
            _fail(path, f"'target.{key}' must be a non-empty string")
    if target["loadBehavior"] not in LOAD_BEHAVIORS:
        _fail(path, f"unsupported target.loadBehavior {target['loadBehavior']!r}; "
                    f"allowed: {', '.join(LOAD_BEHAVIORS)}")
    natural_key = target.get("naturalKey") or []
    if not isinstance(natural_key, list) or not all(isinstance(k, str) for k in natural_key):
        _fail(path, "'target.naturalKey' must be an array of column names")
    options = data.get("options") or {}
    if not isinstance(options, dict):
        _fail(path, "'options' must be an object")
    defaults = options.get("defaults") or {}
    if not isinstance(defaults, dict):
        _fail(path, "'options.defaults' must be an object")
    for flag in ("allowIdentityInsert", "ignoreUnknownFields"):
        if not isinstance(options.get(flag, False), bool):
            _fail(path, f"'options.{flag}' must be true or false")
    rows = data["rows"]
    if not isinstance(rows, list):
        _fail(path, "'rows' must be an array")
    for number, row in enumerate(rows, start=1):
        if type(row) is not dict:
            _fail(path, f"each row must be a JSON object, got {type(row).__name__}", number)
    return SeedFile(
        path=path,
        seed_version=str(data["seedVersion"]),
        generated_utc=str(data["generatedUtc"]),
        schema=target["schema"],
        table=target["table"],
        load_behavior=target["loadBehavior"],
        natural_key=tuple(natural_key),
        allow_identity_insert=options.get("allowIdentityInsert", False),
        ignore_unknown_fields=options.get("ignoreUnknownFields", False),
        defaults=dict(defaults),
        rows=rows,
    )


def seed_paths(seed_dir: Path) -> list[Path]:
    """The ``*.json`` files of a seed folder, by name; a missing or empty folder is an error."""
    seed_dir = Path(seed_dir)
    if not seed_dir.is_dir():
        _fail(seed_dir, "seed folder does not exist")
    paths = sorted(seed_dir.glob("*.json"))
    if not paths:
        _fail(seed_dir, "no *.json seed files in the folder")
    return paths


def order_seed_files(files: Sequence[SeedFile]) -> list[SeedFile]:
    """Real-loader order: the fixed dbo list first, then every other file by file name."""
    rank = {name.lower(): i for i, name in enumerate(LOAD_ORDER)}
    seen: dict[str, SeedFile] = {}
    for sf in files:
        key = sf.full_name.lower()
        if key in seen:
            _fail(sf.path, f"second seed file for table {sf.full_name} "
                           f"(the first is {seen[key].name})")
        seen[key] = sf

    def sort_key(sf: SeedFile):
        fixed = sf.schema.lower() == "dbo" and sf.table.lower() in rank
        return (0, rank[sf.table.lower()], "") if fixed else (1, 0, sf.name)

    return sorted(files, key=sort_key)


def serialize_json_value(value: Any) -> Any:
    """Nested objects become JSON text (non-ASCII kept), as the real loader stores them."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def derive_guid(schema: str, table: str, natural_key_values: Sequence[Any]) -> str:
    """UUIDv5 of the natural-key values, namespaced by ``schema.table`` (real-loader rule)."""
    namespace = uuid.uuid5(uuid.NAMESPACE_DNS, f"{schema}.{table}")
    name = json.dumps([str(v) for v in natural_key_values], ensure_ascii=False, sort_keys=True)
    return str(uuid.uuid5(namespace, name))


def hash_text(value: Any) -> str:
    """How one value is spelled inside the RowHash input."""
    if value is None:
        return "NULL"
    if value is True:
        return "1"
    if value is False:
        return "0"
    return str(value)


def row_hash(prepared: Mapping[str, Any], identity_column: str | None = None) -> bytes:
    """SHA-256 of ``key=value`` pairs, keys sorted, joined by ``|`` (one row at a time)."""
    excluded = HASH_EXCLUDED | {identity_column}
    text = "|".join(f"{k}={hash_text(prepared[k])}" for k in sorted(prepared) if k not in excluded)
    return hashlib.sha256(text.encode("utf-8")).digest()


def _hash_parts(key: str, values: list, missing: object) -> list:
    """``key=value`` texts of one column (None where the row lacks the key)."""
    prefix = key + "="
    types = set(map(type, values))
    if types == {str}:
        return list(map(prefix.__add__, values))
    if types <= {int, float}:
        return list(map(prefix.__add__, map(str, values)))
    return [None if v is missing else prefix + hash_text(v) for v in values]


def row_hashes(columns: Mapping[str, list], n: int, missing: object,
               identity_column: str | None = None) -> list[bytes]:
    """RowHash for ``n`` rows given column-wise; ``missing`` marks a key absent from a row.

    Works a column at a time so the per-row Python is one format (or join) and one digest.
    """
    excluded = HASH_EXCLUDED | {identity_column}
    keys = [key for key in sorted(columns) if key not in excluded]
    sha = hashlib.sha256
    if not keys:
        return [sha(b"").digest()] * n
    spelled = [_hash_values(columns[key], missing) for key in keys]
    if spelled.count(None):  # some row lacks a key: that pair is left out of its text
        parts = [_hash_parts(key, columns[key], missing) for key in keys]
        texts = ("|".join([p for p in t if p is not None]) for t in zip(*parts, strict=True))
    else:
        # One template per file: "a={}|b={}" formats a str, int or float as str() does.
        template = "|".join(key.replace("{", "{{").replace("}", "}}") + "={}" for key in keys)
        texts = map(template.format, *spelled)
    return [sha(t.encode("utf-8")).digest() for t in texts]


def _hash_values(values: list, missing: object) -> list | None:
    """One column as values whose ``format`` is their RowHash spelling; None if a key is absent."""
    types = set(map(type, values))
    if types <= {str, int, float}:
        return values
    if missing in values:
        return None
    return list(map(hash_text, values))
