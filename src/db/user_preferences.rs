//! `user_preferences`: the language a person chose with `/language`.

use sqlx::SqlitePool;

/// Every chosen language as (user id, language code).
pub async fn all_languages(pool: &SqlitePool) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!("SELECT user_id, language FROM user_preferences")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.language)).collect())
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
