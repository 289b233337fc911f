"""The data layer: one `Database` interface over the embedded DuckDB copy and SQL Server.

`connect()` picks the backend from the settings; `procedures` holds the embedded backend's
stored-procedure emulations; `build` makes the seeded embedded file.
"""
