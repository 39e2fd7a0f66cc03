//! The retention rules, in one place: how long each kind of stored data lives, and the purge
//! that enforces it (run hourly by the worker).
//!
//! | data (table) | kept | then |
//! |---|---|---|
//! | consultation topic and note (`consultations`) | `consult.retention_days` after closing | text emptied, requester removed; number, route, states and times stay |
//! | requester in the audit trail (`consultation_events`) | as above | replaced by `requester:purged` |
//! | a rating's comment (`consultation_ratings.comment`) | as above | emptied; the score stays |
//! | messages about a consultation (`outbox`) | as long as its text | body and address emptied; one never delivered by then is given up |
//! | the bot's Discord messages with the text (`private_messages`: the topic to the advisor, the note to the requester, the private thread) | as long as its text | deleted on Discord through the outbox |
//! | refused deliveries (`delivery_failures`: a person's id) | `consult.retention_days` | deleted |
//! | a chosen language (`user_preferences`) | `consult.retention_days` after it was set | deleted (set it again with `/language`) |
//! | unmet-search terms with their person (`search_misses`) | 90 days | deleted |
//! | half-finished requests (`conversation_steps`, no text) | 30 minutes | deleted |
//! | a topic typed before consent | never stored: memory only, 30 minutes | forgotten |
//! | a short search as typed, with its outcome (`directory::search::recent`) | never stored: memory only, 30 minutes | forgotten (the worker looks every tick) |
//! | digests and other figures (`outbox` without a consultation, `schedule_runs`, `progress_updates`) | kept | — |

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::db;
use crate::outbox::Sent;
use crate::outbox::{self, Envelope, Target};

/// A message of the bot's to remove (delivered through the outbox, so a crash or an outage
/// delays a removal and never loses it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub channel: u64,
    /// 0: the channel itself (a private thread).
    pub message: u64,
}

impl Removal {
    pub fn sent(&self) -> Sent {
        Sent {
            channel: self.channel,
            message: self.message,
        }
    }
}

impl outbox::Payload for Removal {
    const KIND: &'static str = "removal";
}

/// How long unmet-search terms keep the person who searched (days).
pub const SEARCH_MISS_DAYS: i64 = 90;

/// Applies every rule at `now` (unix seconds), in one transaction; returns how many
/// consultations lost their text.
pub async fn purge(pool: &SqlitePool, now: i64, retention_days: i64) -> Result<u64, sqlx::Error> {
    let before = now - retention_days * 86_400;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // Who asked goes with what they asked: events keep their figures, not the person.
    db::events::forget_requesters(&mut tx, before).await?;
    let purged = db::consultations::purge_closed(&mut tx, before, now).await?;
    db::consultation_ratings::purge_comments(&mut tx).await?;
    db::outbox::purge_for_purged(&mut tx, before).await?;
    // The bot's messages that carried the text go too (ids only in these rows).
    for message in db::private_messages::take_purged(&mut tx, now).await? {
        let removal = Removal {
            channel: message.channel_id.parse().unwrap_or(0),
            message: message.message_id.parse().unwrap_or(0),
        };
        let key = format!("removal:{}:{}", removal.channel, removal.message);
        let envelope = Envelope::to(&key, Target::Channel(removal.channel));
        outbox::enqueue(&mut tx, now, envelope, &removal).await?;
    }
    db::delivery_failures::purge(&mut tx, before).await?;
    db::user_preferences::purge(&mut tx, before).await?;
    db::search_misses::purge(&mut tx, now - SEARCH_MISS_DAYS * 86_400).await?;
    db::conversation_steps::purge_expired(&mut tx, now).await?;
    tx.commit().await?;
    Ok(purged)
}
