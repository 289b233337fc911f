"""Fixed reference facts the generator draws on: works, eras, event types, names of things."""

from __future__ import annotations

ERAS = (  # code, name, anchor year, anchor label
    ("DAWN", "Dawn of the Jedi", -25000, "Founding of the Je'daii order"),
    ("OLD_REPUBLIC", "Old Republic", -5000, "Founding of the Republic"),
    ("HIGH_REPUBLIC", "High Republic", -500, "Height of the Republic"),
    ("FALL_JEDI", "Fall of the Jedi", -32, "Invasion of Naboo"),
    ("EMPIRE", "Reign of the Empire", 0, "Declaration of the Empire"),
    ("BBY-ABY", "BBY/ABY Epoch", 0, "Battle of Yavin"),
    ("REBELLION", "Age of Rebellion", 0, "Battle of Yavin"),
    ("NEW_REPUBLIC", "New Republic", 5, "Galactic Concordance"),
    ("FIRST_ORDER", "Rise of the First Order", 28, "Fall of the Hosnian system"),
)

ISSUE_TYPES = (
    ("TIMELINE", "Timeline conflict", "Two sources place the same happening at different times."),
    ("VISUAL", "Visual inconsistency", "A prop, costume or set looks different between sources."),
    ("TECH", "Technology discrepancy", "A machine behaves or is specified differently."),
    ("CHAR_BIO", "Character biography", "Birth, death or family facts disagree."),
    ("LOCATION", "Location conflict", "A place is named or situated differently."),
    ("DIALOGUE", "Dialogue variation", "A line differs between cuts or editions."),
    ("POWER_LEVEL", "Power level", "An ability is stronger or weaker than elsewhere."),
    ("DEATH_RETCON", "Death retcon", "A character's death was later reversed or reframed."),
    ("ORG_STRUCTURE", "Organization structure", "Ranks or membership of a group disagree."),
    ("SHIP_SPEC", "Ship specification", "Speed, size or armament of a ship disagrees."),
)

FRAMES = (  # name, code, authority type, authority ref, start date, policy
    ("Canon", "CANON", "Official", "Lucasfilm Story Group", "2014-04-25",
     "Works published as canon from April 2014 onward."),
    ("Legends", "LEGENDS", "Historical", "Expanded Universe", "1991-01-01",
     "Earlier expanded-universe works, kept as a separate continuity."),
    ("Merch", "MERCH", "Catalog", "Licensed product catalogs", "1977-05-25",
     "Toys and merchandise; descriptive, not narrative."),
)

# code, title, sort title, release date, runtime minutes, edition, canon era code, year
FILMS = (
    ("TPM", "The Phantom Menace", "Phantom Menace, The", "1999-05-19", 136, "Theatrical",
     "FALL_JEDI", -32),
    ("AOTC", "Attack of the Clones", None, "2002-05-16", 142, "Theatrical", "FALL_JEDI", -22),
    ("ROTS", "Revenge of the Sith", None, "2005-05-19", 140, "Theatrical", "FALL_JEDI", -19),
    ("ANH", "A New Hope", "New Hope, A", "1977-05-25", 121, "Special Edition", "REBELLION", 0),
    ("ESB", "The Empire Strikes Back", "Empire Strikes Back, The", "1980-05-21", 124,
     "Special Edition", "REBELLION", 3),
    ("ROTJ", "Return of the Jedi", None, "1983-05-25", 131, "Special Edition", "REBELLION", 4),
    ("TFA", "The Force Awakens", "Force Awakens, The", "2015-12-18", 138, "Theatrical",
     "FIRST_ORDER", 34),
    ("TLJ", "The Last Jedi", "Last Jedi, The", "2017-12-15", 152, "Theatrical", "FIRST_ORDER", 34),
    ("TROS", "The Rise of Skywalker", "Rise of Skywalker, The", "2019-12-20", 142, "Theatrical",
     "FIRST_ORDER", 35),
    ("R1", "Rogue One", None, "2016-12-16", 133, "Theatrical", "EMPIRE", 0),
    ("SOLO", "Solo", None, "2018-05-25", 135, "Theatrical", "EMPIRE", -10),
)

SERIES = (  # code, title, release date or year, edition
    ("MANDO", "The Mandalorian", "2019-11-12", "S01"), ("TCW", "The Clone Wars", "2008-10-03",
                                                         "Complete"),
    ("REBELS", "Rebels", "2014-10-03", "Complete"), ("ANDOR", "Andor", "2022-09-21", "S01"),
    ("TV-CAN-001", "The Book of Boba Fett", "2021", None),
    ("TV-CAN-002", "Obi-Wan Kenobi", "2022", None), ("TV-CAN-003", "Ahsoka", "2023", None),
    ("TV-CAN-004", "The Bad Batch", "2021", None), ("TV-CAN-005", "Resistance", "2018", None),
    ("TV-CAN-006", "Visions", "2021", None), ("TV-CAN-007", "Tales of the Jedi", "2022", None),
    ("TV-CAN-008", "The Acolyte", "2024", None), ("TV-CAN-009", "Skeleton Crew", "2024", None),
    ("TV-LEG-001", "Droids", "1985", None), ("TV-LEG-002", "Ewoks", "1985", None),
)

BOOKS = (  # title, year, frame
    ("Heir to the Empire", 1991, 2), ("Dark Force Rising", 1992, 2), ("The Last Command", 1993, 2),
    ("Shadows of the Empire", 1996, 2), ("Darth Plagueis", 2012, 2), ("Kenobi", 2013, 2),
    ("Revan", 2011, 2), ("I, Jedi", 1998, 2), ("Rogue Squadron", 1996, 2),
    ("The Courtship of Princess Leia", 1994, 2), ("Tarkin", 2014, 1), ("Lords of the Sith", 2015, 1),
    ("Lost Stars", 2015, 1), ("Aftermath", 2015, 1), ("Bloodline", 2016, 1), ("Catalyst", 2016, 1),
    ("Thrawn", 2017, 1), ("Dark Disciple", 2015, 1), ("Ahsoka", 2016, 1), ("Battlefront", 2015, 1),
)
COMIC_SERIES = ("Star Wars", "Darth Vader", "Doctor Aphra", "Poe Dameron", "Kanan")
TOYLINES = ("Kenner Collection", "Power of the Force", "The Vintage Collection",
            "The Black Series", "Saga Collection", "Micro Machines")
GAMES = (  # code, title, year, frame
    ("GM-LEG-001", "X-Wing", 1993, 2), ("GM-LEG-002", "Rebel Assault", 1993, 2),
    ("GM-LEG-003", "TIE Fighter", 1994, 2), ("GM-LEG-004", "Shadows of the Empire", 1996, 2),
    ("GM-LEG-005", "Rogue Squadron", 1998, 2), ("GM-LEG-006", "Dark Forces", 1995, 2),
    ("GM-LEG-007", "Jedi Knight", 1997, 2), ("GM-LEG-008", "Knights of the Old Republic", 2003, 2),
    ("GM-LEG-009", "Jedi Outcast", 2002, 2), ("GM-LEG-010", "Jedi Academy", 2003, 2),
    ("GM-LEG-011", "Republic Commando", 2005, 2), ("GM-LEG-012", "Empire at War", 2006, 2),
    ("GM-LEG-013", "The Force Unleashed", 2008, 2), ("GM-LEG-014", "Bounty Hunter", 2002, 2),
    ("GM-CAN-001", "Battlefront II", 2017, 1), ("GM-CAN-002", "Jedi: Fallen Order", 2019, 1),
    ("GM-CAN-003", "Squadrons", 2020, 1), ("GM-CAN-004", "Jedi: Survivor", 2023, 1),
    ("GM-CAN-005", "Outlaws", 2024, 1), ("GM-CAN-006", "Battlefront", 2015, 1),
)

# 52 event types: code, verb class, lemma, polarity
EVENT_TYPES = tuple(
    (code, verb_class, lemma, polarity)
    for verb_class, entries in (
        ("Tactical", "TARGET_LOCK:lock:N LASER_FIRE:fire:N TORPEDO_FIRE:launch:N EVADE:evade:N "
                     "PURSUIT:pursue:N SHIELD_HIT:hit:- HULL_HIT:hit:- AMBUSH:ambush:- "
                     "RETREAT:retreat:N FLANK:flank:N"),
        ("Combat", "ATTACK:attack:- STRIKE:strike:- BLOCK:block:N PARRY:parry:N"),
        ("State", "INJURY:injure:- DEATH:die:- DESTRUCTION:destroy:- CAPTURE:capture:- "
                  "ESCAPE:escape:+ RESCUE:rescue:+ SURRENDER:surrender:- DOOR_OPEN:open:N "
                  "IGNITE_SABER:ignite:N POWER_FAILURE:fail:- ALARM:alert:N"),
        ("Force", "FORCE_PUSH:push:N FORCE_PULL:pull:N FORCE_CHOKE:choke:- "
                  "FORCE_LIGHTNING:electrocute:- FORCE_JUMP:leap:N FORCE_MIND_TRICK:persuade:N "
                  "FORCE_SENSE:sense:N FORCE_VISION:foresee:N"),
        ("Vehicle", "LAUNCH:launch:N LANDING:land:N DOCKING:dock:N HYPERSPACE_JUMP:jump:N "
                    "HYPERSPACE_EXIT:exit:N"),
        ("Narrative", "REVEAL:reveal:N DISCOVERY:discover:+ BETRAYAL:betray:- DECISION:decide:N"),
        ("Motion", "MOVEMENT:move:N ARRIVAL:arrive:N DEPARTURE:depart:N"),
        ("Communication", "DIALOGUE:speak:N COMMAND:order:N TRANSMISSION:transmit:N"),
        ("Physics", "COLLISION:collide:- EXPLOSION:explode:-"),
        ("Social", "REUNION:reunite:+ NEGOTIATION:negotiate:+"),
    )
    for code, lemma, polarity in (e.split(":") for e in entries.split())
)

# name, gender, species, homeworld, archetype, birth ref, height cm, eyes, hair, alias
SAGA_CHARACTERS = (
    ("Luke Skywalker", "Male", "Human", "Tatooine", "Hero", "19 BBY", 172, "Blue", "Blond", None),
    ("Leia Organa", "Female", "Human", "Alderaan", "Leader", "19 BBY", 150, "Brown", "Brown",
     None),
    ("Han Solo", "Male", "Human", "Corellia", "Rogue", "32 BBY", 180, "Hazel", "Brown", None),
    ("Chewbacca", "Male", "Wookiee", "Kashyyyk", "Loyal Friend", "200 BBY", 228, "Blue", "Brown",
     None),
    ("Obi-Wan Kenobi", "Male", "Human", "Stewjon", "Mentor", "57 BBY", 182, "Blue", "Auburn",
     None),
    ("Darth Vader", "Male", "Human", "Tatooine", "Villain", "41 BBY", 202, "Yellow", None, None),
    ("Wilhuff Tarkin", "Male", "Human", "Eriadu", "Officer", "64 BBY", 180, "Blue", "Grey", None),
    ("Owen Lars", "Male", "Human", "Tatooine", "Support", "52 BBY", 178, "Blue", "Brown", None),
    ("Beru Lars", "Female", "Human", "Tatooine", "Support", "47 BBY", 165, "Blue", "Brown", None),
    ("Biggs Darklighter", "Male", "Human", "Tatooine", "Pilot", "24 BBY", 183, "Brown", "Black",
     None),
    ("Wedge Antilles", "Male", "Human", "Corellia", "Pilot", "21 BBY", 170, "Hazel", "Brown",
     None),
    ("Jek Porkins", "Male", "Human", "Bestine IV", "Pilot", None, None, None, None, None),
    ("Garven Dreis", "Male", "Human", "Virujansi", "Pilot", None, None, None, None, None),
    ("Jon Vander", "Male", "Human", None, "Pilot", None, None, None, None, None),
    ("Greedo", "Male", "Rodian", "Rodia", "Mercenary", "44 BBY", 173, "Black", None, None),
    ("Jabba the Hutt", "Male", "Hutt", "Nal Hutta", "Mastermind", "600 BBY", 175, "Orange", None,
     None),
    ("Lando Calrissian", "Male", "Human", "Socorro", "Gambler", "31 BBY", 178, "Brown", "Black",
     None),
    ("Yoda", "Male", None, None, "Sage", "896 BBY", 66, "Brown", "White", None),
    ("Sheev Palpatine", "Male", "Human", "Naboo", "Villain", "84 BBY", 173, "Yellow", "Grey",
     None),
    ("Boba Fett", "Male", "Human", "Kamino", "Mercenary", "32 BBY", 183, "Brown", "Black", None),
    ("Anakin Skywalker", "Male", "Human", "Tatooine", "Chosen One", "41 BBY", 188, "Blue",
     "Blond", None),
    ("Padmé Amidala", "Female", "Human", "Naboo", "Queen", "46 BBY", 165, "Brown", "Brown",
     None),
    ("Qui-Gon Jinn", "Male", "Human", None, "Mentor", "92 BBY", 193, "Blue", "Brown", None),
    ("Darth Maul", "Male", "Zabrak", "Dathomir", "Assassin", "54 BBY", 175, "Yellow", None, None),
    ("Mace Windu", "Male", "Human", "Haruun Kal", "Warrior", "72 BBY", 188, "Brown", None, None),
    ("Jar Jar Binks", "Male", "Gungan", "Naboo", "Ally", "52 BBY", 196, "Orange", None, None),
    ("Shmi Skywalker", "Female", "Human", "Tatooine", "Support", "72 BBY", 163, "Brown", "Black",
     None),
    ("Sebulba", "Male", "Dug", "Malastare", "Villain", None, 112, "Orange", None, None),
    ("Watto", "Male", "Toydarian", "Toydaria", "Support", None, 137, "Yellow", "Black", None),
    ("Nute Gunray", "Male", "Neimoidian", "Cato Neimoidia", "Villain", None, 191, "Red", None,
     None),
    ("Dooku", "Male", "Human", "Serenno", "Fallen", "102 BBY", 193, "Brown", "White", None),
    ("Jango Fett", "Male", "Human", "Concord Dawn", "Mercenary", "66 BBY", 183, "Brown", "Black",
     None),
    ("Grievous", "Male", "Kaleesh", "Kalee", "Villain", None, 216, "Gold", None, None),
    ("Bail Organa", "Male", "Human", "Alderaan", "Leader", "67 BBY", 191, "Brown", "Black", None),
    ("Mon Mothma", "Female", "Human", "Chandrila", "Leader", "48 BBY", 150, "Blue", "Auburn",
     None),
    ("Gial Ackbar", "Male", "Mon Calamari", "Mon Cala", "Officer", "41 BBY", 180, "Orange", None,
     None),
    ("Rey", "Female", "Human", "Jakku", "Hero", "15 ABY", 170, "Hazel", "Brown", None),
    ("Finn", "Male", "Human", None, "Soldier", "11 ABY", 178, "Brown", "Black", None),
    ("Poe Dameron", "Male", "Human", "Yavin 4", "Pilot", "2 ABY", 172, "Brown", "Brown", None),
    ("Kylo Ren", "Male", "Human", "Chandrila", "Villain", "5 ABY", 189, "Brown", "Black", None),
    ("Cassian Andor", "Male", "Human", "Kenari", "Operative", "26 BBY", 178, "Brown", "Brown",
     None),
    ("Jyn Erso", "Female", "Human", "Vallt", "Operative", "22 BBY", 160, "Green", "Brown", None),
)
DF_CHARACTERS = (
    ("Kyle Katarn", "Male", "Human", "Sulon", "Operative", "38 BBY", 183, "Brown", "Brown", None),
    ("Jan Ors", "Female", "Human", "Alderaan", "Operative", None, 168, "Brown", "Black", None),
    ("Crix Madine", "Male", "Human", "Corellia", "Officer", "48 BBY", 178, "Blue", "Auburn",
     None),
    ("Rom Mohc", "Male", "Human", None, "Officer", None, 185, "Grey", "Grey", None),
)
DROIDS = (  # name, alias, role
    ("R2-D2", "Artoo", "Astromech"), ("C-3PO", "Threepio", "Protocol"), ("BB-8", None,
                                                                          "Astromech"),
    ("K-2SO", None, "Security"), ("Chopper", None, "Astromech"), ("IG-88", None, "Assassin"),
    ("4-LOM", None, "Protocol"), ("R5-D4", None, "Astromech"),
)
# (rank or kind, archetype, species) for the generated rank-and-file
RANK_AND_FILE = (
    ("Stormtrooper TK-", "Soldier", "Human"), ("Imperial Officer", "Officer", "Human"),
    ("Dark Trooper", "Soldier", None), ("Rebel Trooper", "Soldier", "Human"),
    ("Bounty Hunter", "Mercenary", None), ("Imperial Commando", "Soldier", "Human"),
    ("Smuggler", "Mercenary", None), ("Spy", "Operative", None), ("Pilot", "Pilot", "Human"),
    ("Guard", "Soldier", None), ("Technician", "Support", None), ("Moff", "Villain", "Human"),
)

SPECIES_SENTIENT = (
    "Wookiee Human Twi'lek Rodian Hutt Jawa Tusken Ewok Gungan Mon_Calamari Sullustan Bothan "
    "Trandoshan Zabrak Togruta Chiss Duros Gran Ithorian Kel_Dor Nautolan Quarren Dug Toydarian "
    "Neimoidian Geonosian Kaminoan Besalisk Cerean Clawdite Weequay Aqualish Bith Gamorrean "
    "Kubaz Ugnaught Dathomirian Pau'an Utapaun Mirialan Kaleesh Skakoan Muun Umbaran Lasat "
    "Ortolan Abednedo Aleena Anzellan Balosar Chagrian Devaronian Dressellian Elom Falleen Gotal "
    "Iktotchi Ishi_Tib Jablogian Klatooinian Lannik Mustafarian Nikto Ongree Pantoran Quermian "
    "Rakata Sakiyan Selkath Shistavanen Snivvian Talz Tognath Vurk"
).replace("_", " ").split()
SPECIES_CREATURES = (
    "Bantha Dewback Rancor Tauntaun Wampa Sarlacc Mynock Exogorth Dianoga Rathtar Porg Fathier "
    "Vulptex Loth-cat Convor Nexu Acklay Reek Varactyl Kaadu Eopie Ronto Krayt_dragon Womp_rat "
    "Dragonsnake Happabore Blurrg"
).replace("_", " ").split()
HOMEWORLDS = {
    "Wookiee": "Kashyyyk", "Human": "Coruscant", "Twi'lek": "Ryloth", "Rodian": "Rodia",
    "Hutt": "Nal Hutta", "Jawa": "Tatooine", "Tusken": "Tatooine", "Ewok": "Endor",
    "Gungan": "Naboo", "Mon Calamari": "Mon Cala", "Sullustan": "Sullust", "Bothan": "Bothawui",
    "Trandoshan": "Trandosha", "Zabrak": "Iridonia", "Togruta": "Shili", "Chiss": "Csilla",
    "Duros": "Duro", "Gran": "Kinyen", "Kaminoan": "Kamino", "Geonosian": "Geonosis",
}

PLANETS = (  # name, region, climate, terrain
    ("Tatooine", "OUTER_RIM", "Arid", "Desert"), ("Alderaan", "CORE", "Temperate", "Mountains"),
    ("Yavin", "OUTER_RIM", None, "Gas giant"), ("Hoth", "OUTER_RIM", "Frozen", "Tundra"),
    ("Dagobah", "OUTER_RIM", "Tropical", "Swamp"), ("Bespin", "OUTER_RIM", None, "Gas giant"),
    ("Naboo", "MID_RIM", "Temperate", "Grassland"), ("Coruscant", "CORE", "Controlled",
                                                     "Cityscape"),
    ("Kamino", "OUTER_RIM", "Tropical", "Ocean"), ("Geonosis", "OUTER_RIM", "Arid", "Rock"),
    ("Mustafar", "OUTER_RIM", "Arid", "Volcanic"), ("Kashyyyk", "MID_RIM", "Tropical", "Forest"),
    ("Utapau", "OUTER_RIM", "Arid", "Sinkholes"), ("Jakku", "OUTER_RIM", "Arid", "Desert"),
    ("Takodana", "MID_RIM", "Temperate", "Forest"), ("Ahch-To", "UNKNOWN", "Temperate",
                                                     "Islands"),
    ("Exegol", "UNKNOWN", None, "Wasteland"), ("Scarif", "OUTER_RIM", "Tropical", "Islands"),
    ("Lothal", "OUTER_RIM", "Temperate", "Plains"), ("Corellia", "CORE", "Temperate", "Urban"),
    ("Dantooine", "OUTER_RIM", "Temperate", "Plains"), ("Ord Mantell", "MID_RIM", "Temperate",
                                                        "Urban"),
    ("Fest", "MID_RIM", "Frozen", "Mountains"), ("Anoat", "OUTER_RIM", "Arid", "Urban"),
    ("Talay", "MID_RIM", "Temperate", "Canyons"), ("Sullust", "OUTER_RIM", "Arid", "Volcanic"),
    ("Ryloth", "OUTER_RIM", "Arid", "Mountains"), ("Dathomir", "OUTER_RIM", "Temperate",
                                                   "Forest"),
    ("Danuta", "MID_RIM", "Temperate", "Plains"), ("Gromas", "OUTER_RIM", "Arid", "Mines"),
    ("Mandalore", "OUTER_RIM", "Arid", "Desert"),
)
MOONS = ("Yavin 4", "Forest Moon of Endor", "Jedha", "Nar Shaddaa", "Ohma-D'un", "Rori",
         "Concord Dawn", "Raxus Prime", "Vertiform")
CITIES = ("Mos Eisley", "Mos Espa", "Anchorhead", "Theed", "Otoh Gunga", "Cloud City",
          "Coronet City", "Jedha City", "Tipoca City", "Canto Bight", "Anoat City")
STATIONS = ("Death Star", "Death Star II", "Arc Hammer", "Fuel Station", "Kuat Drive Yards")
BASES = ("Echo Base", "Great Temple", "Tak Base", "Resistance Base", "Starkiller Base")
FACILITY_WORDS = ("Research Facility", "Detention Center", "Robotics Plant", "Refinery",
                  "Comm Relay", "Armory", "Hangar", "Control Center", "Mining Complex",
                  "Spaceport", "Command Center", "Power Core")
SITE_WORDS = ("Ruins", "Canyon", "Crash Site", "Dune Sea", "Ridge", "Wastes", "Caves")
SHIP_PLACE_WORDS = ("bridge", "hangar deck", "detention level", "reactor room", "cockpit")

ORGANIZATIONS = (  # name, type, scope, alignment, founded, dissolved
    ("Galactic Empire", "Political", "Galactic", "Dark", "19 BBY", "5 ABY"),
    ("Rebel Alliance", "Military", "Galactic", "Light", "2 BBY", "4 ABY"),
    ("Jedi Order", "Religious", "Galactic", "Light", None, "19 BBY"),
    ("Sith Order", "Religious", "Galactic", "Dark", None, None),
    ("Galactic Republic", "Political", "Galactic", "Light", "25000 BBY", "19 BBY"),
    ("Trade Federation", "Commercial", "Galactic", "Dark", None, "19 BBY"),
    ("Confederacy of Independent Systems", "Political", "Galactic", "Dark", "24 BBY", "19 BBY"),
    ("First Order", "Military", "Galactic", "Dark", "5 ABY", "35 ABY"),
    ("Resistance", "Military", "Galactic", "Light", "28 ABY", None),
    ("New Republic", "Political", "Galactic", "Light", "4 ABY", None),
    ("Hutt Cartel", "Criminal", "Regional", "Neutral", None, None),
    ("Black Sun", "Criminal", "Galactic", "Dark", None, None),
    ("Crimson Dawn", "Criminal", "Galactic", "Dark", None, None),
    ("Pyke Syndicate", "Criminal", "Regional", "Neutral", None, None),
    ("Bounty Hunters' Guild", "Professional", "Galactic", "Neutral", None, None),
    ("Imperial Navy", "Military", "Galactic", "Dark", "19 BBY", None),
    ("Imperial Army", "Military", "Galactic", "Dark", "19 BBY", None),
    ("Imperial Security Bureau", "Political", "Galactic", "Dark", "19 BBY", None),
    ("Red Squadron", "Military", "Squadron", "Light", None, None),
    ("Gold Squadron", "Military", "Squadron", "Light", None, None),
    ("Rogue Squadron", "Military", "Squadron", "Light", "3 ABY", None),
    ("Royal Naboo Security Forces", "Military", "Planetary", "Light", None, None),
    ("Gungan Grand Army", "Military", "Planetary", "Light", None, None),
    ("Techno Union", "Commercial", "Galactic", "Dark", None, None),
    ("InterGalactic Banking Clan", "Commercial", "Galactic", "Neutral", None, None),
    ("Kaminoan cloners", "Research", "Planetary", "Neutral", None, None),
    ("Nightsisters", "Cultural", "Planetary", "Dark", None, None),
    ("Rebel Alliance Intelligence", "Political", "Galactic", "Light", None, None),
    ("Imperial Dark Trooper Project", "Research", "Sector", "Dark", "1 ABY", "1 ABY"),
    ("Death Watch", "Military", "Planetary", "Neutral/Dark", None, None),
)
ORG_SUFFIXES = ("Garrison", "Syndicate", "Council", "Guild", "Militia", "Consortium", "Cell",
                "Fleet", "Legion", "Company")

# Tech models: asset type, model, manufacturer, era, extra class (droid/ship/weapon class)
TECH_MODELS = (
    ("Weapon", "E-11 blaster rifle", "BlasTech Industries", "Ranged"),
    ("Weapon", "DL-44 heavy blaster pistol", "BlasTech Industries", "Pistol"),
    ("Weapon", "Bowcaster", "Kashyyyk crafters", "Bow"),
    ("Weapon", "Lightsaber", "Jedi Order", "Melee"),
    ("Weapon", "DC-15A blaster rifle", "BlasTech Industries", "Rifle"),
    ("Weapon", "A280 blaster rifle", "BlasTech Industries", "Rifle"),
    ("Weapon", "DLT-19 heavy blaster", "BlasTech Industries", "Ranged"),
    ("Weapon", "Thermal detonator", "Merr-Sonn Munitions", "Ordnance"),
    ("Weapon", "Proton torpedo", "Krupx Munitions", "Ordnance"),
    ("Droid", "R2-series astromech", "Industrial Automaton", "Astromech"),
    ("Droid", "3PO-series protocol droid", "Cybot Galactica", "Protocol"),
    ("Droid", "B1 battle droid", "Baktoid Combat Automata", "Battle"),
    ("Droid", "B2 super battle droid", "Baktoid Combat Automata", "Battle"),
    ("Droid", "Droideka", "Colicoid Creation Nest", "Droideka"),
    ("Droid", "IG-series assassin droid", "Holowan Laboratories", "Assassin"),
    ("Droid", "BB-series astromech", "Industrial Automaton", "Astromech"),
    ("Droid", "KX-series security droid", "Arakyd Industries", "Combat"),
    ("Droid", "Dark trooper", "Imperial Department of Military Research", "Combat"),
    ("Droid", "Tactical droid", "Baktoid Combat Automata", "Supervisor"),
    ("Ship", "T-65B X-wing", "Incom Corporation", "Starfighter"),
    ("Ship", "BTL Y-wing", "Koensayr Manufacturing", "Bomber"),
    ("Ship", "TIE/ln fighter", "Sienar Fleet Systems", "Starfighter"),
    ("Ship", "TIE Advanced x1", "Sienar Fleet Systems", "Starfighter"),
    ("Ship", "YT-1300 light freighter", "Corellian Engineering Corporation", "Freighter"),
    ("Ship", "HWK-290 light freighter", "Corellian Engineering Corporation", "Infiltrator"),
    ("Ship", "J-type star skiff", "Theed Palace Space Vessel Engineering Corps", "Yacht"),
    ("Ship", "Lambda-class shuttle", "Sienar Fleet Systems", "Patrol Craft"),
    ("Starship", "Imperial I-class Star Destroyer", "Kuat Drive Yards", "Military"),
    ("Starship", "CR90 corvette", "Corellian Engineering Corporation", "Corvette"),
    ("Starship", "Executor-class Star Dreadnought", "Kuat Drive Yards", "Military"),
    ("Starship", "MC80 star cruiser", "Mon Calamari Shipyards", "Military"),
    ("Starship", "Nebulon-B frigate", "Kuat Drive Yards", "Military"),
    ("Vehicle", "AT-AT walker", "Kuat Drive Yards", None),
    ("Vehicle", "AT-ST walker", "Kuat Drive Yards", None),
    ("Vehicle", "74-Z speeder bike", "Aratech Repulsor Company", None),
    ("Vehicle", "T-16 skyhopper", "Incom Corporation", None),
)
GENERIC_ASSETS = {  # asset type -> (model nouns, manufacturers)
    "SecuritySystem": (("blast door lock", "sensor grid", "turbolaser turret", "shield gate",
                        "security scanner"), ("Imperial Department of Military Research",
                                              "Arakyd Industries", "Sienar Fleet Systems")),
    "Explosive": (("detonite charge", "seismic charge", "proximity mine", "concussion grenade"),
                  ("Merr-Sonn Munitions", "Czerka Arms")),
    "Armor": (("stormtrooper armor", "flight suit", "beskar plating", "scout armor"),
              ("Imperial Department of Military Research", "Mandalorian forges")),
    "AccessDevice": (("code cylinder", "security key", "data card", "access spike"),
                     ("Imperial Security Bureau", "Czerka Corporation")),
    "DataDevice": (("datapad", "holoprojector", "data tape", "nav computer"),
                   ("SoroSuub Corporation", "Czerka Corporation", "Cybot Galactica")),
    "Weapon": (("blaster pistol", "repeating blaster", "vibroblade", "ion cannon"),
               ("BlasTech Industries", "Merr-Sonn Munitions", "Czerka Arms")),
    "Droid": (("utility droid", "mouse droid", "probe droid", "power droid"),
              ("Arakyd Industries", "Industrial Automaton", "Rebaxan Columni")),
    "Ship": (("patrol craft", "courier", "gunship"), ("Sienar Fleet Systems", "Incom Corporation")),
    "Starship": (("cruiser", "carrier"), ("Kuat Drive Yards", "Rendili StarDrive")),
    "Vehicle": (("landspeeder", "cargo skiff"), ("SoroSuub Corporation", "Ubrikkian Industries")),
}
NAMED_SHIPS = ("Millennium Falcon", "Moldy Crow", "Slave I", "Tantive IV", "Devastator",
               "Executor", "Home One", "Ghost", "Razor Crest", "Red Five", "Gold Leader",
               "Outrider", "Virago", "Arc Hammer", "Profundity", "Raddus")

PAGE_TYPES_BY_ENTITY = {
    "Character": "PersonCharacter", "Droid": "Droid", "Species": "Species",
    "Location": "LocationPlace", "Organization": "Organization", "TechInstance": "VehicleCraft",
}
TECHNICAL_PAGES = ("Help:Contents", "Wookieepedia:Manual of Style", "Template:Infobox character",
                   "Module:Citation", "MediaWiki:Sidebar", "Wookieepedia:Policies",
                   "Help:Editing", "Template:Cite web", "Category:Maintenance",
                   "Wookieepedia:Sourcing", "Forum:Index", "User:ExampleEditor")
META_PAGES = ("List of films", "Timeline of galactic history", "Glossary of terms",
              "Index of planets", "List of starfighters", "Disambiguation index")

TAGS = (  # type, name, display, colour
    ("era", "prequel-era", "Prequel era", "#8e44ad"), ("era", "original-trilogy",
                                                      "Original trilogy", "#2c3e50"),
    ("era", "sequel-era", "Sequel era", "#16a085"), ("era", "legends", "Legends", "#7f8c8d"),
    ("theme", "space-battle", "Space battle", "#c0392b"), ("theme", "lightsaber-duel",
                                                          "Lightsaber duel", "#e74c3c"),
    ("theme", "heist", "Heist", "#d35400"), ("theme", "redemption", "Redemption", "#27ae60"),
    ("theme", "espionage", "Espionage", "#34495e"), ("theme", "rescue", "Rescue", "#2980b9"),
    ("content", "has-infobox", "Has infobox", None), ("content", "stub", "Stub", None),
    ("content", "featured", "Featured", "#f1c40f"), ("content", "list-page", "List page", None),
    ("quality", "needs-sources", "Needs sources", "#e67e22"), ("quality", "verified",
                                                              "Verified", "#2ecc71"),
    ("quality", "low-confidence", "Low confidence", "#e74c3c"),
    ("faction", "empire", "Empire", "#7f8c8d"), ("faction", "rebellion", "Rebellion", "#e67e22"),
    ("faction", "republic", "Republic", "#3498db"), ("faction", "separatists", "Separatists",
                                                     "#95a5a6"),
    ("faction", "underworld", "Underworld", "#6c3483"), ("medium", "film", "Film", None),
    ("medium", "game", "Game", None), ("medium", "book", "Book", None),
    ("medium", "series", "Series", None), ("internal", "seed-batch", "Seed batch", None),
)
RELATION_TYPES = ("ally_of", "enemy_of", "member_of", "trained_by", "parent_of", "sibling_of",
                  "pilots", "owns", "serves", "located_in", "commands", "rival_of")
CLAIM_PREDICATES = ("pilots", "usesWeapon", "belongsToOrg", "presentAt", "injuredBy", "killedBy",
                    "modelOf", "appearsInWork", "speciesOf", "homeworld", "birthYear", "faction",
                    "rank", "masterOf", "apprenticeOf", "siblingOf", "parentOf", "childOf",
                    "commandsUnit", "crewOf", "ownedBy", "builtBy")
