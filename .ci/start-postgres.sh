#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster on loopback and create the test role and database.
# Tests read HOLOCRON_TEST_PG_URL; its default in tests/conftest.py matches what is made here.
set -euo pipefail
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q online; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 1
done
as_postgres psql -q -v ON_ERROR_STOP=1 -c \
  "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'holocron') THEN CREATE ROLE holocron LOGIN PASSWORD 'holocron' CREATEDB; END IF; END \$\$;"
if ! as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname='holocron_test'" | grep -q 1; then
  as_postgres createdb -O holocron holocron_test
fi
echo "postgres: ready on 127.0.0.1:5432 (database holocron_test)"
