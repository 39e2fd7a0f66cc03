//! Outbox delivery: takes due rows, renders them, hands them to the transport, and records the
//! outcome. Transient failures back off (growing to an hour, never giving up); a refusal is
//! final, and a refused offer moves the consultation on.

use std::future::Future;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use crate::chat::notices::{self, Notice};
use crate::chat::{Chat, Reply};
use crate::outbox::{self, Sent, Subject, Target};

/// What a transport says about one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliverError {
    /// Refused for good (DMs closed, no access): never retried.
    Refused(String),
    /// Could not deliver now (outage, rate limit): try again later, on the outbox's back-off.
    Later(String),
    /// Rate limited for `retry_after` (the server's word): try again no earlier than that.
    RateLimited { why: String, retry_after: Duration },
}

/// A transport's way of delivering outbox messages.
pub trait Deliverer: Send + Sync {
    /// Sends one message; the ids of what was sent. `key` is the row's dedupe key: a transport
    /// that can (Discord's nonce) uses it so a repeated delivery is recognised.
    fn deliver(
        &self,
        target: Target,
        reply: &Reply,
        key: &str,
    ) -> impl Future<Output = Result<Vec<Sent>, DeliverError>> + Send;

    /// Removes a message sent earlier (a thread, for `message` 0); one already gone is done.
    fn remove(&self, sent: Sent) -> impl Future<Output = Result<(), DeliverError>> + Send;

    /// How many destinations it delivers to at once (one destination's rows always go in
    /// order). 1: every row in order, as claimed.
    fn destinations_at_once(&self) -> usize {
        1
    }
}

const BATCH: i64 = 50;

/// Seconds to wait before attempt `attempts + 1`: 10 s doubling, at most an hour.
fn backoff(attempts: i64) -> i64 {
    (5i64 << attempts.clamp(0, 10)).min(3600)
}

/// Delivers every due outbox row once; returns how many were delivered. Rows for one
/// destination go in order; destinations go side by side (as many as the transport takes), so
/// one slow channel or person holds back only their own rows.
pub async fn deliver_due<D: Deliverer>(chat: &Chat, deliverer: &D) -> Result<usize, sqlx::Error> {
    let mut delivered = 0;
    loop {
        let now = chat.clock().now();
        let claimed = outbox::claim_due(chat.pool(), now, BATCH).await?;
        if claimed.is_empty() {
            return Ok(delivered);
        }
        let at_once = deliverer.destinations_at_once().max(1);
        let mut groups: Vec<(Target, Vec<outbox::Claimed>)> = Vec::new();
        for row in claimed {
            match groups
                .iter_mut()
                .find(|(t, _)| at_once == 1 || *t == row.target)
            {
                Some((_, rows)) => rows.push(row),
                None => groups.push((row.target, vec![row])),
            }
        }
        let outcomes: Vec<Result<usize, sqlx::Error>> = stream::iter(groups)
            .map(|(_, rows)| deliver_rows(chat, deliverer, rows, now))
            .buffer_unordered(at_once)
            .collect()
            .await;
        for outcome in outcomes {
            delivered += outcome?;
        }
    }
}

/// Delivers `rows` (one destination's) one after another; how many were delivered.
async fn deliver_rows<D: Deliverer>(
    chat: &Chat,
    deliverer: &D,
    rows: Vec<outbox::Claimed>,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let pool = chat.pool();
    let mut delivered = 0;
    for row in rows {
        let Some(notice) = Notice::decode(&row.payload) else {
            outbox::mark_failed(pool, row.id, "unreadable payload").await?;
            continue;
        };
        if !still_wanted(chat, row.subject).await? {
            outbox::mark_failed(pool, row.id, "offer closed before delivery").await?;
            continue;
        }
        let outcome = match &notice {
            Notice::Removal(removal) => deliverer.remove(removal.sent()).await.map(|()| vec![]),
            _ => {
                let reply = notices::render(&notice, chat.prompts(), now, chat.chart_font());
                deliverer.deliver(row.target, &reply, &row.dedupe_key).await
            }
        };
        match outcome {
            Ok(sent) => {
                let at = chat.clock().now();
                remember_private(chat, &notice, &sent, at).await?;
                outbox::mark_sent(pool, row.id, at).await?;
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
            // The server said when: its wait (whole seconds, rounded up), counted from the
            // refusal, not from the claim, and not the outbox's own guess. The clock reads
            // whole seconds and the refusal came somewhere in the current one, so the wait is
            // counted from that second's end: never a retry before the server's time.
            Err(DeliverError::RateLimited { why, retry_after }) => {
                let wait =
                    i64::try_from(retry_after.as_millis().div_ceil(1000)).unwrap_or(i64::MAX);
                let at = chat.clock().now().saturating_add(1).saturating_add(wait);
                outbox::mark_retry(pool, row.id, at, &why).await?;
            }
        }
    }
    Ok(delivered)
}

/// Messages that carry a consultation's private text are remembered by id, so retention can
/// remove them from the transport too (`crate::retention`).
async fn remember_private(
    chat: &Chat,
    notice: &Notice,
    sent: &[Sent],
    at: i64,
) -> Result<(), sqlx::Error> {
    let Notice::Consult(consult) = notice else {
        return Ok(());
    };
    if !consult.carries_private_text() {
        return Ok(());
    }
    for s in sent {
        let (channel, message) = (s.channel.to_string(), s.message.to_string());
        let consultation = consult.consultation();
        crate::db::private_messages::record(chat.pool(), consultation, &channel, &message, at)
            .await?;
    }
    Ok(())
}

/// An offer DM is only worth sending while the offer is open (not cancelled, withdrawn or
/// expired meanwhile).
async fn still_wanted(chat: &Chat, subject: Option<Subject>) -> Result<bool, sqlx::Error> {
    match subject {
        Some(Subject::Offer(offer)) => {
            let state = crate::db::offers::state_of(chat.pool(), offer).await?;
            Ok(state.as_deref() == Some("open"))
        }
        Some(Subject::Thread(_)) | None => Ok(true),
    }
}

/// An offer that could not reach its advisor goes to the next one; a private thread that
/// could not be made becomes the advisor-DM route, and both people are told.
async fn undeliverable(chat: &Chat, subject: Option<Subject>) {
    let now = chat.clock().now();
    let offer = match subject {
        Some(Subject::Offer(offer)) => offer,
        Some(Subject::Thread(id)) => {
            match crate::consult::thread_fallback::no_thread(chat.pool(), now, id).await {
                Ok(()) => {
                    tracing::info!(consultation = id, "no private thread; advisor-DM route");
                    chat.outbox_changed();
                }
                Err(error) => tracing::warn!(consultation = id, %error, "thread fallback failed"),
            }
            return;
        }
        None => return,
    };
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
