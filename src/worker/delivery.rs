//! Outbox delivery: takes due rows, renders them, hands them to the transport, and records the
//! outcome. Transient failures back off (growing to an hour, never giving up); a refusal is
//! final, and a refused offer moves the consultation on.

use std::future::Future;

use crate::chat::notices::{self, Notice};
use crate::chat::{Chat, Reply};
use crate::outbox::{self, Subject, Target};

/// What a transport says about one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliverError {
    /// Refused for good (DMs closed, no access): never retried.
    Refused(String),
    /// Could not deliver now (outage, rate limit): try again later.
    Later(String),
}

/// A transport's way of delivering one outbox message. `key` is the row's dedupe key: a
/// transport that can (Discord's nonce) uses it so a repeated delivery is recognised.
pub trait Deliverer: Send + Sync {
    fn deliver(
        &self,
        target: Target,
        reply: &Reply,
        key: &str,
    ) -> impl Future<Output = Result<(), DeliverError>> + Send;
}

const BATCH: i64 = 50;

/// Seconds to wait before attempt `attempts + 1`: 10 s doubling, at most an hour.
fn backoff(attempts: i64) -> i64 {
    (5i64 << attempts.clamp(0, 10)).min(3600)
}

/// Delivers every due outbox row once; returns how many were delivered.
pub async fn deliver_due<D: Deliverer>(chat: &Chat, deliverer: &D) -> Result<usize, sqlx::Error> {
    let pool = chat.pool();
    let mut delivered = 0;
    loop {
        let now = chat.clock().now();
        let claimed = outbox::claim_due(pool, now, BATCH).await?;
        if claimed.is_empty() {
            return Ok(delivered);
        }
        for row in claimed {
            let Some(notice) = Notice::decode(&row.payload) else {
                outbox::mark_failed(pool, row.id, "unreadable payload").await?;
                continue;
            };
            if !still_wanted(chat, row.subject).await? {
                outbox::mark_failed(pool, row.id, "offer closed before delivery").await?;
                continue;
            }
            let reply = notices::render(&notice, chat.prompts(), now, chat.chart_font());
            match deliverer.deliver(row.target, &reply, &row.dedupe_key).await {
                Ok(()) => {
                    outbox::mark_sent(pool, row.id, chat.clock().now()).await?;
                    delivered += 1;
                }
                Err(DeliverError::Refused(why)) => {
                    outbox::mark_failed(pool, row.id, &why).await?;
                    undeliverable(chat, row.subject).await;
                }
                Err(DeliverError::Later(why)) => {
                    let at = now + backoff(row.attempts);
                    outbox::mark_retry(pool, row.id, at, &why).await?;
                }
            }
        }
    }
}

/// An offer DM is only worth sending while the offer is open (not cancelled, withdrawn or
/// expired meanwhile).
async fn still_wanted(chat: &Chat, subject: Option<Subject>) -> Result<bool, sqlx::Error> {
    match subject {
        Some(Subject::Offer(offer)) => {
            let state = crate::db::offers::state_of(chat.pool(), offer).await?;
            Ok(state.as_deref() == Some("open"))
        }
        None => Ok(true),
    }
}

/// An offer that could not reach its advisor goes to the next one.
async fn undeliverable(chat: &Chat, subject: Option<Subject>) {
    let Some(Subject::Offer(offer)) = subject else {
        return;
    };
    let now = chat.clock().now();
    let settings = chat.consult_settings();
    match crate::consult::service::undeliverable(
        chat.pool(),
        now,
        settings,
        &chat.searcher(),
        offer,
    )
    .await
    {
        Ok(c) => tracing::info!(consultation = c.id, offer, "offer undeliverable; moved on"),
        Err(error) => tracing::warn!(offer, %error, "undeliverable offer not moved on"),
    }
}
