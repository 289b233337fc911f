#!/usr/bin/env bash
# System packages the tests use: unixODBC and the SQLite ODBC driver (the pyodbc path),
# PostgreSQL (the run store), Chromium and its driver (the site test).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  unixodbc unixodbc-dev odbcinst libsqliteodbc \
  postgresql postgresql-client \
  chromium chromium-driver fonts-dejavu-core >/dev/null
echo "system packages: installed"
odbcinst -q -d
