//! `kyodo_meta`: facts about the database itself (see migrations/0006).

use sqlx::{SqliteConnection, SqlitePool};

const PRODUCTION_SINCE: &str = "production_since";
const DEMO_ROWS_RECOGNISED: &str = "demo_rows_recognised";

/// Marks the database as a running bot's (`kyodo run`); the first mark's time is kept.
pub async fn mark_production(pool: &SqlitePool, now: i64) -> Result<(), sqlx::Error> {
    let now = now.to_string();
    sqlx::query!(
        "INSERT INTO kyodo_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        PRODUCTION_SINCE,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// When `kyodo run` first used this database (unix seconds); `None`: never.
pub async fn production_since(pool: &SqlitePool) -> Result<Option<i64>, sqlx::Error> {
    let value = value_of(pool, PRODUCTION_SINCE).await?;
    Ok(value.and_then(|v| v.parse().ok()))
}

/// True while the demo rows of a database older than migration 0006 are still to be recognised.
pub async fn demo_rows_unrecognised(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    let value = value_of(&mut *conn, DEMO_ROWS_RECOGNISED).await?;
    Ok(value.as_deref() == Some("0"))
}

pub async fn set_demo_rows_recognised(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE kyodo_meta SET value = '1' WHERE key = ?1",
        DEMO_ROWS_RECOGNISED
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The value stored under `key`, if any.
async fn value_of<'c, E>(executor: E, key: &str) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    sqlx::query_scalar!("SELECT value FROM kyodo_meta WHERE key = ?1", key)
        .fetch_optional(executor)
        .await
}
