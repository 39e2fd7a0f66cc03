//! `private_messages`: the bot's messages that carry a consultation's private text, by id, so
//! retention can remove them from Discord as well.

use sqlx::{SqliteConnection, SqlitePool};

/// A message to remove: `message_id` 0 stands for the channel itself (a private thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub consultation_id: i64,
    pub channel_id: String,
    pub message_id: String,
}

/// Remembers a message the bot sent about `consultation` (a second record of it is ignored).
pub async fn record(
    pool: &SqlitePool,
    consultation: i64,
    channel_id: &str,
    message_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT OR IGNORE INTO private_messages (consultation_id, channel_id, message_id, sent_at)
         VALUES (?1, ?2, ?3, ?4)",
        consultation,
        channel_id,
        message_id,
        at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks, and returns, the not yet removed messages of consultations whose text is purged.
pub async fn take_purged(
    conn: &mut SqliteConnection,
    now: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as!(
        MessageRow,
        r#"UPDATE private_messages SET redacted_at = ?1
           WHERE redacted_at IS NULL AND consultation_id IN (
               SELECT id FROM consultations WHERE purged_at IS NOT NULL)
           RETURNING consultation_id AS "consultation_id!", channel_id AS "channel_id!",
               message_id AS "message_id!""#,
        now
    )
    .fetch_all(conn)
    .await
}
