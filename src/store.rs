//! The SQLite store: one pool, WAL, busy timeout, foreign keys, migrations applied at open.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate database {path}: {source}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// Opens (creating if needed) the database file and brings its schema up to date.
pub async fn open(path: &Path) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true);
    connect(
        &path.display().to_string(),
        options,
        SqlitePoolOptions::new().max_connections(8),
    )
    .await
}

/// An in-memory database with the production migrations, for unit tests.
/// One connection only: every in-memory connection would be a database of its own.
pub async fn open_in_memory() -> Result<SqlitePool, StoreError> {
    let shown = "sqlite::memory:";
    let options = SqliteConnectOptions::from_str(shown)
        .map_err(|source| StoreError::Open {
            path: shown.to_string(),
            source,
        })?
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None);
    connect(shown, options, pool).await
}

async fn connect(
    shown: &str,
    options: SqliteConnectOptions,
    pool: SqlitePoolOptions,
) -> Result<SqlitePool, StoreError> {
    let pool = pool
        .connect_with(options)
        .await
        .map_err(|source| StoreError::Open {
            path: shown.to_string(),
            source,
        })?;
    migrate(&pool, shown).await?;
    Ok(pool)
}

async fn migrate(pool: &SqlitePool, shown: &str) -> Result<(), StoreError> {
    MIGRATOR
        .run(pool)
        .await
        .map_err(|source| StoreError::Migrate {
            path: shown.to_string(),
            source,
        })
}

/// Seconds since the Unix epoch, as stored in `updated_at` columns.
pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn applied(pool: &SqlitePool) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_fresh_file_is_created_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.db");
        let pool = open(&path).await.unwrap();
        assert!(path.exists());
        assert_eq!(applied(&pool).await, MIGRATOR.iter().count() as i64);
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(keys, 1);
    }

    #[tokio::test]
    async fn reopening_a_migrated_file_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("again.db");
        let pool = open(&path).await.unwrap();
        sqlx::query("INSERT INTO user_preferences (user_id, language) VALUES ('u1', 'en')")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let pool = open(&path).await.unwrap();
        assert_eq!(applied(&pool).await, MIGRATOR.iter().count() as i64);
        let language: String =
            sqlx::query_scalar("SELECT language FROM user_preferences WHERE user_id = 'u1'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(language, "en");
    }

    #[tokio::test]
    async fn foreign_keys_are_enforced() {
        let pool = open_in_memory().await.unwrap();
        let refused = sqlx::query("INSERT INTO organization_fields (organization_id, field_no, position) VALUES ('nobody', 1, 0)")
            .execute(&pool)
            .await;
        assert!(refused.is_err());
    }

    #[tokio::test]
    async fn an_unwritable_path_is_a_clear_error() {
        let error = open(Path::new("/proc/no/such/dir/k.db")).await.unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot open database /proc/no/such/dir/k.db"),
            "{error}"
        );
    }
}
