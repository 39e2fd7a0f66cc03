//! The delivery worker: takes due outbox rows, renders them, hands them to the transport, and
//! records the outcome. Retries back off; a refusal of an offer moves the consultation on.
//! Also runs the chat's timed work: offer time-outs and the retention purge.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use super::dispatch::Chat;
use super::notices;
use super::reply::Reply;
use crate::outbox::{self, Target};

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

    /// How many destinations it delivers to at once (one destination's rows always go in
    /// order). 1: every row in order, as claimed.
    fn destinations_at_once(&self) -> usize {
        1
    }
}

const BATCH: i64 = 50;

/// Waits grow to an hour and stay there: an outage delays a message, it never drops it.
fn backoff(attempts: i64) -> i64 {
    (5i64 << attempts.clamp(0, 10)).min(3600)
}

impl Chat {
    /// Delivers every due outbox row once; returns how many were delivered.
    pub async fn deliver_due<D: Deliverer>(&self, deliverer: &D) -> Result<usize, sqlx::Error> {
        let mut delivered = 0;
        loop {
            let now = self.clock().now();
            let claimed = outbox::claim_due(self.pool(), now, BATCH).await?;
            if claimed.is_empty() {
                return Ok(delivered);
            }
            // Rows for one destination go in order; destinations go side by side, so one slow
            // channel or user holds back only its own rows.
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
                .map(|(_, rows)| self.deliver_rows(deliverer, rows, now))
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
        &self,
        deliverer: &D,
        rows: Vec<outbox::Claimed>,
        now: i64,
    ) -> Result<usize, sqlx::Error> {
        let mut delivered = 0;
        for row in rows {
            let Some(notice) = &row.notice else {
                outbox::mark_failed(self.pool(), row.id, "unreadable payload").await?;
                continue;
            };
            if !self.still_wanted(row.subject.as_deref()).await? {
                outbox::mark_failed(self.pool(), row.id, "offer closed before delivery").await?;
                continue;
            }
            let reply = notices::render(notice, self.prompts(), now, self.chart_font());
            match deliverer.deliver(row.target, &reply, &row.dedupe_key).await {
                Ok(()) => {
                    outbox::mark_sent(self.pool(), row.id, self.clock().now()).await?;
                    delivered += 1;
                }
                Err(DeliverError::Refused(why)) => {
                    outbox::mark_failed(self.pool(), row.id, &why).await?;
                    self.undeliverable(row.subject.as_deref()).await;
                }
                Err(DeliverError::Later(why)) => {
                    outbox::mark_retry(self.pool(), row.id, now + backoff(row.attempts), &why)
                        .await?;
                }
            }
        }
        Ok(delivered)
    }

    /// An offer DM is only worth sending while the offer is open (not cancelled, withdrawn or
    /// expired meanwhile).
    async fn still_wanted(&self, subject: Option<&str>) -> Result<bool, sqlx::Error> {
        let Some(offer) = subject
            .and_then(|s| s.strip_prefix("offer:"))
            .and_then(|n| n.parse::<i64>().ok())
        else {
            return Ok(true);
        };
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM consultation_offers WHERE id = ?1")
                .bind(offer)
                .fetch_optional(self.pool())
                .await?;
        Ok(state.as_deref() == Some("open"))
    }

    /// An offer that could not reach its advisor goes to the next one; a private thread that
    /// could not be made becomes the advisor-DM route, and both people are told.
    async fn undeliverable(&self, subject: Option<&str>) {
        if let Some(id) = subject.and_then(crate::consult::thread_fallback::consultation_of) {
            let now = self.clock().now();
            match crate::consult::thread_fallback::no_thread(self.pool(), now, id).await {
                Ok(()) => {
                    tracing::info!(consultation = id, "no private thread; advisor-DM route");
                    self.outbox_changed();
                }
                Err(error) => tracing::warn!(consultation = id, %error, "thread fallback failed"),
            }
            return;
        }
        let Some(offer) = subject
            .and_then(|s| s.strip_prefix("offer:"))
            .and_then(|n| n.parse::<i64>().ok())
        else {
            return;
        };
        let now = self.clock().now();
        match crate::consult::service::undeliverable(
            self.pool(),
            now,
            self.consult_settings(),
            &self.searcher(),
            offer,
        )
        .await
        {
            Ok(c) => tracing::info!(consultation = c.id, offer, "offer undeliverable; moved on"),
            Err(error) => tracing::warn!(offer, %error, "undeliverable offer not moved on"),
        }
    }

    /// Timed work: offers past their time go on, deliveries go out, old personal text goes.
    pub async fn tick<D: Deliverer>(&self, deliverer: &D) -> Result<usize, anyhow::Error> {
        let now = self.clock().now();
        // Scheduled posts first, so a fire is claimed (once) within a tick of its time.
        let posting: Vec<_> = self
            .settings()
            .schedules
            .iter()
            .filter(|s| s.channel != 0)
            .cloned()
            .collect();
        let outcomes =
            crate::remind::scheduler::run_due(self.pool(), now, &posting, &self.settings().plan)
                .await?;
        for outcome in outcomes {
            tracing::info!(?outcome, "schedule");
        }
        crate::consult::service::expire_due(
            self.pool(),
            now,
            self.consult_settings(),
            &self.searcher(),
        )
        .await?;
        if self.purge_due(now) {
            crate::consult::service::purge_closed(
                self.pool(),
                now,
                self.settings().retention_days.max(1),
            )
            .await?;
        }
        Ok(self.deliver_due(deliverer).await?)
    }

    /// Runs `tick` whenever the outbox changes, and at least every `every`, until `stop`.
    pub async fn run_worker<D: Deliverer>(
        self: Arc<Self>,
        deliverer: D,
        every: Duration,
        stop: Arc<tokio::sync::Notify>,
    ) {
        loop {
            if let Err(error) = self.tick(&deliverer).await {
                tracing::error!(%error, "delivery worker");
            }
            tokio::select! {
                () = stop.notified() => return,
                () = self.outbox_wait(every) => {}
            }
        }
    }
}
