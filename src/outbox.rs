//! The outbox: every notification that matters is a row written in the same transaction as the
//! state change it reports, then delivered by a worker with retries and marked sent. A crash or a
//! Discord outage delays a message; it never loses one, and its dedupe key keeps it single.

use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use crate::consult::notice::ConsultNotice;

/// Someone a message calls by name: a role or a user, by chat id. The only mentions a message
/// may make are the ones it lists; text from people and the registry never pings anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mention {
    Role(u64),
    User(u64),
}

impl Mention {
    /// `role:123` or `user:456`, as written in the configuration.
    pub fn parse(text: &str) -> Option<Mention> {
        let (kind, id) = text.trim().split_once(':')?;
        let id: u64 = id.trim().parse().ok().filter(|n| *n > 0)?;
        match kind.trim() {
            "role" => Some(Mention::Role(id)),
            "user" => Some(Mention::User(id)),
            _ => None,
        }
    }
}

/// What a row asks to be delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    Consult(ConsultNotice),
    Digest(Box<crate::remind::digest::Digest>),
    /// Consultations waiting too long (numbers, route and age only).
    Sla(Box<crate::remind::sla::SlaAlert>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A person's direct messages, by chat account id.
    User(u64),
    Channel(u64),
}

impl Target {
    fn parts(self) -> (&'static str, String) {
        match self {
            Target::User(id) => ("user", id.to_string()),
            Target::Channel(id) => ("channel", id.to_string()),
        }
    }
}

/// Adds a message to deliver now; a second row with the same key is ignored.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    now: i64,
    dedupe_key: &str,
    target: Target,
    notice: &Notice,
    subject: Option<&str>,
) -> Result<(), sqlx::Error> {
    enqueue_at(conn, now, dedupe_key, target, notice, subject, None).await
}

/// Adds a message to deliver no earlier than `not_before` (None: now).
pub async fn enqueue_at(
    conn: &mut SqliteConnection,
    now: i64,
    dedupe_key: &str,
    target: Target,
    notice: &Notice,
    subject: Option<&str>,
    not_before: Option<i64>,
) -> Result<(), sqlx::Error> {
    let (kind, id) = target.parts();
    let payload = serde_json::to_string(notice).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT OR IGNORE INTO outbox (dedupe_key, target_kind, target_id, payload, subject, state,
             next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?7, ?6)",
    )
    .bind(dedupe_key)
    .bind(kind)
    .bind(id)
    .bind(payload)
    .bind(subject)
    .bind(now)
    .bind(not_before.unwrap_or(now).max(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// A row claimed for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub dedupe_key: String,
    pub target: Target,
    pub notice: Option<Notice>,
    pub subject: Option<String>,
    pub attempts: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    dedupe_key: String,
    target_kind: String,
    target_id: String,
    payload: String,
    subject: Option<String>,
    attempts: i64,
}

/// A claim older than this is from a worker that died mid-send: the row is due again.
pub const STALE_CLAIM_SECS: i64 = 120;

/// Claims up to `limit` due rows (pending, or claimed by a worker that died), atomically, so
/// two workers never send the same row.
pub async fn claim_due(
    pool: &SqlitePool,
    now: i64,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let rows: Vec<Row> = sqlx::query_as(
        "UPDATE outbox SET state = 'sending', claimed_at = ?1, attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM outbox
             WHERE (state = 'pending' AND next_attempt_at <= ?1)
                OR (state = 'sending' AND claimed_at <= ?1 - ?2)
             ORDER BY id LIMIT ?3)
         RETURNING id, dedupe_key, target_kind, target_id, payload, subject, attempts",
    )
    .bind(now)
    .bind(STALE_CLAIM_SECS)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut claimed: Vec<Claimed> = rows
        .into_iter()
        .map(|row| {
            let id: u64 = row.target_id.parse().unwrap_or(0);
            Claimed {
                id: row.id,
                dedupe_key: row.dedupe_key,
                target: if row.target_kind == "channel" {
                    Target::Channel(id)
                } else {
                    Target::User(id)
                },
                notice: serde_json::from_str(&row.payload).ok(),
                subject: row.subject,
                attempts: row.attempts,
            }
        })
        .collect();
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

pub async fn mark_sent(pool: &SqlitePool, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1")
        .bind(id)
        .bind(now)
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
    sqlx::query(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
    )
    .bind(id)
    .bind(at)
    .bind(error)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_failed(pool: &SqlitePool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1")
        .bind(id)
        .bind(error)
        .execute(pool)
        .await?;
    Ok(())
}

/// Rows not yet delivered (pending or in flight).
pub async fn pending_count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
        .fetch_one(pool)
        .await
}
