"""The T-SQL table files, the schema model read from them, and the DuckDB DDL written from it."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from holocron_lib.errors import TranslationError, UnknownObjectError
from holocron_lib.schema import ddl
from holocron_lib.tsql.translate import split_batches

TABLE_FILES = sorted(ddl.TABLES_DIR.glob("*.sql"))
BLOCK_G = [
    "RowHash", "IsActive", "IsLatest", "VersionNum", "ValidFromUtc", "ValidToUtc", "CreatedUtc",
    "UpdatedUtc", "SourceSystem", "SourceRef", "IngestBatchKey", "AttributesJson",
]
FACTS_AND_BRIDGES = {
    "FactEvent", "FactClaim", "ContinuityIssue",
    "BridgeEventParticipant", "BridgeEventAsset", "BridgeContinuityIssueClaim",
}


@pytest.fixture(scope="module")
def model() -> ddl.SchemaModel:
    return ddl.load_schema_model()


def in_list(check: str) -> list[str]:
    """The string values of the IN (...) list in a CHECK expression."""
    tree = sqlglot.parse_one(check, read="tsql")
    return [lit.name for lit in tree.find(exp.In).expressions]


def check_on(table: ddl.Table, column: str) -> str:
    hits = [c for c in table.checks if column.lower() in c.lower()]
    assert len(hits) == 1, f"{table.full_name}: expected one CHECK on {column}, found {hits}"
    return hits[0]


# --- the files -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", TABLE_FILES, ids=[p.name for p in TABLE_FILES])
def test_table_file_is_valid_tsql(path):
    text = path.read_text(encoding="utf-8")
    batches = split_batches(text)
    assert batches, path.name
    for batch in batches:
        statements = [s for s in sqlglot.parse(batch, read="tsql") if s is not None]
        assert statements, f"{path.name}: empty batch {batch[:60]!r}"
        for stmt in statements:
            # sqlglot falls back to an opaque Command for text it cannot parse
            assert not isinstance(stmt, exp.Command), f"{path.name}: unparsed {stmt.sql()[:80]}"
            assert isinstance(stmt, (exp.Create, exp.Alter)), f"{path.name}: {stmt.key}"


def test_create_schema_stands_alone_in_its_batch():
    # SQL Server requires CREATE SCHEMA to be the only statement of its batch, and dbo exists
    for path in TABLE_FILES:
        for batch in split_batches(path.read_text(encoding="utf-8")):
            statements = [s for s in sqlglot.parse(batch, read="tsql") if s is not None]
            schemas = [s for s in statements if str(s.args.get("kind")).upper() == "SCHEMA"]
            if schemas:
                assert len(statements) == 1, path.name
                assert schemas[0].this.db.lower() != "dbo"


def test_files_follow_the_naming_scheme():
    assert [p.name[:3] for p in TABLE_FILES] == [f"{i:02d}_" for i in range(1, len(TABLE_FILES) + 1)]


# --- the model -----------------------------------------------------------------------------


def test_every_live_schema_and_table_and_nothing_retired(model):
    assert model.schemas == ("dbo", "ingest", "sem", "llm", "vector")
    by_schema = {s: [t.name for t in model.tables if t.schema == s] for s in model.schemas}
    assert len([n for n in by_schema["dbo"] if n.startswith("Dim")]) == 22 + 2  # + DimTag, DimOccurrence
    assert set(by_schema["ingest"]) == {
        "work_items", "IngestRecords", "ingest_runs", "seen_resources", "worker_heartbeats",
        "run_metrics",
    }
    assert set(by_schema["sem"]) == {"SourcePage", "PageSignals", "PageClassification"}
    assert set(by_schema["llm"]) == {
        "job", "run", "artifact", "evidence_bundle", "run_evidence", "evidence_item",
    }
    assert set(by_schema["vector"]) == {
        "embedding_space", "job", "run", "source_registry", "chunk", "embedding", "retrieval",
        "retrieval_hit",
    }
    assert {"FactEvent", "FactClaim", "ContinuityIssue", "__migration_log"} <= set(by_schema["dbo"])
    assert len(model.tables) == 58
    for absent in ("dbo.BridgeEntityWork", "llm.chunk_legacy", "lake.RawExchangeRecord",
                   "dbo.DimEvent", "dbo.sem_character"):
        with pytest.raises(UnknownObjectError):
            model.table(absent)


def test_dim_entity_columns_in_order_with_promotion_columns_after_block_g(model):
    entity = model.table("DimEntity")
    business = [
        "EntityKey", "EntityGuid", "FranchiseKey", "EntityType", "DisplayName",
        "DisplayNameNormalized", "SortName", "AliasCsv", "ExternalKey", "ExternalKeyType",
        "ExternalUrl", "SummaryShort", "SummaryLong", "DescriptionSource", "ConfidenceScore",
        "IsCanonical", "Notes",
    ]
    promotion = [
        "PromotionState", "PromotionDecisionUtc", "PromotionDecidedBy", "PromotionReason",
        "SourcePageId", "PrimaryTypeInferred", "TypeSetJsonInferred", "AdjudicationRunId",
    ]
    assert [c.name for c in entity.columns] == business + BLOCK_G + promotion
    state = entity.column("PromotionState")
    assert (state.tsql_type, state.nullable, state.default) == ("NVARCHAR(30)", False, "'staged'")
    assert in_list(check_on(entity, "PromotionState")) == [
        "staged", "candidate", "adjudicated", "promoted", "suppressed", "merged",
    ]
    assert entity.column("PromotionDecisionUtc").tsql_type == "DATETIME2"
    assert entity.column("TypeSetJsonInferred").tsql_type == "NVARCHAR(MAX)"
    assert entity.column("ConfidenceScore").duckdb_type == "DECIMAL(5,4)"
    assert entity.column("IsCanonical").duckdb_type == "BOOLEAN"
    assert {"EntityId", "ModifiedUtc", "EvidenceBundleGuid"}.isdisjoint(
        c.name for c in entity.columns
    )


def test_every_governed_table_ends_with_block_g_in_order(model):
    governed = [t for t in model.tables if t.has_governance]
    assert len(governed) == 28  # 22 dimensions, 3 facts, 3 bridges
    for table in governed:
        names = [c.name for c in table.columns]
        expected = list(BLOCK_G)
        if table.name in FACTS_AND_BRIDGES:
            expected.insert(-1, "EvidenceBundleGuid")
        if table.name == "DimFranchise":
            expected[:4] = ["IsActive", "IsLatest", "VersionNum", "RowHash"]
        start = names.index(expected[0])
        assert names[start:start + len(expected)] == expected, table.full_name
        after = len(names) - start - len(expected)
        assert after == (8 if table.name == "DimEntity" else 0), table.full_name
        rowhash = table.column("RowHash")
        assert (rowhash.tsql_type, rowhash.nullable, rowhash.default) == ("VARBINARY(32)", False, None)
        assert rowhash.duckdb_type == "BLOB"
        for flag in ("IsActive", "IsLatest"):
            col = table.column(flag)
            assert (col.tsql_type, col.duckdb_type, col.default) == ("BIT", "BOOLEAN", "1")
        assert table.column("VersionNum").default == "1"
        assert table.column("ValidFromUtc").tsql_type == "DATETIME2(3)"
        assert table.column("ValidFromUtc").default == "SYSUTCDATETIME()"
        assert table.column("ValidToUtc").nullable
        assert table.column("IngestBatchKey").max_length == 100
        assert table.column("SourceRef").max_length == 400


def test_dbo_key_and_guid_conventions(model):
    for table in (t for t in model.tables if t.has_governance):
        key, guid = table.columns[0], table.columns[1]
        assert table.primary_key == (key.name,)
        assert guid.tsql_type == "UNIQUEIDENTIFIER" and guid.default == "NEWID()"
        assert guid.name.endswith("Guid") and (guid.name,) in table.unique_keys
        expected_type = "BIGINT" if key.name in {"EventKey", "ContinuityIssueKey", "ClaimKey"} else "INT"
        assert key.tsql_type == expected_type, table.full_name
        assert key.identity == (table.name not in {"DimDate", "DimTime"}), table.full_name
        assert table.identity_column == (key if key.identity else None)


def test_business_uniqueness_is_recorded_but_not_enforced(model):
    weapon = model.table("dbo.DimWeaponModel")
    assert weapon.unique_keys == (("WeaponModelGuid",),)
    assert [(cols, where) for _, cols, where in weapon.filtered_unique_indexes] == [
        (("TechAssetKey",), "IsLatest = 1")
    ]
    event = model.table("FactEvent")
    assert event.filtered_unique_indexes[0][1] == (
        "FranchiseKey", "WorkKey", "SceneKey", "EventOrdinal",
    )
    claim = model.table("FactClaim")
    assert claim.filtered_unique_indexes[0][1] == ("SubjectEntityKey", "Predicate")
    work = model.table("DimWork")
    assert work.filtered_unique_indexes == (
        ("UX_DimWork_WorkCode_IsLatest", ("WorkCode",), "IsLatest = 1 AND WorkCode IS NOT NULL"),
    )
    entity_names = [name for name, _, _ in model.table("DimEntity").filtered_unique_indexes]
    assert "UX_DimEntity_ExternalKey_IsLatest" in entity_names
    job = model.table("llm.job")
    assert job.filtered_unique_indexes == (
        ("UQ_llm_job_dedupe", ("interrogation_key", "dedupe_key"), "dedupe_key IS NOT NULL"),
    )
    assert model.table("ingest.work_items").unique_keys == (("dedupe_key",),)
    assert model.table("llm.evidence_item").unique_keys == (("bundle_id", "evidence_id"),)


def test_llm_job_columns_defaults_and_checks(model):
    job = model.table("llm.job")
    assert [c.name for c in job.columns] == [
        "job_id", "created_utc", "status", "priority", "interrogation_key", "input_json",
        "evidence_ref_json", "model_hint", "max_attempts", "attempt_count", "available_utc",
        "locked_by", "locked_utc", "last_error", "dedupe_key", "input_bundle_id",
        "prompt_template_ref", "prompt_template_version", "contract_version",
        "requested_output_types", "job_fingerprint",
    ]
    status = job.column("status")
    assert (status.tsql_type, status.default, status.max_length) == ("VARCHAR(20)", "'NEW'", 20)
    assert in_list(check_on(job, "status")) == ["NEW", "RUNNING", "SUCCEEDED", "FAILED", "DEADLETTER"]
    assert check_on(job, "max_attempts") == "max_attempts >= 1"
    assert check_on(job, "attempt_count") == "attempt_count >= 0"
    assert check_on(job, "priority") == "priority >= 0"
    assert job.column("job_id").default == "NEWID()"
    assert job.column("created_utc").tsql_type == "DATETIME2"
    assert job.primary_key == ("job_id",)
    run = model.table("llm.run")
    assert in_list(check_on(run, "status")) == ["RUNNING", "SUCCEEDED", "FAILED"]
    assert run.column("status").tsql_type == "VARCHAR(20)"


def test_artifact_type_check_lists_fourteen_values(model):
    artifact = model.table("llm.artifact")
    values = in_list(check_on(artifact, "artifact_type"))
    assert len(values) == 14 and len(set(values)) == 14
    assert values[:6] == [
        "request_json", "response_json", "evidence_bundle", "prompt_text", "parsed_output",
        "raw_response",
    ]
    assert values[-1] == "merge_result_report"
    assert artifact.column("lake_uri").nullable
    assert artifact.column("stored_in_sql").default == "0"
    assert artifact.column("mirrored_to_lake").duckdb_type == "BOOLEAN"


def test_composite_primary_keys(model):
    assert model.table("llm.run_evidence").primary_key == ("run_id", "bundle_id")
    hit = model.table("vector.retrieval_hit")
    assert hit.primary_key == ("retrieval_id", "rank")
    assert hit.column("score").tsql_type == "FLOAT" and hit.column("score").duckdb_type == "DOUBLE"
    assert model.table("ingest.worker_heartbeats").primary_key == ("worker_id",)
    assert model.table("ingest.run_metrics").primary_key == ("run_id",)


def test_other_checks_from_the_fact_sheet(model):
    assert in_list(check_on(model.table("ingest.work_items"), "status")) == [
        "pending", "in_progress", "completed", "failed", "skipped",
    ]
    assert "status_code" in check_on(model.table("ingest.IngestRecords"), "status_code")
    assert in_list(check_on(model.table("vector.job"), "job_type")) == [
        "CHUNK_SOURCE", "EMBED_CHUNKS", "REEMBED_SPACE", "RETRIEVE_TEST", "DRIFT_TEST",
    ]
    assert in_list(check_on(model.table("sem.PageClassification"), "canon_context")) == [
        "canon", "legends", "both", "unknown",
    ]
    relation = model.table("BridgeTagRelation")
    assert "FromTagKey <> ToTagKey" in relation.checks
    assert in_list(check_on(model.table("dbo.__migration_log"), "status")) == [
        "started", "completed", "failed", "skipped",
    ]
    assert len(model.table("DimTag").checks) == 1  # Visibility only


def test_string_and_soft_link_types(model):
    assert model.table("ingest.work_items").column("work_item_id").tsql_type == "NVARCHAR(36)"
    assert model.table("ingest.IngestRecords").column("work_item_id").duckdb_type == "UUID"
    body = model.table("ingest.IngestRecords").column("response_body_binary")
    assert (body.tsql_type, body.duckdb_type, body.max_length) == ("VARBINARY(MAX)", "BLOB", None)
    latitude = model.table("DimLocation").column("LatitudeRef")
    assert (latitude.tsql_type, latitude.duckdb_type) == ("DECIMAL(9,6)", "DECIMAL(9,6)")
    assert model.table("DimTime").column("ClockTime").duckdb_type == "TIME"
    assert model.table("DimDate").column("Year").duckdb_type == "INTEGER"
    assert model.table("DimTag").column("ColorHex").max_length == 7
    assert model.table("dbo.DimWork").column("ReleaseDate").duckdb_type == "DATE"
    assert model.table("dbo.DimWork").column("SynopsisShort").max_length == 1000


# Section 1 of the fact sheet: every "→" link is a declared foreign key.
SECTION_1_FKS = [
    ("sem.PageSignals", "source_page_id", "sem.SourcePage"),
    ("sem.PageClassification", "source_page_id", "sem.SourcePage"),
    *[(f"dbo.{t}", "EntityKey", "dbo.DimEntity") for t in (
        "DimCharacter", "DimSpecies", "DimOrganization", "DimLocation", "DimTechInstance",
        "BridgeEventParticipant",
    )],
    ("dbo.FactClaim", "SubjectEntityKey", "dbo.DimEntity"),
    *[(f"dbo.{t}", "TechAssetKey", "dbo.DimTechAsset") for t in (
        "DimTechInstance", "DimDroidModel", "DimShipModel", "DimWeaponModel",
    )],
    ("dbo.DimDroidInstance", "TechInstanceKey", "dbo.DimTechInstance"),
    ("dbo.FactEvent", "FranchiseKey", "dbo.DimFranchise"),
    ("dbo.FactEvent", "ContinuityFrameKey", "dbo.DimContinuityFrame"),
    ("dbo.FactEvent", "WorkKey", "dbo.DimWork"),
    ("dbo.FactEvent", "SceneKey", "dbo.DimScene"),
    ("dbo.FactEvent", "EventTypeKey", "dbo.DimEventType"),
    ("dbo.FactEvent", "LocationKey", "dbo.DimLocation"),
    ("dbo.FactEvent", "EraKey", "dbo.DimEra"),
    ("dbo.FactEvent", "DateKey", "dbo.DimDate"),
    ("dbo.FactEvent", "TimeKey", "dbo.DimTime"),
    ("dbo.FactEvent", "ParentEventKey", "dbo.FactEvent"),
    ("dbo.BridgeEventParticipant", "EventKey", "dbo.FactEvent"),
    ("dbo.BridgeEventAsset", "EventKey", "dbo.FactEvent"),
    ("dbo.BridgeContinuityIssueClaim", "ContinuityIssueKey", "dbo.ContinuityIssue"),
    ("dbo.BridgeContinuityIssueClaim", "ClaimKey", "dbo.FactClaim"),
    ("llm.run", "job_id", "llm.job"),
    ("llm.artifact", "run_id", "llm.run"),
    ("llm.run", "request_artifact_id", "llm.artifact"),
    ("llm.run", "response_artifact_id", "llm.artifact"),
    ("llm.run", "output_artifact_id", "llm.artifact"),
    ("llm.run", "prompt_rendered_artifact_id", "llm.artifact"),
    ("llm.run", "parent_run_id", "llm.run"),
    ("llm.run_evidence", "run_id", "llm.run"),
    ("llm.run_evidence", "bundle_id", "llm.evidence_bundle"),
    ("llm.evidence_item", "bundle_id", "llm.evidence_bundle"),
    ("llm.job", "input_bundle_id", "llm.evidence_bundle"),
]


@pytest.mark.parametrize("child,column,parent", SECTION_1_FKS,
                         ids=[f"{c}.{col}" for c, col, _ in SECTION_1_FKS])
def test_fact_sheet_link_is_a_foreign_key(model, child, column, parent):
    fks = [fk for fk in model.table(child).foreign_keys if fk.columns == (column,)]
    assert len(fks) == 1, f"{child}.{column}"
    fk = fks[0]
    assert (fk.table, fk.ref_table) == (child, parent)
    assert fk.ref_columns == model.table(parent).primary_key
    assert fk.name.startswith("FK_")


def test_soft_references_have_no_constraint(model):
    soft = {
        ("dbo.DimEntity", "SourcePageId"), ("dbo.DimEntity", "AdjudicationRunId"),
        ("sem.PageClassification", "run_id"), ("sem.SourcePage", "latest_ingest_id"),
        ("ingest.IngestRecords", "work_item_id"), ("dbo.BridgeEntityOccurrence", "OccurrenceKey"),
        ("llm.evidence_bundle", "assembly_artifact_id"),
    }
    declared = {(fk.table, col) for fk in model.foreign_keys for col in fk.columns}
    assert not soft & declared
    assert not any("EvidenceBundleGuid" in fk.columns for fk in model.foreign_keys)
    for fk in model.foreign_keys:
        if fk.table.startswith("vector."):
            assert fk.ref_table.startswith("vector."), fk.name


def test_dbo_foreign_keys_are_named_after_their_table(model):
    names = [fk.name for fk in model.foreign_keys]
    assert len(names) == len(set(names))
    for fk in model.foreign_keys:
        schema, table = fk.table.split(".")
        prefix = f"FK_{table}_" if schema == "dbo" else f"FK_{schema}_{table}_"
        assert fk.name.startswith(prefix), fk.name
    assert "FK_DimWork_DimFranchise" in names


def test_table_and_column_lookup(model):
    assert model.table("dimentity") is model.table("[dbo].[DimEntity]")
    assert model.table('"llm"."job"').full_name == "llm.job"
    assert model.table("LLM.JOB") is model.table("llm.job")
    with pytest.raises(UnknownObjectError) as err:
        model.table("dbo.DimEntty")
    assert err.value.kind == "table" and "dbo.DimEntity" in err.value.suggestions
    with pytest.raises(UnknownObjectError):
        model.table("job")  # unqualified means dbo, as on SQL Server
    entity = model.table("DimEntity")
    assert entity.column("displayname").name == "DisplayName"
    assert entity.column("[Notes]").name == "Notes"
    with pytest.raises(UnknownObjectError) as err:
        entity.column("DisplayNam")
    assert err.value.name == "dbo.DimEntity.DisplayNam"
    assert "DisplayName" in err.value.suggestions


def test_governance_and_identity_properties(model):
    assert model.table("DimEntity").has_governance
    assert not model.table("DimTag").has_governance
    assert not model.table("dbo.DimOccurrence").has_governance
    assert not model.table("llm.job").has_governance
    assert model.table("dbo.__migration_log").identity_column.name == "log_id"
    assert model.table("DimDate").identity_column is None
    assert model.table("llm.job").identity_column is None


def test_load_schema_model_is_cached():
    assert ddl.load_schema_model() is ddl.load_schema_model()


# --- DuckDB DDL ----------------------------------------------------------------------------


def test_duckdb_statements_shape(model):
    statements = ddl.duckdb_statements(model)
    schemas = [s for s in statements if s.startswith("CREATE SCHEMA")]
    sequences = [s for s in statements if s.startswith("CREATE SEQUENCE")]
    tables = [s for s in statements if s.startswith("CREATE TABLE")]
    assert len(schemas) == 5 and len(tables) == len(model.tables)
    identities = [(t, t.identity_column) for t in model.tables if t.identity_column]
    assert len(sequences) == len(identities) == 28  # 26 block-G keys, DimTag, __migration_log
    assert 'CREATE SEQUENCE "dbo"."seq_DimEntity_EntityKey" START 1' in sequences
    text = "\n".join(statements)
    assert "FOREIGN KEY" not in text and "REFERENCES" not in text and "WHERE" not in text
    assert " BIT" not in text and "NEWID" not in text and "SYSUTCDATETIME" not in text
    entity = next(s for s in tables if '"DimEntity"' in s)
    assert "\"EntityKey\" INTEGER NOT NULL DEFAULT nextval('dbo.seq_DimEntity_EntityKey')" in entity
    assert '"EntityGuid" UUID NOT NULL DEFAULT gen_random_uuid()' in entity
    assert '"IsActive" BOOLEAN NOT NULL DEFAULT true' in entity
    assert "\"CreatedUtc\" TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')" in entity
    assert "\"PromotionState\" VARCHAR NOT NULL DEFAULT 'staged'" in entity
    assert 'UNIQUE ("EntityGuid")' in entity and 'PRIMARY KEY ("EntityKey")' in entity


def test_bit_comparisons_in_checks_become_booleans():
    model = ddl.parse_schema([("t.sql", """
        CREATE TABLE dbo.Flags (
            Id INT NOT NULL PRIMARY KEY,
            Flag BIT NOT NULL DEFAULT ((0)),
            Name NVARCHAR(10) NULL DEFAULT N'x',
            CONSTRAINT CK_Flags_Rule CHECK (Flag = 1 OR LEN(Name) = 3)
        );""")])
    sql = ddl.create_table_sql(model.table("Flags"))
    assert "Flag = TRUE" in sql
    assert '"Flag" BOOLEAN NOT NULL DEFAULT false' in sql
    assert "\"Name\" VARCHAR DEFAULT 'x'" in sql
    con = duckdb.connect()
    con.execute('CREATE SCHEMA dbo')
    con.execute(sql)
    con.execute("INSERT INTO dbo.Flags (Id, Flag) VALUES (1, true)")
    con.execute("INSERT INTO dbo.Flags (Id, Name) VALUES (2, 'abc')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO dbo.Flags (Id, Name) VALUES (3, 'ab')")
    assert con.execute("SELECT Flag, Name FROM dbo.Flags WHERE Id = 2").fetchone() == (False, "abc")


@pytest.mark.parametrize("text,culprit", [
    ("CREATE TABLE dbo.A (Id GEOGRAPHY NOT NULL);", "column Id: unsupported type"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL, CONSTRAINT PK_A PRIMARY KEY (Idx));", "unknown column 'Idx'"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL, CONSTRAINT FK_A_B FOREIGN KEY (Id) "
     "REFERENCES dbo.B (Id));", "FK_A_B references unknown table dbo.B"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL);\nGO\nCREATE TABLE dbo.A (Id INT NOT NULL);",
     "created twice"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL);\nGO\nDROP TABLE dbo.A;", "not DROP"),
    ("CREATE UNIQUE INDEX UX ON dbo.Missing (Id);", "dbo.missing is not created"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL, id INT NULL);", "column id is declared twice"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL PRIMARY KEY, CONSTRAINT PK_A PRIMARY KEY (Id));",
     "more than one primary key"),
    ("CREATE TABLE dbo.A (Id INT NOT NULL, CONSTRAINT FK_A_B FOREIGN KEY (Id) "
     "REFERENCES dbo.A (Nope));", "FK_A_B does not match the columns of dbo.A"),
], ids=["type", "key-column", "fk-table", "twice", "drop", "index-table", "column-twice",
        "two-pks", "fk-columns"])
def test_bad_ddl_names_file_and_culprit(text, culprit):
    with pytest.raises(TranslationError) as err:
        ddl.parse_schema([("99_bad.sql", text)])
    assert "99_bad.sql" in str(err.value) and culprit in str(err.value)
