"""The tables the T-SQL tests run against: a few known rows, and their T-SQL declarations.

``FIXTURE`` creates them in DuckDB's own SQL, independent of the project's DDL;
``FIXTURE_TYPES`` tells the translator how T-SQL declares them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import duckdb

from holocron_lib.tsql.textcolumns import ColumnTypes
from holocron_lib.tsql.translate import configure_session

# Tiny tables with known rows, in DuckDB SQL, independent of the project's own DDL.
FIXTURE = """
CREATE SCHEMA dbo;
CREATE SCHEMA llm;
CREATE TABLE dbo.DimEntity (
    EntityKey INTEGER PRIMARY KEY, EntityGuid UUID, Name VARCHAR, EntityType VARCHAR,
    IsActive BOOLEAN, "Year" INTEGER, CreatedUtc TIMESTAMP, AttributesJson VARCHAR);
INSERT INTO dbo.DimEntity VALUES
 (1, '6f1c0b1e-0000-4000-8000-000000000001', 'Luke Skywalker', 'Character', TRUE, 19,
  '2024-01-01 23:59:30', '{"homeworld":{"name":"Tatooine"},"heightCm":172}'),
 (2, '6f1c0b1e-0000-4000-8000-000000000002', 'Leia Organa', 'Character', TRUE, 19,
  '2024-01-02 00:00:10', '{"homeworld":{"name":"Alderaan"},"heightCm":150}'),
 (3, '6f1c0b1e-0000-4000-8000-000000000003', 'Han Solo', 'Character', FALSE, 29,
  '2024-01-02 10:30:00', NULL),
 (4, '6f1c0b1e-0000-4000-8000-000000000004', 'Tatooine', 'Planet', TRUE, NULL,
  '2024-01-03 08:00:00', '{"climate":"arid"}'),
 (5, '6f1c0b1e-0000-4000-8000-000000000005', 'Millennium Falcon', 'Starship', TRUE, NULL,
  '2024-01-05 12:15:45', '{}');
CREATE TABLE llm.job (
    JobId INTEGER PRIMARY KEY, EntityKey INTEGER, Status VARCHAR, Priority INTEGER,
    CreatedUtc TIMESTAMP, CompletedUtc TIMESTAMP, DurationMs INTEGER);
INSERT INTO llm.job VALUES
 (101, 1, 'succeeded', 5, '2024-01-01 10:00:00', '2024-01-01 10:00:59', 59000),
 (102, 1, 'failed', 3, '2024-01-01 10:59:59', '2024-01-01 11:00:01', 2000),
 (103, 2, 'succeeded', 5, '2024-01-01 23:59:59', '2024-01-02 00:00:01', 2000),
 (104, 2, 'queued', 1, '2024-01-02 08:00:00', NULL, NULL),
 (105, 3, 'succeeded', 2, '2024-01-02 09:00:00', '2024-01-02 11:30:00', 9000000),
 (106, 4, 'queued', 4, '2024-01-03 00:00:00', NULL, NULL);
CREATE TABLE dbo.Sample (
    SampleKey INTEGER PRIMARY KEY, Code VARCHAR, Label VARCHAR, Amount DECIMAL(10, 2),
    Ratio DOUBLE, Score DECIMAL(5, 4), Digits VARCHAR, SeenUtc TIMESTAMP);
INSERT INTO dbo.Sample VALUES
 (1, 'ab', 'Alpha', 12.75, 2.5, 0.8123, '12', '2024-03-05 14:07:09.123'),
 (2, 'ab  ', 'alpha  ', -12.75, -2.5, 0.5, '7', '2024-12-31 09:30:00'),
 (3, 'b[1]', 'Beta%', 1000.10, 0.125, 0.3333, ' 7 ', '2023-07-04 00:00:00'),
 (4, 'c_1', 'Gamma', 0.05, 10000000000, 1.0000, 'x1', '2024-02-29 23:59:59.999'),
 (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
"""
# The fixture's tables as T-SQL declares them, which the translator is told of.
FIXTURE_TYPES = ColumnTypes.from_declared({
    "dbo.DimEntity": {
        "EntityKey": "INT", "EntityGuid": "UNIQUEIDENTIFIER", "Name": "NVARCHAR(200)",
        "EntityType": "NVARCHAR(50)", "IsActive": "BIT", "Year": "INT",
        "CreatedUtc": "DATETIME2", "AttributesJson": "NVARCHAR(MAX)"},
    "llm.job": {
        "JobId": "INT", "EntityKey": "INT", "Status": "NVARCHAR(20)", "Priority": "INT",
        "CreatedUtc": "DATETIME2", "CompletedUtc": "DATETIME2", "DurationMs": "INT"},
    "dbo.Sample": {
        "SampleKey": "INT", "Code": "VARCHAR(20)", "Label": "NVARCHAR(50)",
        "Amount": "DECIMAL(10,2)", "Ratio": "FLOAT", "Score": "DECIMAL(5,4)",
        "Digits": "NVARCHAR(10)", "SeenUtc": "DATETIME2"},
})


def fixture_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory database holding the fixture, set up as a T-SQL session."""
    connection = duckdb.connect()
    connection.execute(FIXTURE)  # plain DDL and rows: the session settings do not change it
    configure_session(connection)  # once, now that dbo exists
    return connection


def plain(value):
    """A DuckDB value as the JSON value the expected files hold."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # precision shows: 3.333333 and 3.3333333333333335 are different answers
        return {"decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value
