//! The database's own catalogue: which tables it has and which migrations sqlx recorded, to
//! tell kyodo's database from another program's before opening it (see `crate::store`).
//! Runtime queries on purpose: `sqlite_master` and sqlx's `_sqlx_migrations` are not part of
//! kyodo's migrations, so the offline schema has nothing to check them against.

use sqlx::SqliteConnection;

/// The names of the database's own tables (not SQLite's).
pub async fn table_names(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *conn)
    .await
}

/// The checksum sqlx recorded for migration `version`, if it ran.
pub async fn migration_checksum(
    conn: &mut SqliteConnection,
    version: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT checksum FROM _sqlx_migrations WHERE version = ?1")
        .bind(version)
        .fetch_optional(&mut *conn)
        .await
}
