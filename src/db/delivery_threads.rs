//! `delivery_threads`: the private thread an outbox delivery opened, so a retry reuses it.

use sqlx::SqlitePool;

/// The thread opened for the delivery `dedupe_key`, if one was.
pub async fn find(pool: &SqlitePool, dedupe_key: &str) -> Result<Option<u64>, sqlx::Error> {
    let found = sqlx::query_scalar!(
        "SELECT thread_id FROM delivery_threads WHERE dedupe_key = ?1",
        dedupe_key
    )
    .fetch_optional(pool)
    .await?;
    Ok(found.and_then(|id| id.parse().ok()))
}

/// Remembers that the delivery `dedupe_key` opened `thread_id` (at Unix seconds `now`).
pub async fn remember(
    pool: &SqlitePool,
    dedupe_key: &str,
    thread_id: u64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let thread_id = thread_id.to_string();
    sqlx::query!(
        "INSERT INTO delivery_threads (dedupe_key, thread_id, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (dedupe_key) DO NOTHING",
        dedupe_key,
        thread_id,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}
