//! `delivery_failures`: deliveries Discord refused for good (ids and codes only), for later
//! features to act on.

use sqlx::{SqliteConnection, SqlitePool};

/// Records one refusal: `target_kind` `user` or `channel`, the HTTP status and Discord's code.
pub async fn record(
    pool: &SqlitePool,
    target_kind: &str,
    target_id: &str,
    status: i64,
    code: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO delivery_failures (target_kind, target_id, status, code, failed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        target_kind,
        target_id,
        status,
        code,
        at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes refusals recorded at or before `before`.
pub async fn purge(conn: &mut SqliteConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM delivery_failures WHERE failed_at <= ?1",
        before
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
