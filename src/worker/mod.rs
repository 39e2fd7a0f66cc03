//! Background work, one job per file, each with its own cadence and its own error handling so a
//! failing job never holds back the others:
//!
//! - `schedules.rs`: scheduled posts, each fire claimed in the database before it posts;
//! - `expiry.rs`: offers nobody answered in time go to the next advisor;
//! - `retention.rs`: hourly, the retention purge (`crate::retention` has the rules);
//! - `delivery.rs`: the outbox, delivered through the transport handed in ([`Deliverer`]).
//!
//! `kyodo run` and the console drive the same [`Worker`]; tests call [`Worker::tick`] on a
//! controlled clock.

pub mod delivery;
mod expiry;
mod retention;
mod schedules;

use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use crate::chat::Chat;
pub use crate::outbox::Sent;
pub use delivery::{DeliverError, Deliverer};

/// The background jobs of one chat.
pub struct Worker {
    chat: Arc<Chat>,
    /// When the retention purge last ran (it runs hourly).
    last_purge: AtomicI64,
    /// False for a console on a running bot's database: that bot does the work there.
    runs_jobs: bool,
}

/// Which jobs failed in one tick (each was logged with its detail).
#[derive(Debug, thiserror::Error)]
#[error("background jobs failed: {}", .0.join(", "))]
pub struct JobsFailed(pub Vec<&'static str>);

/// A worker stands for its chat (tests and the console read the chat through it).
impl std::ops::Deref for Worker {
    type Target = Chat;

    fn deref(&self) -> &Chat {
        &self.chat
    }
}

impl Worker {
    pub fn new(chat: Arc<Chat>) -> Worker {
        Worker {
            chat,
            last_purge: AtomicI64::new(i64::MIN),
            runs_jobs: true,
        }
    }

    /// A worker that runs no job at all: nothing claimed, delivered, expired or purged (a
    /// console on a database a `kyodo run` uses, see `db::meta::production_since`).
    pub fn idle(chat: Arc<Chat>) -> Worker {
        Worker {
            runs_jobs: false,
            ..Worker::new(chat)
        }
    }

    pub fn chat(&self) -> &Chat {
        &self.chat
    }

    /// Runs every job once, in order: schedules first (so a fire is claimed within a tick of
    /// its time), then offer expiry, retention, and delivery. A job that fails is logged and
    /// the others still run. Returns how many messages were delivered.
    pub async fn tick<D: Deliverer>(&self, deliverer: &D) -> Result<usize, JobsFailed> {
        // Memory only, no row: an idle worker lets old searches go too.
        self.chat.forget_old_searches();
        if !self.runs_jobs {
            return Ok(0);
        }
        let mut failed = Vec::new();
        if let Err(error) = schedules::run(&self.chat).await {
            tracing::error!(%error, "scheduled posts");
            failed.push("schedules");
        }
        if let Err(error) = expiry::run(&self.chat).await {
            tracing::error!(%error, "offer expiry");
            failed.push("offer expiry");
        }
        if let Err(error) = retention::run(&self.chat, &self.last_purge).await {
            tracing::error!(%error, "retention purge");
            failed.push("retention");
        }
        let delivered = match self.deliver_due(deliverer).await {
            Ok(delivered) => delivered,
            Err(error) => {
                tracing::error!(%error, "outbox delivery");
                failed.push("delivery");
                0
            }
        };
        if failed.is_empty() {
            Ok(delivered)
        } else {
            Err(JobsFailed(failed))
        }
    }

    /// Delivers every due outbox row once; returns how many were delivered.
    pub async fn deliver_due<D: Deliverer>(&self, deliverer: &D) -> Result<usize, sqlx::Error> {
        delivery::deliver_due(&self.chat, deliverer).await
    }

    /// Runs `tick` whenever the outbox changes, and at least every `every`, until `stop`.
    pub async fn run<D: Deliverer>(
        self,
        deliverer: D,
        every: Duration,
        stop: Arc<tokio::sync::Notify>,
    ) {
        loop {
            // Failures are logged inside; the loop goes on.
            let _ = self.tick(&deliverer).await;
            tokio::select! {
                () = stop.notified() => return,
                () = self.chat.outbox_wait(every) => {}
            }
        }
    }
}
