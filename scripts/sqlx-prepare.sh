#!/usr/bin/env bash
# Regenerates sqlx's offline query data (.sqlx/) from the migrations, without sqlx-cli:
# builds a schema database from migrations/, then compiles the crate online against it with
# SQLX_OFFLINE_DIR set, which makes the query macros write their data. CI builds offline
# (SQLX_OFFLINE=true) from the committed .sqlx/, so a query that no longer matches the schema
# fails the build. Run after changing any query or migration.
set -euo pipefail
cd "$(dirname "$0")/.."
schema="$(mktemp -d)/schema.db"
python3 - "$schema" migrations/*.sql <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for migration in sys.argv[2:]:
    db.executescript(open(migration, encoding="utf-8").read())
db.commit()
PY
rm -rf .sqlx && mkdir .sqlx
touch src/lib.rs
DATABASE_URL="sqlite:$schema" SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" \
    cargo check --all-targets --quiet
echo "sqlx-prepare: $(ls .sqlx | wc -l) queries in .sqlx/"
