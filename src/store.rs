//! The SQLite store: one pool, WAL, busy timeout, foreign keys, migrations applied at open.
//! Before opening, the file is checked (`check`): kyodo creates a new database or uses its own,
//! never an empty, foreign or read-only file. The pool discards a connection a failed
//! transaction left behind, and refuses to hand out connections once the file was removed or
//! replaced (`watch`).

mod check;
mod watch;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqlitePool};

pub use check::{inspect, Found, Refused};
pub use watch::{FileIdentity, Gone, Watched};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a write waits for another writer (an import, another instance) before SQLite
/// answers busy; SQLite retries within it. Then the person is told to try again.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("cannot migrate database {path}: {source}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// Opens the database file and brings its schema up to date; a path with nothing there gets a
/// new database. Errors: the file is refused (empty, not SQLite, another program's, not
/// writable: `StoreError::Refused`), or SQLite cannot open or migrate it.
pub async fn open(path: &Path) -> Result<SqlitePool, StoreError> {
    let shown = path.display().to_string();
    let found = examine(path).await?;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(found == Found::Absent)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true);
    let opened = |source| StoreError::Open {
        path: shown.clone(),
        source,
    };
    // The file exists from here on; the pool's later connections never create one, so a file
    // removed under a running bot is not silently replaced by an empty database.
    if found == Found::Absent {
        let first = sqlx::SqliteConnection::connect_with(&options)
            .await
            .map_err(opened)?;
        first.close().await.map_err(opened)?;
    }
    let watched = Watched::new(path).map_err(|error| opened(sqlx::Error::Io(error)))?;
    let pool = guarded(SqlitePoolOptions::new().max_connections(8), watched)
        .connect_with(options.create_if_missing(false))
        .await
        .map_err(opened)?;
    migrate(&pool, &shown).await?;
    Ok(pool)
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
    // No discarding hooks here: a new connection would be a new, empty database.
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

/// The pool's hooks. A transaction that failed badly (SQLite rolled it back itself after a
/// disk-full or I/O error, so sqlx's own rollback failed) leaves sqlx believing the connection
/// is still inside it, and every later `BEGIN IMMEDIATE` on it fails: such a connection is
/// closed, never reused. No connection is handed out once the file at the path is not the one
/// opened (`watched`).
fn guarded(pool: SqlitePoolOptions, watched: Watched) -> SqlitePoolOptions {
    let watched = Arc::new(watched);
    let on_acquire = watched.clone();
    pool.after_connect(move |_conn, _meta| {
        let watched = watched.clone();
        Box::pin(async move { still_there(&watched) })
    })
    .before_acquire(move |conn, _meta| {
        let watched = on_acquire.clone();
        Box::pin(async move {
            still_there(&watched)?;
            Ok(!left_in_transaction(conn))
        })
    })
    .after_release(|conn, _meta| {
        Box::pin(async move {
            // A dropped transaction queues its rollback; this round trip runs after it.
            conn.ping().await?;
            Ok(!left_in_transaction(conn))
        })
    })
}

fn still_there(watched: &Watched) -> Result<(), sqlx::Error> {
    watched.check().map_err(|gone| {
        sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            gone.to_string(),
        ))
    })
}

fn left_in_transaction(conn: &sqlx::SqliteConnection) -> bool {
    let open = conn.is_in_transaction();
    if open {
        tracing::warn!("a database connection was left inside a failed transaction; discarded");
    }
    open
}

/// What lies at `path`, changing nothing there: `inspect`'s checks, then, for an SQLite file,
/// its tables read over a plain connection (no journal mode set, nothing written). Errors: the
/// file is refused, or SQLite cannot read it.
pub async fn examine(path: &Path) -> Result<Found, StoreError> {
    let found = inspect(path)?;
    if found == Found::Sqlite {
        let shown = path.display().to_string();
        let opened = |source| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(BUSY_TIMEOUT);
        let mut probe = sqlx::SqliteConnection::connect_with(&options)
            .await
            .map_err(opened)?;
        let kyodo = is_kyodo_or_blank(&mut probe).await;
        probe.close().await.map_err(opened)?;
        if !kyodo.map_err(opened)? {
            return Err(Refused::Foreign { path: shown }.into());
        }
    }
    Ok(found)
}

/// True when the database has no tables yet, or was made by kyodo's migrations (the first
/// one's checksum matches): anything else is another program's database.
async fn is_kyodo_or_blank(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    let tables = crate::db::schema::table_names(conn).await?;
    if tables.is_empty() {
        return Ok(true);
    }
    if !tables.iter().any(|t| t == "_sqlx_migrations") {
        return Ok(false);
    }
    let Some(first) = MIGRATOR.iter().next() else {
        return Ok(true);
    };
    let stored = crate::db::schema::migration_checksum(conn, first.version).await?;
    Ok(stored.is_some_and(|checksum| checksum == first.checksum.as_ref()))
}

/// True for SQLite's "busy" answers (another writer held the database past `BUSY_TIMEOUT`):
/// worth telling the person to try again, as nothing was written.
pub fn is_busy(error: &sqlx::Error) -> bool {
    // Primary result codes SQLITE_BUSY (5) and SQLITE_LOCKED (6); extended codes keep them in
    // the low byte (sqlite.org/rescode.html).
    match error {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6)),
        _ => false,
    }
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
        crate::db::testing::scalar(pool, "SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .await
    }

    #[tokio::test]
    async fn a_fresh_file_is_created_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.db");
        let pool = open(&path).await.unwrap();
        assert!(path.exists());
        assert_eq!(applied(&pool).await, MIGRATOR.iter().count() as i64);
        let mode: String = crate::db::testing::scalar(&pool, "PRAGMA journal_mode").await;
        assert_eq!(mode, "wal");
        let keys: i64 = crate::db::testing::scalar(&pool, "PRAGMA foreign_keys").await;
        assert_eq!(keys, 1);
    }

    #[tokio::test]
    async fn reopening_a_migrated_file_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("again.db");
        let pool = open(&path).await.unwrap();
        crate::db::testing::exec(
            &pool,
            "INSERT INTO user_preferences (user_id, language) VALUES ('u1', 'en')",
        )
        .await
        .unwrap();
        pool.close().await;
        let pool = open(&path).await.unwrap();
        assert_eq!(applied(&pool).await, MIGRATOR.iter().count() as i64);
        let language: String = crate::db::testing::scalar(
            &pool,
            "SELECT language FROM user_preferences WHERE user_id = 'u1'",
        )
        .await;
        assert_eq!(language, "en");
    }

    #[tokio::test]
    async fn foreign_keys_are_enforced() {
        let pool = open_in_memory().await.unwrap();
        let refused = crate::db::testing::exec(&pool, "INSERT INTO organization_fields (organization_id, field_no, position) VALUES ('nobody', 1, 0)").await;
        assert!(refused.is_err());
    }

    #[tokio::test]
    async fn another_programs_database_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        crate::db::testing::exec_on(&mut conn, "CREATE TABLE customers (id INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        conn.close().await.unwrap();
        let error = open(&path).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("database {} belongs to another program (its tables are not kyodo's): name kyodo's database with --db or `database` in config.toml", path.display())
        );
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        let tables: Vec<String> = crate::db::testing::column(
            &mut conn,
            "SELECT name FROM sqlite_master WHERE type = 'table'",
        )
        .await;
        assert_eq!(tables, vec!["customers".to_string()], "nothing was added");
        let mode: String = crate::db::testing::scalar_on(&mut conn, "PRAGMA journal_mode").await;
        assert_eq!(mode, "delete", "its journal mode is left as it was");
    }

    #[tokio::test]
    async fn a_removed_file_is_never_written_again_nor_recreated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.db");
        let pool = open(&path).await.unwrap();
        std::fs::remove_file(&path).unwrap();
        let write = crate::db::testing::exec(
            &pool,
            "INSERT INTO user_preferences (user_id, language) VALUES ('u1', 'en')",
        )
        .await;
        let error = write.unwrap_err().to_string();
        // The idle connection is refused (the file is gone); a new one may not create it.
        assert!(error.contains("unable to open database file"), "{error}");
        assert!(!path.exists(), "no empty database appeared in its place");
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
