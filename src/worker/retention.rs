//! The retention purge, hourly (the rules are in `crate::retention`).

use std::sync::atomic::{AtomicI64, Ordering};

use crate::chat::Chat;

const EVERY_SECS: i64 = 3600;

/// Runs the purge if an hour has passed since `last` (claimed atomically, so two ticks racing
/// run it once).
pub(super) async fn run(chat: &Chat, last: &AtomicI64) -> Result<(), sqlx::Error> {
    let now = chat.clock().now();
    let previous = last.load(Ordering::Acquire);
    if now.saturating_sub(previous) < EVERY_SECS
        || last
            .compare_exchange(previous, now, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
    {
        return Ok(());
    }
    let days = chat.settings().retention_days.max(1);
    let purged = crate::retention::purge(chat.pool(), now, days).await?;
    // Language choices and steps it deleted are let go in memory too.
    chat.reload_memory().await?;
    if purged > 0 {
        tracing::info!(purged, "retention: consultations' text removed");
    }
    Ok(())
}
