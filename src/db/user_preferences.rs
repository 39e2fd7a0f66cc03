//! `user_preferences`: the language a person chose with `/language`.

use sqlx::SqlitePool;

/// The language code a person chose, if any.
pub async fn language(pool: &SqlitePool, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT language FROM user_preferences WHERE user_id = ?1",
        user_id
    )
    .fetch_optional(pool)
    .await
}

/// Records a person's chosen language (`ja` or `en`).
pub async fn set_language(
    pool: &SqlitePool,
    user_id: &str,
    language: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO user_preferences (user_id, language, set_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET language = ?2, set_at = ?3",
        user_id,
        language,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes preferences set at or before `before`.
pub async fn purge(conn: &mut sqlx::SqliteConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM user_preferences WHERE set_at <= ?1", before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
