//! One active instance per database, a standby for the rest. The active `kyodo run` holds a
//! lease row and renews it every third of its lifetime; a second one waits without connecting
//! to Discord (no events handled, no deliveries) and takes the lease over once it has not been
//! renewed for its lifetime: a takeover within `ttl + ttl/3` of the active one stopping.
//! An active instance that finds its lease taken (it was cut off for longer than `ttl`) stops.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::db::instance_lease;

const LEASE: &str = "discord";

pub struct Lease {
    pool: SqlitePool,
    holder: String,
    ttl: Duration,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Lease {
    /// A lease for this process (its id: pid and start time), lasting `ttl` per renewal.
    pub fn new(pool: SqlitePool, ttl: Duration) -> Lease {
        let holder = format!("{}-{}", std::process::id(), now_ms());
        Lease {
            pool,
            holder,
            ttl: ttl.max(Duration::from_millis(300)),
        }
    }

    fn every(&self) -> Duration {
        self.ttl / 3
    }

    async fn take(&self) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let until = now + i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX / 2);
        instance_lease::take(&self.pool, LEASE, &self.holder, now, until).await
    }

    /// Returns once this instance holds the lease; until then it is a standby.
    pub async fn acquire(&self) {
        let mut said = false;
        loop {
            match self.take().await {
                Ok(true) => {
                    if said {
                        tracing::info!("standby: the active instance stopped; taking over");
                    }
                    return;
                }
                Ok(false) if !said => {
                    tracing::info!(
                        takeover_within = ?(self.ttl + self.every()),
                        "standby: another instance is active on this database; waiting"
                    );
                    said = true;
                }
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "standby: cannot read the lease"),
            }
            tokio::time::sleep(self.every()).await;
        }
    }

    /// Renews the lease in the background; `lost` is notified when another instance has it
    /// (or it could not be renewed for its whole lifetime).
    pub fn keep(self: Arc<Self>, lost: Arc<Notify>) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_renewed = tokio::time::Instant::now();
            loop {
                tokio::time::sleep(self.every()).await;
                match self.take().await {
                    Ok(true) => last_renewed = tokio::time::Instant::now(),
                    Ok(false) => {
                        tracing::error!("lease taken by another instance; stopping");
                        lost.notify_one();
                        return;
                    }
                    Err(error) if last_renewed.elapsed() >= self.ttl => {
                        tracing::error!(%error, "lease not renewed for its lifetime; stopping");
                        lost.notify_one();
                        return;
                    }
                    Err(error) => tracing::warn!(%error, "lease renewal failed; retrying"),
                }
            }
        })
    }

    /// Gives the lease up at a clean shutdown, so a standby takes over at once.
    pub async fn release(&self) {
        if let Err(error) = instance_lease::release(&self.pool, LEASE, &self.holder).await {
            tracing::warn!(%error, "lease not released; a standby takes over when it expires");
        }
    }
}
