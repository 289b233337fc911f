"""The identity hub (DimEntity) and its subtypes: characters, species, places, groups and machines."""

from __future__ import annotations

from dataclasses import dataclass, field

from holocron_lib.synthetic import facts as catalog
from holocron_lib.synthetic.base import Rand, SeedTable, UniqueNames, dim_row, file_name, quota
from holocron_lib.synthetic.reference import FRANCHISE

DF_NOTES = "Synthetic seed data - Dark Forces"
DF_ATTRIBUTES = {"batchName": "dark-forces-deep-dive-20260117", "sourceWork": "Dark Forces",
                 "toolName": "CodexCLI"}


@dataclass
class Cast:
    """Keys of everything generated here, for the facts, pages and pipeline to refer to."""

    entities: list[dict] = field(default_factory=list)  # the DimEntity rows, key = index + 1
    by_type: dict[str, list[int]] = field(default_factory=dict)
    character_of_entity: dict[int, int] = field(default_factory=dict)
    characters_a: list[int] = field(default_factory=list)  # entity keys, saga block
    characters_b: list[int] = field(default_factory=list)  # entity keys, Dark Forces block
    locations: list[tuple[int, int, str]] = field(default_factory=list)  # key, entity, type
    organizations: list[int] = field(default_factory=list)  # entity keys
    instances: list[tuple[int, int, str]] = field(default_factory=list)  # key, entity, asset type

    def entity(self, key: int) -> dict:
        return self.entities[key - 1]


def _sort_name(name: str, entity_type: str) -> str:
    parts = name.split()
    if entity_type == "Character" and len(parts) == 2 and parts[0][0].isupper():
        return f"{parts[1]}, {parts[0]}"
    return name


class _Builder:
    def __init__(self, rng: Rand, scale: int):
        self.rng, self.scale = rng, scale
        self.names = {t: UniqueNames() for t in catalog.PAGE_TYPES_BY_ENTITY}
        self.t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
            ("dbo.DimEntity", ["FranchiseKey", "DisplayName", "EntityType"]),
            ("dbo.DimSpecies", ["EntityKey"]), ("dbo.DimCharacter", ["EntityKey"]),
            ("dbo.DimLocation", ["EntityKey"]), ("dbo.DimOrganization", ["EntityKey"]),
            ("dbo.DimTechAsset", ["FranchiseKey", "ModelName"]),
            ("dbo.DimTechInstance", ["EntityKey"]), ("dbo.DimDroidModel", ["TechAssetKey"]),
            ("dbo.DimDroidInstance", ["TechInstanceKey"]), ("dbo.DimShipModel", ["TechAssetKey"]),
            ("dbo.DimWeaponModel", ["TechAssetKey"]))}
        self.cast = Cast()
        # named places are used once across both location blocks
        self.fixed_places = {"Planet": list(catalog.PLANETS), "Moon": list(catalog.MOONS),
                             "City": list(catalog.CITIES), "Station": list(catalog.STATIONS),
                             "Base": list(catalog.BASES)}
        self.species_key: dict[str, int] = {}

    def row(self, table: str, guid_column: str, **values) -> int:
        t = self.t[table]
        return t.add(dim_row(guid_column, self.rng.guid(), file_name(t.qualified), **values))

    def entity(self, entity_type: str, name: str, summary: str, *, alias=None, batch=False,
               canonical=None) -> int:
        name = self.names[entity_type].take(name)
        extra = {"AttributesJson": dict(DF_ATTRIBUTES, entityGroup=entity_type)} if batch else {}
        key = self.row(
            "dbo.DimEntity", "EntityGuid", FranchiseKey=FRANCHISE, EntityType=entity_type,
            DisplayName=name, DisplayNameNormalized=name.lower(),
            SortName=_sort_name(name, entity_type), AliasCsv=alias, SummaryShort=summary,
            IsCanonical=canonical if canonical is not None else self.rng.random() < 0.32,
            Notes=DF_NOTES if batch else "Synthetic seed data", PromotionState="promoted",
            **extra)
        self.cast.entities.append(self.t["dbo.DimEntity"].rows[-1])
        self.cast.by_type.setdefault(entity_type, []).append(key)
        return key

    # -- characters and droids -----------------------------------------------------------
    def characters(self, named, count: int, batch: bool) -> list[int]:
        keys = []
        rng = self.rng
        for i in range(count):
            if i < len(named):
                name, gender, species, home, archetype, birth, height, eyes, hair, _ = named[i]
            else:
                kind, archetype, species = rng.choice(catalog.RANK_AND_FILE)
                species = species or rng.choice(catalog.SPECIES_SENTIENT[:30])
                name = (f"{kind}{rng.randint(1000, 9999)}" if kind.endswith("-")
                        else f"{kind} {rng.word(2)}")
                gender = birth = height = eyes = hair = None
                home = catalog.HOMEWORLDS.get(species)
            summary = f"{archetype} character" + (f" from {home}." if home else ".")
            key = self.entity("Character", name, summary, batch=batch,
                              canonical=i < len(named) and not batch)
            self.cast.character_of_entity[key] = self.row(
                "dbo.DimCharacter", "CharacterGuid", EntityKey=key,
                SpeciesKey=self.species_key.get(species), Gender=gender, BirthRef=birth,
                BirthPlaceRef=home, HomeworldRef=home, SpeciesNameRef=species,
                HeightRef=f"{height} cm" if height else None, EyeColor=eyes, HairColor=hair,
                RoleArchetype=archetype, Notes=DF_NOTES if batch else "Synthetic seed data",
                AttributesJson={"alignmentRef": "Dark" if archetype in (
                    "Villain", "Fallen", "Assassin") else "Neutral"} if batch else None)
            keys.append(key)
        return keys

    def droids(self, count: int) -> None:
        for i in range(count):
            if i < len(catalog.DROIDS):
                name, alias, role = catalog.DROIDS[i]
            else:
                name = f"{self.rng.choice('RBKCI')}{self.rng.randint(2, 9)}-{self.rng.choice('DQTKP')}"
                name += str(self.rng.randint(1, 99))
                alias, role = None, self.rng.choice(("Astromech", "Protocol", "Utility"))
            self.entity("Droid", name, f"{role} droid.", alias=alias, canonical=i < 8)

    # -- species --------------------------------------------------------------------------
    def species(self, plan: list[tuple[str, str]]) -> None:
        for i, (category, name) in enumerate(plan):
            home = catalog.HOMEWORLDS.get(name)
            key = self.entity("Species", name, f"{category} species" + (
                f" native to {home}." if home else "."), canonical=i < 100)
            self.row("dbo.DimSpecies", "SpeciesGuid", EntityKey=key, Category=category,
                     HomeworldRef=home,
                     TypicalLifespanRef=f"{self.rng.choice((60, 80, 100, 200, 400))} years",
                     AverageHeightRef=f"{self.rng.randint(50, 250)} cm",
                     LanguageRef="Galactic Basic" if category == "Sentient" else None,
                     DietRef=self.rng.weighted({"Omnivore": 41, "Carnivore": 31,
                                                "Herbivore": 28}))

    # -- locations ------------------------------------------------------------------------
    def locations(self, count: int, batch: bool) -> None:
        rng = self.rng
        weights = {"Facility": 60, "Ship": 35, "Planet": 31, "Station": 30, "Site": 23,
                   "Moon": 21, "City": 11, "Base": 8, "Region": 1}
        planets = [loc for loc in self.cast.locations if loc[2] == "Planet"]
        fixed = self.fixed_places
        for location_type in quota(weights, count, rng):
            parent = None
            climate = terrain = None
            region = rng.weighted({"UNKNOWN": 140, "OUTER_RIM": 31, "MID_RIM": 24, "CORE": 22})
            pool = fixed.get(location_type)
            if location_type == "Planet":
                name, region, climate, terrain = pool.pop(0) if pool else (
                    rng.word(2), region, rng.choice(("Arid", "Temperate", "Frozen", "Tropical")),
                    rng.choice(("Desert", "Forest", "Ocean", "Mountains")))
            elif location_type == "Region":
                name = "Unknown Regions"
            elif location_type == "Ship":
                name = (f"{rng.choice(catalog.NAMED_SHIPS)} "
                        f"{rng.choice(catalog.SHIP_PLACE_WORDS)}")
                region = "MOBILE" if rng.random() < 0.1 else "UNKNOWN"
            elif pool:
                name = pool.pop(0)
            else:
                anchor = rng.choice(planets) if planets else None
                place = self.cast.entity(anchor[1])["DisplayName"] if anchor else rng.word(2)
                words = {"Facility": catalog.FACILITY_WORDS, "Site": catalog.SITE_WORDS,
                         "Moon": ("Minor", "Prime", "Outer moon"), "Station": ("Station",),
                         "City": ("City",), "Base": ("Outpost",)}[location_type]
                name = f"{place} {rng.choice(words)}"
                if anchor and location_type in ("Facility", "Site", "City", "Base") and (
                        rng.random() < 0.35):
                    parent = anchor[0]
            summary = f"{location_type} in the {region.replace('_', ' ').lower()} region."
            key = self.entity("Location", name, summary, batch=batch)
            location_key = self.row(
                "dbo.DimLocation", "LocationGuid", EntityKey=key, ParentLocationKey=parent,
                LocationType=location_type, RegionCode=region, ClimateRef=climate,
                TerrainRef=terrain, Notes=DF_NOTES if batch else "Synthetic seed data")
            self.cast.locations.append((location_key, key, location_type))
            if location_type == "Planet":
                planets.append((location_key, key, location_type))

    # -- organizations --------------------------------------------------------------------
    def organizations(self, count: int, batch: bool) -> None:
        rng = self.rng
        for _ in range(count):
            offset = len(self.cast.organizations)
            if offset < len(catalog.ORGANIZATIONS):
                name, org_type, scope, alignment, founded, dissolved = \
                    catalog.ORGANIZATIONS[offset]
            else:
                name = f"{rng.word(2)} {rng.choice(catalog.ORG_SUFFIXES)}"
                org_type = rng.weighted({"Military": 18, "Political": 14, "Commercial": 9,
                                         "Criminal": 8})
                scope = rng.weighted({"Galactic": 8, "Planetary": 11, "Regional": 9, "Local": 7,
                                      "Sector": 3, "Unit": 2})
                alignment = rng.weighted({"Light": 21, "Dark": 18, "Neutral": 15})
                founded = dissolved = None
            key = self.entity("Organization", name, f"{scope} {org_type.lower()} organization.",
                              batch=batch, canonical=offset < len(catalog.ORGANIZATIONS))
            self.row("dbo.DimOrganization", "OrganizationGuid", EntityKey=key, OrgType=org_type,
                     Scope=scope, AlignmentRef=alignment, FoundedRef=founded,
                     DissolvedRef=dissolved, Notes=DF_NOTES if batch else "Synthetic seed data")
            self.cast.organizations.append(key)

    # -- machines -------------------------------------------------------------------------
    def tech_assets(self, count: int) -> list[tuple[int, str, str]]:
        rng = self.rng
        names = UniqueNames()
        weights = {"Weapon": 27, "Droid": 20, "SecuritySystem": 20, "Ship": 10, "Explosive": 10,
                   "Armor": 10, "AccessDevice": 10, "DataDevice": 10, "Starship": 6, "Vehicle": 4}
        named = {t: [m for m in catalog.TECH_MODELS if m[0] == t] for t in weights}
        assets = []
        for asset_type in quota(weights, count):
            if named[asset_type]:
                _, model, maker, detail = named[asset_type].pop(0)
            else:
                nouns, makers = catalog.GENERIC_ASSETS[asset_type]
                maker = rng.choice(makers)
                model = (f"{maker.split()[0]} {rng.choice(nouns)} "
                         f"{rng.choice('ABCDKLMRTVX')}-{rng.randint(1, 99)}")
                detail = None
            model = names.take(model)
            key = self.row(
                "dbo.DimTechAsset", "TechAssetGuid", FranchiseKey=FRANCHISE, AssetType=asset_type,
                ModelName=model, ModelNameNormalized=model.lower(), ManufacturerRef=maker,
                EraRef=rng.weighted({"Reign of the Empire": 99, "Pre-Clone Wars": 10,
                                     "Imperial Era": 8, "Clone Wars": 7, "Ancient": 3}),
                TechLevelRef="Advanced" if rng.random() < 0.81 else "Standard")
            self.models(key, asset_type, detail)
            assets.append((key, asset_type, model))
        return assets

    def models(self, key: int, asset_type: str, detail: str | None) -> None:
        rng = self.rng
        if asset_type == "Droid":
            self.row("dbo.DimDroidModel", "DroidModelGuid", TechAssetKey=key,
                     DroidClass=detail or "Utility", PrimaryFunction=f"{detail or 'Utility'} work",
                     AutonomyLevel=rng.weighted({"High": 10, "Full": 7, "Limited": 2,
                                                 "Partial": 1}),
                     MobilityRef=rng.choice(("Wheeled", "Bipedal", "Repulsor", None)))
        elif asset_type in ("Ship", "Starship"):
            self.row("dbo.DimShipModel", "ShipModelGuid", TechAssetKey=key,
                     ShipClass=detail or "Military",
                     PropulsionType=rng.weighted({"Sublight+Hyperdrive": 8, "Ion": 6,
                                                  "Sublight": 2}),
                     HyperdriveClassRef=rng.choice(("Class 1", "Class 2", "Class 0.5", None)),
                     CrewCapacityRef=str(rng.choice((1, 2, 4, 30, 9000))))
        elif asset_type == "Weapon":
            self.row("dbo.DimWeaponModel", "WeaponModelGuid", TechAssetKey=key,
                     WeaponClass=detail or "Ranged",
                     EnergyType=rng.weighted({"Blaster": 23, "Plasma": 2, "Proton": 1,
                                              "Concussive": 1}),
                     EffectiveRangeRef=rng.choice(("50 m", "300 m", "1 km", None)))

    def instances(self, assets, count: int, batch: bool) -> None:
        rng = self.rng
        ships = list(catalog.NAMED_SHIPS)
        droid_budget = 28 * self.scale
        for _ in range(count):
            asset_key, asset_type, model = rng.choice(assets)
            if asset_type in ("Ship", "Starship") and ships:
                name = ships.pop(0)
            else:
                name = f"{model} #{rng.randint(100, 9999)}"
            key = self.entity("TechInstance", name, f"A {model}.", batch=batch)
            instance = self.row(
                "dbo.DimTechInstance", "TechInstanceGuid", EntityKey=key, TechAssetKey=asset_key,
                InstanceName=self.cast.entity(key)["DisplayName"],
                CurrentStatus=rng.weighted({"Active": 171, "Destroyed": 41, "Inactive": 35,
                                            "Unknown": 32, "Captured": 1}),
                Notes=DF_NOTES if batch else "Synthetic seed data")
            self.cast.instances.append((instance, key, asset_type))
            if asset_type == "Droid" and len(self.t["dbo.DimDroidInstance"].rows) < droid_budget:
                self.row("dbo.DimDroidInstance", "DroidInstanceGuid", TechInstanceKey=instance,
                         PersonalityName=rng.word(2), RestrainingBoltFlag=rng.random() < 0.2,
                         MemoryWipeRef=rng.choice(("Never", "Routine", None)),
                         PrimaryLanguageRef="Binary" if rng.random() < 0.5 else "Galactic Basic")


def build_entities(rng: Rand, scale: int) -> tuple[dict[str, SeedTable], Cast]:
    """All entity-hub tables; the key blocks follow the real set's layout, each grown ×scale."""
    b = _Builder(rng, scale)
    # Characters come first in key order but point at species rows, whose keys are their
    # positions in the species plan, so the plan is fixed before any character is made.
    plan = _species_plan(rng, 100 * scale)
    b.species_key = {name: key for key, (_, name) in enumerate(plan, start=1)}
    b.cast.characters_a = b.characters(catalog.SAGA_CHARACTERS, 42 * scale, False)
    b.droids(8 * scale)
    b.species(plan)
    b.locations(100 * scale, False)
    b.organizations(50 * scale, False)
    assets = b.tech_assets(127 * scale)
    b.instances(assets, 150 * scale, False)
    b.cast.characters_b = b.characters(catalog.DF_CHARACTERS, 120 * scale, True)
    b.organizations(5 * scale, True)
    b.locations(120 * scale, True)
    b.instances(assets, 130 * scale, True)
    return b.t, b.cast


def _species_plan(rng: Rand, count: int) -> list[tuple[str, str]]:
    """(category, name) per DimSpecies row: the catalog first, then invented names."""
    used = {"Sentient": 0, "Non-Sentient": 0}
    pools = {"Sentient": catalog.SPECIES_SENTIENT[:73],
             "Non-Sentient": catalog.SPECIES_CREATURES[:27]}
    names = UniqueNames()
    plan = []
    for category in quota({"Sentient": 73, "Non-Sentient": 27}, count):
        pool = pools[category]
        name = pool[used[category]] if used[category] < len(pool) else rng.word(3)
        used[category] += 1
        plan.append((category, names.take(name)))
    return plan


