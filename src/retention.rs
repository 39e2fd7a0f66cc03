//! The retention rules, in one place: how long each kind of stored data lives, and the purge
//! that enforces it (run hourly by the worker).
//!
//! | data (table) | kept | then |
//! |---|---|---|
//! | consultation topic and note (`consultations`) | `consult.retention_days` after closing | text emptied, requester removed; number, route, states and times stay |
//! | requester in the audit trail (`consultation_events`) | as above | replaced by `requester:purged` |
//! | message bodies (`outbox.payload`) | `consult.retention_days` after writing | emptied; one never delivered by then is given up |
//! | message addresses (`outbox.target_id`) | `consult.retention_days` after writing, once finished | removed |
//! | unmet-search terms with their person (`search_misses`) | 90 days | deleted |
//! | half-finished requests (`conversation_steps`) | 30 minutes | deleted with any topic typed |

use sqlx::SqlitePool;

use crate::db;

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
    db::outbox::purge_payloads(&mut tx, before).await?;
    db::outbox::forget_targets(&mut tx, before).await?;
    db::search_misses::purge(&mut tx, now - SEARCH_MISS_DAYS * 86_400).await?;
    db::conversation_steps::purge_expired(&mut tx, now).await?;
    tx.commit().await?;
    Ok(purged)
}
