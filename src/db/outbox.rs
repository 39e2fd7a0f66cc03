//! `outbox`: messages waiting to be delivered, written in the same transaction as the change
//! they report; a worker claims, delivers and marks them (see `crate::outbox`).

use sqlx::{SqliteConnection, SqlitePool};

/// A row claimed for delivery, as stored.
#[derive(Debug, Clone)]
pub struct ClaimedRow {
    pub id: i64,
    pub dedupe_key: String,
    pub target_kind: String,
    pub target_id: String,
    pub payload: String,
    pub subject: Option<String>,
    pub attempts: i64,
}

/// A message to add; a second row with the same `dedupe_key` is ignored.
pub struct NewRow<'a> {
    pub dedupe_key: &'a str,
    pub target_kind: &'a str,
    pub target_id: &'a str,
    pub payload: &'a str,
    pub subject: Option<&'a str>,
    pub created_at: i64,
    pub not_before: i64,
}

pub async fn insert(conn: &mut SqliteConnection, row: &NewRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT OR IGNORE INTO outbox (dedupe_key, target_kind, target_id, payload, subject, state,
             next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)",
        row.dedupe_key,
        row.target_kind,
        row.target_id,
        row.payload,
        row.subject,
        row.not_before,
        row.created_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due rows (pending and due, or claimed more than `stale_secs` ago by a
/// worker that died) in one write transaction, so two workers never claim the same row.
pub async fn claim_due(
    pool: &SqlitePool,
    now: i64,
    stale_secs: i64,
    limit: i64,
) -> Result<Vec<ClaimedRow>, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let rows = sqlx::query_as!(
        ClaimedRow,
        r#"UPDATE outbox SET state = 'sending', claimed_at = ?1, attempts = attempts + 1
           WHERE id IN (
               SELECT id FROM outbox
               WHERE (state = 'pending' AND next_attempt_at <= ?1)
                  OR (state = 'sending' AND claimed_at <= ?1 - ?2)
               ORDER BY id LIMIT ?3)
           RETURNING id AS "id!", dedupe_key AS "dedupe_key!", target_kind AS "target_kind!",
               target_id AS "target_id!", payload AS "payload!", subject,
               attempts AS "attempts!""#,
        now,
        stale_secs,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn mark_sent(pool: &SqlitePool, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
        id,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_retry(
    pool: &SqlitePool,
    id: i64,
    at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
        id,
        at,
        error
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_failed(pool: &SqlitePool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1",
        id,
        error
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Rows not yet delivered (pending or in flight).
pub async fn pending_count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM outbox WHERE state IN ('pending', 'sending')"#
    )
    .fetch_one(pool)
    .await
}

/// Empties the payload of every row created at or before `before` (an undelivered one is given
/// up); returns the rows changed.
pub async fn purge_payloads(conn: &mut SqliteConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outbox SET payload = '{}',
             state = CASE WHEN state = 'sent' THEN 'sent' ELSE 'failed' END,
             last_error = CASE WHEN state = 'sent' THEN last_error ELSE 'purged by retention' END
         WHERE created_at <= ?1 AND payload <> '{}'",
        before
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Drops the address of finished rows created at or before `before`.
pub async fn forget_targets(conn: &mut SqliteConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outbox SET target_id = '0' WHERE state IN ('sent', 'failed') AND created_at <= ?1",
        before
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
