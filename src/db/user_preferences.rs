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
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO user_preferences (user_id, language) VALUES (?1, ?2)
         ON CONFLICT (user_id) DO UPDATE SET language = ?2",
        user_id,
        language
    )
    .execute(pool)
    .await?;
    Ok(())
}
