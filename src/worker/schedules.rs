//! Scheduled posts: each due fire of a schedule with a channel is claimed in the database and
//! queued in the outbox (see `crate::remind::scheduler` for the claim).

use crate::chat::Chat;

pub(super) async fn run(chat: &Chat) -> Result<(), anyhow::Error> {
    let now = chat.clock().now();
    let posting: Vec<_> = chat
        .settings()
        .schedules
        .iter()
        .filter(|s| s.channel != 0)
        .cloned()
        .collect();
    let outcomes =
        crate::remind::scheduler::run_due(chat.pool(), now, &posting, &chat.settings().plan)
            .await?;
    for outcome in outcomes {
        tracing::info!(?outcome, "schedule");
    }
    Ok(())
}
