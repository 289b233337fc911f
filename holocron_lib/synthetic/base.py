"""Shared building blocks of the generator: seeded randomness, ids, timestamps, table records."""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from json.encoder import c_make_encoder, encode_basestring_ascii

SEED_NOTES = "Synthetic seed data"
SOURCE_SYSTEM = "seed_loader"

_SYLLABLES = (
    "ka ren dor val mir tho sa lek ar vo ne bri cor dan eth fal gar hal jin kor lun mal nor "
    "os pra quin ros syl tan ul vex wen yar zor bel cas dra fen kes lor mav nix ori pel ruk "
    "sek tor vin zan ash bre cal dov em fir gol hes ilo jat kal lim mon"
).split()


def _unserializable(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# The C encoder ``json.dumps(value)`` builds on every call with its default arguments, once.
_JSON = c_make_encoder({}, _unserializable, encode_basestring_ascii, None, ": ", ", ", False,
                       False, True)


def jdumps(value) -> str:
    """The text of ``json.dumps(value)`` (default arguments), without its per-call set-up."""
    return "".join(_JSON(value, 0))


def roman(n: int) -> str:
    """Roman numeral for small positive numbers (variant names: 'Keth III')."""
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


_CUMULATIVE: dict[tuple, tuple[list, list]] = {}
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


class Rand(random.Random):
    """A ``random.Random`` with the helpers the generators share."""

    def __init__(self, seed: int, section: str):
        # A string seed is hashed deterministically (SHA-512), so each section's stream is
        # independent of how many numbers the other sections draw.
        super().__init__(f"holocron:{seed}:{section}")

    def guid(self) -> str:
        """A random (version 4) UUID in lowercase 8-4-4-4-12 form."""
        n = (self.getrandbits(128) & _UUID_CLEAR) | _UUID_SET
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def hex64(self) -> str:
        return f"{self.getrandbits(256):064x}"

    def score(self, low: float, high: float, places: int = 2) -> float:
        return round(self.uniform(low, high), places)

    def word(self, syllables: int = 2) -> str:
        return "".join(self.choice(_SYLLABLES) for _ in range(syllables)).capitalize()

    def weighted(self, weights: dict):
        """One key of ``weights`` drawn with probability proportional to its value."""
        key = tuple(weights.items())
        table = _CUMULATIVE.get(key)
        if table is None:
            table = _CUMULATIVE[key] = (list(weights), list(accumulate(weights.values())))
        keys, cumulative = table
        return keys[bisect(cumulative, self.random() * cumulative[-1])]


def quota(weights: dict, total: int, rng: random.Random | None = None) -> list:
    """A list of ``total`` labels whose counts follow ``weights`` (largest remainder), shuffled."""
    whole = sum(weights.values())
    counts = {k: int(total * w / whole) for k, w in weights.items()}
    rest = sorted(weights, key=lambda k: (-(total * weights[k] / whole - counts[k]), str(k)))
    for k in rest[: total - sum(counts.values())]:
        counts[k] += 1
    out = [k for k, n in counts.items() for _ in range(n)]
    if rng is not None:
        rng.shuffle(out)
    return out


class UniqueNames:
    """Hands out names, adding a numbered variant when a name is already taken."""

    def __init__(self):
        self.taken: set[str] = set()

    def take(self, name: str) -> str:
        candidate, n = name, 1
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{name} {roman(n) if n < 40 else n}"
        self.taken.add(candidate.lower())
        return candidate


def iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def iso_ms(value: datetime) -> str:
    """ISO 8601 with milliseconds, for timestamps that must order within one second."""
    return value.isoformat(timespec="milliseconds")


@dataclass
class SeedTable:
    """One seed file's worth of rows for one table, in identity order."""

    schema: str
    table: str
    natural_key: list[str]
    rows: list[dict] = field(default_factory=list)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.table}"

    def add(self, row: dict) -> int:
        """Appends a row and returns its identity key (1-based row number)."""
        self.rows.append(row)
        return len(self.rows)


def dim_row(guid_column: str, guid: str, file_name: str, notes: str = SEED_NOTES, **values) -> dict:
    """A dbo row: GUID first, business columns, then the provenance columns every seed row has."""
    row = {guid_column: guid}
    row.update(values)
    row.setdefault("Notes", notes)
    row["SourceSystem"] = SOURCE_SYSTEM
    row["SourceRef"] = file_name
    return row


FILE_ORDER = (
    # The real loader's fixed order first (its 24 files), then our further dbo tables, then
    # the other schemas; files for tables outside the fixed list load in name order.
    "dbo.DimFranchise dbo.DimIssueType dbo.DimContinuityFrame dbo.DimEra dbo.DimWork "
    "dbo.DimEventType dbo.DimEntity dbo.DimTechAsset dbo.DimScene dbo.DimSpecies dbo.DimLocation "
    "dbo.DimDroidModel dbo.DimShipModel dbo.DimWeaponModel dbo.DimOrganization dbo.DimCharacter "
    "dbo.DimTechInstance dbo.DimDroidInstance dbo.FactEvent dbo.ContinuityIssue dbo.FactClaim "
    "dbo.BridgeEventParticipant dbo.BridgeEventAsset dbo.BridgeContinuityIssueClaim "
    "dbo.DimAppearanceLook dbo.DimTag dbo.BridgeTagAssignment dbo.BridgeTagRelation "
    "dbo.BridgeEntityRelation "
    "ingest.ingest_runs ingest.work_items ingest.IngestRecords ingest.seen_resources "
    "ingest.worker_heartbeats ingest.run_metrics "
    "sem.SourcePage sem.PageSignals sem.PageClassification "
    "llm.evidence_bundle llm.job llm.run llm.artifact llm.run_evidence llm.evidence_item "
    "vector.embedding_space vector.source_registry vector.chunk vector.job vector.run "
    "vector.embedding vector.retrieval vector.retrieval_hit"
).split()


def file_name(qualified: str) -> str:
    """`NNN_<Table>.json` for dbo, `NNN_<schema>.<Table>.json` for the other schemas."""
    number = FILE_ORDER.index(qualified) + 1
    schema, table = qualified.split(".", 1)
    return f"{number:03d}_{table}.json" if schema == "dbo" else f"{number:03d}_{qualified}.json"
