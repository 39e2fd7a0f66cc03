//! Offer expiry: offers nobody answered within `consult.offer_timeout_hours` go to the next
//! candidate (or escalate).

use crate::chat::Chat;
use crate::consult::service::{self, ConsultError};

pub(super) async fn run(chat: &Chat) -> Result<usize, ConsultError> {
    let now = chat.clock().now();
    let expired =
        service::expire_due(chat.pool(), now, chat.consult_settings(), &chat.searcher()).await?;
    if expired > 0 {
        chat.outbox_changed();
    }
    Ok(expired)
}
