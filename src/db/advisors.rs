//! `advisors`: the registry import's writes that the per-row upsert cannot do alone.

use sqlx::SqliteConnection;

/// Gives each of `ids` a placeholder Discord id (`moving:ID`) before they are saved again, so
/// a file where two advisors swap accounts passes the one-account-one-advisor index, which
/// holds again once every row of the file is saved.
pub async fn release_user_ids(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("UPDATE advisors SET discord_user_id = 'moving:' || id WHERE id = ?1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
