//! `delivery_failures`: what Discord refused for good (ids and codes only, never text).

use sqlx::SqlitePool;

/// Records one refusal: `target_kind` is `channel` or `user`, `status` the HTTP status and
/// `code` Discord's JSON error code (50007: DMs closed; 50013: missing permissions).
pub async fn record(
    pool: &SqlitePool,
    target_kind: &str,
    target_id: u64,
    status: u16,
    code: i64,
    failed_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO delivery_failures (target_kind, target_id, status, code, failed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(target_kind)
    .bind(target_id.to_string())
    .bind(i64::from(status))
    .bind(code)
    .bind(failed_at)
    .execute(pool)
    .await?;
    Ok(())
}
