//! `conversation_steps`: a person's half-finished request (consent or topic still to come).

use sqlx::SqlitePool;

/// The person's open step (`consent` or `topic`), if it has not expired by `now`.
pub async fn current(
    pool: &SqlitePool,
    user_id: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT step FROM conversation_steps WHERE user_id = ?1 AND expires_at > ?2",
        user_id,
        now
    )
    .fetch_optional(pool)
    .await
}

/// Opens or replaces the person's step, kept until `expires_at`.
pub async fn set(
    pool: &SqlitePool,
    user_id: &str,
    step: &str,
    topic: Option<&str>,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO conversation_steps (user_id, step, topic, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id) DO UPDATE SET step = ?2, topic = ?3, expires_at = ?4",
        user_id,
        step,
        topic,
        expires_at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Drops the person's step; true when there was one.
pub async fn clear(pool: &SqlitePool, user_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM conversation_steps WHERE user_id = ?1", user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes the person's open step of kind `step` away, atomically (of two racing answers only
/// one gets it). `Some(topic)` when taken.
pub async fn take(
    pool: &SqlitePool,
    user_id: &str,
    step: &str,
    now: i64,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let taken = sqlx::query!(
        "DELETE FROM conversation_steps WHERE user_id = ?1 AND step = ?2 AND expires_at > ?3
         RETURNING topic",
        user_id,
        step,
        now
    )
    .fetch_optional(pool)
    .await?;
    Ok(taken.map(|row| row.topic))
}

/// Deletes steps expired by `now` (their text with them). Returns how many.
pub async fn purge_expired(
    conn: &mut sqlx::SqliteConnection,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM conversation_steps WHERE expires_at <= ?1", now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
