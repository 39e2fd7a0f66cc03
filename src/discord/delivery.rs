//! Outbox deliveries over Discord, through the one sender.

use std::sync::Arc;

use super::sender::{self, DeliveryError, Sender};
use crate::chat::delivery::{DeliverError, Deliverer};
use crate::chat::Reply;
use crate::outbox::Target;

pub struct DiscordDeliverer {
    sender: Arc<Sender>,
}

impl DiscordDeliverer {
    pub fn new(sender: Arc<Sender>) -> DiscordDeliverer {
        DiscordDeliverer { sender }
    }
}

impl Deliverer for DiscordDeliverer {
    async fn deliver(&self, target: Target, reply: &Reply, key: &str) -> Result<(), DeliverError> {
        let target = match target {
            Target::User(id) => sender::Target::User(id),
            Target::Channel(id) => sender::Target::Channel(id),
        };
        match self.sender.send_keyed(target, reply, Some(key)).await {
            Ok(()) => Ok(()),
            Err(error @ DeliveryError::GaveUp { .. }) => {
                Err(DeliverError::Later(error.to_string()))
            }
            Err(error) => Err(DeliverError::Refused(error.to_string())),
        }
    }
}
