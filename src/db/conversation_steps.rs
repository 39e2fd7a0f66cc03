//! `conversation_steps`: a person's half-finished request in one place (consent or topic still
//! to come), with the language it was started in. Never any personal text.

use sqlx::{SqliteConnection, SqlitePool};

/// An open step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    /// `consent` or `topic`.
    pub step: String,
    /// `ja` or `en`.
    pub language: String,
}

/// An open step with whose it is and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStep {
    pub user_id: String,
    pub place: String,
    pub row: StepRow,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Every step stored (expired ones too: the reader's clock decides).
pub async fn all(pool: &SqlitePool) -> Result<Vec<OpenStep>, sqlx::Error> {
    let rows =
        sqlx::query!("SELECT user_id, place, step, language, expires_at FROM conversation_steps")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| OpenStep {
            user_id: r.user_id,
            place: r.place,
            row: StepRow {
                step: r.step,
                language: r.language,
            },
            expires_at: r.expires_at,
        })
        .collect())
}

/// Opens or replaces the person's step in `place`, kept until `expires_at`.
pub async fn set(
    pool: &SqlitePool,
    user_id: &str,
    place: &str,
    row: &StepRow,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO conversation_steps (user_id, place, step, language, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id, place) DO UPDATE SET step = ?3, language = ?4, expires_at = ?5",
        user_id,
        place,
        row.step,
        row.language,
        expires_at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Drops the person's step in `place`; true when there was one.
pub async fn clear(pool: &SqlitePool, user_id: &str, place: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM conversation_steps WHERE user_id = ?1 AND place = ?2",
        user_id,
        place
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes the person's open step of kind `step` in `place` away, atomically (of two racing
/// answers only one gets it); its language when taken.
pub async fn take(
    pool: &SqlitePool,
    user_id: &str,
    place: &str,
    step: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "DELETE FROM conversation_steps
         WHERE user_id = ?1 AND place = ?2 AND step = ?3 AND expires_at > ?4
         RETURNING language",
        user_id,
        place,
        step,
        now
    )
    .fetch_optional(pool)
    .await
}

/// Deletes steps expired by `now`. Returns how many.
pub async fn purge_expired(conn: &mut SqliteConnection, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM conversation_steps WHERE expires_at <= ?1", now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
