//! The outbox: every notification that matters is a row written in the same transaction as the
//! state change it reports, then delivered by a worker with retries and marked sent
//! (`crate::worker::delivery`). A crash or a Discord outage delays a message; it never loses
//! one, and its dedupe key keeps it single.
//!
//! The outbox knows no domain: a payload is any [`Payload`] (a consultation notice, a digest),
//! stored as JSON tagged with its kind; the renderer decodes it (`crate::chat::notices`).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::db;
pub use crate::mention::Mention;

/// Something the outbox can carry: serialised as a JSON object with `"kind": KIND` added.
pub trait Payload: Serialize {
    const KIND: &'static str;
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

    fn from_parts(kind: &str, id: &str) -> Target {
        let id: u64 = id.parse().unwrap_or(0);
        if kind == "channel" {
            Target::Channel(id)
        } else {
            Target::User(id)
        }
    }
}

/// What a row is about, when its delivery depends on it: an offer DM is only worth sending
/// while the offer is open, and an undeliverable one moves the consultation on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Offer(i64),
    /// The delivery that opens consultation N's private thread: if it is refused, the
    /// consultation goes the advisor-DM way (`crate::consult::thread_fallback`).
    Thread(i64),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Offer(id) => write!(f, "offer:{id}"),
            Subject::Thread(id) => write!(f, "thread:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown outbox subject {0:?}")]
pub struct UnknownSubject(pub String);

impl FromStr for Subject {
    type Err = UnknownSubject;

    fn from_str(text: &str) -> Result<Subject, UnknownSubject> {
        let unknown = || UnknownSubject(text.to_string());
        match text.split_once(':') {
            Some(("offer", id)) => id.parse().map(Subject::Offer).map_err(|_| unknown()),
            Some(("thread", id)) => id.parse().map(Subject::Thread).map_err(|_| unknown()),
            _ => Err(unknown()),
        }
    }
}

fn encode<P: Payload>(payload: &P) -> Result<String, sqlx::Error> {
    let mut value = serde_json::to_value(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("kind".into(), P::KIND.into());
    }
    Ok(value.to_string())
}

/// Where a message goes and what it is about.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// A second row with the same key is ignored (the message is sent once).
    pub key: &'a str,
    pub target: Target,
    /// What its delivery depends on.
    pub subject: Option<Subject>,
    /// The consultation it tells about: retention empties it with that consultation's text.
    pub consultation: Option<i64>,
    /// Not delivered before this time (unix seconds; None: now).
    pub not_before: Option<i64>,
}

impl<'a> Envelope<'a> {
    /// A message to `target`, due now, about nothing in particular.
    pub fn to(key: &'a str, target: Target) -> Self {
        Envelope {
            key,
            target,
            subject: None,
            consultation: None,
            not_before: None,
        }
    }
}

/// Adds a message to the outbox, in the caller's transaction.
pub async fn enqueue<P: Payload>(
    conn: &mut SqliteConnection,
    now: i64,
    envelope: Envelope<'_>,
    payload: &P,
) -> Result<(), sqlx::Error> {
    let (kind, id) = envelope.target.parts();
    let payload = encode(payload)?;
    let subject = envelope.subject.map(|s| s.to_string());
    let row = db::outbox::NewRow {
        dedupe_key: envelope.key,
        target_kind: kind,
        target_id: &id,
        payload: &payload,
        subject: subject.as_deref(),
        consultation_id: envelope.consultation,
        created_at: now,
        not_before: envelope.not_before.unwrap_or(now).max(now),
    };
    db::outbox::insert(conn, &row).await
}

/// A row claimed for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub dedupe_key: String,
    pub target: Target,
    /// The payload's JSON (tagged with its kind).
    pub payload: String,
    /// What it is about; `None` also for a subject this version cannot read.
    pub subject: Option<Subject>,
    pub attempts: i64,
}

/// A claim older than this is from a worker that died mid-send: the row is due again.
pub const STALE_CLAIM_SECS: i64 = 120;

/// Claims up to `limit` due rows (pending, or claimed by a worker that died), atomically, so
/// two workers never send the same row. Oldest first.
pub async fn claim_due(
    pool: &SqlitePool,
    now: i64,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let rows = db::outbox::claim_due(pool, now, STALE_CLAIM_SECS, limit).await?;
    let mut claimed: Vec<Claimed> = rows
        .into_iter()
        .map(|row| Claimed {
            id: row.id,
            target: Target::from_parts(&row.target_kind, &row.target_id),
            subject: row.subject.as_deref().and_then(|s| match s.parse() {
                Ok(subject) => Some(subject),
                Err(error) => {
                    tracing::warn!(%error, row = row.id, "outbox row with an unreadable subject");
                    None
                }
            }),
            dedupe_key: row.dedupe_key,
            payload: row.payload,
            attempts: row.attempts,
        })
        .collect();
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// A message a transport sent, by id: `message` 0 stands for the channel itself (a private
/// thread the bot opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub channel: u64,
    pub message: u64,
}

pub use db::outbox::{mark_failed, mark_retry, mark_sent, pending_count};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip_and_refuse_the_unknown() {
        let offer = Subject::Offer(12);
        assert_eq!(offer.to_string().parse::<Subject>(), Ok(offer));
        assert!("offer:x".parse::<Subject>().is_err());
        assert!("digest:1".parse::<Subject>().is_err());
    }
}
