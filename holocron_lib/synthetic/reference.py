"""The fixed reference dimensions (franchise, frames, eras, issue and event types) and the works."""

from __future__ import annotations

from dataclasses import dataclass

from holocron_lib.synthetic import facts as catalog
from holocron_lib.synthetic.base import Rand, SeedTable, dim_row, file_name, jdumps

FRANCHISE = 1
CANON, LEGENDS, MERCH = 1, 2, 3


@dataclass(frozen=True)
class Work:
    key: int
    code: str
    title: str
    work_type: str
    frame: int
    era_code: str | None
    year: int | None  # in-universe year the work is set in, when known


def _table(name: str, natural_key: list[str]) -> SeedTable:
    schema, table = name.split(".")
    return SeedTable(schema, table, natural_key)


def build_reference(rng: Rand) -> dict[str, SeedTable]:
    """DimFranchise, DimIssueType, DimContinuityFrame, DimEra and DimEventType (scale-free)."""
    out = {}
    t = out["dbo.DimFranchise"] = _table("dbo.DimFranchise", ["UniverseCode"])
    t.add(dim_row("FranchiseGuid", rng.guid(), file_name(t.qualified), Name="Star Wars",
                  UniverseCode="SW", FranchiseGroup="Lucasfilm", OwnerOrRightsHolder="Disney",
                  DefaultContinuityFrame="Canon"))
    t = out["dbo.DimIssueType"] = _table("dbo.DimIssueType", ["IssueTypeCode"])
    for code, name, description in catalog.ISSUE_TYPES:
        t.add(dim_row("IssueTypeGuid", rng.guid(), file_name(t.qualified), IssueTypeName=name,
                      IssueTypeCode=code, Description=description))
    t = out["dbo.DimContinuityFrame"] = _table("dbo.DimContinuityFrame",
                                               ["FranchiseKey", "FrameCode"])
    for name, code, authority, ref, start, policy in catalog.FRAMES:
        t.add(dim_row("ContinuityFrameGuid", rng.guid(), file_name(t.qualified),
                      FranchiseKey=FRANCHISE, FrameName=name, FrameCode=code,
                      AuthorityType=authority, AuthorityRef=ref, PolicySummary=policy,
                      EffectiveStartDate=start,
                      AttributesJson=jdumps({"catalogDomain": name.lower()})))
    t = out["dbo.DimEra"] = _table("dbo.DimEra", ["FranchiseKey", "EraCode"])
    for code, name, year, label in catalog.ERAS:
        t.add(dim_row("EraGuid", rng.guid(), file_name(t.qualified), FranchiseKey=FRANCHISE,
                      EraName=name, EraCode=code, AnchorYear=year, CalendarModel="BBY/ABY",
                      AnchorEventLabel=label))
    t = out["dbo.DimEventType"] = _table("dbo.DimEventType", ["FranchiseKey", "EventTypeCode"])
    polarity = {"N": "Neutral", "-": "Negative", "+": "Positive"}
    for code, verb_class, lemma, sign in catalog.EVENT_TYPES:
        t.add(dim_row("EventTypeGuid", rng.guid(), file_name(t.qualified), FranchiseKey=FRANCHISE,
                      ParentEventTypeKey=None, EventTypeName=code.replace("_", " ").title(),
                      EventTypeCode=code, VerbClass=verb_class, VerbLemma=lemma,
                      PolarityDefault=polarity[sign], GranularityGuidance="Beat",
                      IsLeafType=True))
    return out


ERA_KEYS = {code: n for n, (code, *_rest) in enumerate(catalog.ERAS, start=1)}

_BOOK_PATTERNS = ("Shadows of {w}", "The {w} Gambit", "{w} Rising", "Siege of {w}",
                  "The Last of {w}", "Heir of {w}", "Echoes of {w}", "The {w} Run")


def build_works(rng: Rand, scale: int) -> tuple[SeedTable, list[Work]]:
    """DimWork: the 186-work layout of the real set, plus generated works for each extra scale."""
    table = _table("dbo.DimWork", ["FranchiseKey", "WorkCode"])
    works: list[Work] = []
    fname = file_name(table.qualified)

    def add(work_type, code, title, frame, *, release, precision="Year", sort=None, edition=None,
            runtime=None, era=None, year=None, synopsis, medium):
        attributes = {"canonStatus": {CANON: "canon", LEGENDS: "legends", MERCH: "merch"}[frame],
                      "medium": medium, "catalogDomain": work_type.lower()}
        key = table.add(dim_row(
            "WorkGuid", rng.guid(), fname, FranchiseKey=FRANCHISE, WorkType=work_type,
            Title=title, TitleSort=sort or title, EditionOrCut=edition, WorkCode=code,
            ReleaseDate=release, ReleaseDatePrecision=precision, ReleaseRegion="US",
            RuntimeRef=f"{runtime} min" if runtime else None, SynopsisShort=synopsis,
            AttributesJson=jdumps(attributes)))
        works.append(Work(key, code, title, work_type, frame, era, year))

    for code, title, sort, release, runtime, edition, era, year in catalog.FILMS:
        add("Film", code, title, CANON, release=release, precision="Day", sort=sort,
            edition=edition, runtime=runtime, era=era, year=year, medium="live-action film",
            synopsis=f"Feature film released in {release[:4]}.")
    for block in range(scale):
        suffix = "" if block == 0 else f" (Cycle {block + 1})"
        for i, (code, title, release, edition) in enumerate(catalog.SERIES):
            exact = block == 0 and len(release) == 10
            add("Series", code if block == 0 else f"TV-GEN-{block:02d}{i + 1:03d}",
                title + suffix, LEGENDS if "LEG" in code else CANON,
                release=release if exact else f"{int(release[:4]) + block}-01-01",
                precision="Day" if exact else "Year", edition=edition if block == 0 else None,
                synopsis="Television series.", medium="series")
        for i in range(60):
            if block == 0 and i < len(catalog.BOOKS):
                title, year, frame = catalog.BOOKS[i]
            else:
                title = rng.choice(_BOOK_PATTERNS).format(w=rng.word(2))
                year, frame = rng.randint(1991, 2025), rng.choice((CANON, LEGENDS))
            label = "CAN" if frame == CANON else "LEG"
            add("Book", f"BK-{label}-{block * 60 + i + 1:04d}", title, frame,
                release=f"{year}-01-01", synopsis="Novel.", medium="novel")
        for i in range(50):
            series = catalog.COMIC_SERIES[i % len(catalog.COMIC_SERIES)]
            issue = i // len(catalog.COMIC_SERIES) + 1 + block * 10
            add("Comic", f"CM-{block * 50 + i + 1:04d}", f"{series} #{issue}", CANON,
                release=f"{2015 + (i + block) % 10}-01-01", synopsis="Comic issue.",
                medium="comic")
        toys = [(f"TOY{block * 30 + i + 1:04d}",
                 f"{catalog.TOYLINES[i % len(catalog.TOYLINES)]} wave {i // 6 + 1 + block * 5}")
                for i in range(30)]
        for code, title in toys[:12]:
            add("Toyline", code, title, MERCH, release=f"{1978 + int(code[3:]) % 45}-01-01",
                synopsis="Toy line wave.", medium="toy")
        for i, (code, title, year, frame) in enumerate(catalog.GAMES):
            add("Game", code if block == 0 else f"GM-GEN-{block:02d}{i + 1:03d}", title + suffix,
                frame, release=f"{year}-01-01", era="REBELLION" if frame == LEGENDS else None,
                synopsis="Video game.", medium="game")
        for code, title in toys[12:]:
            add("Toyline", code, title, MERCH, release=f"{1978 + int(code[3:]) % 45}-01-01",
                synopsis="Toy line wave.", medium="toy")
    return table, works
