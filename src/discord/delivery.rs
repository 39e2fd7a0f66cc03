//! Outbox deliveries over Discord, through the one sender.

use std::sync::Arc;

use serenity::all::{ChannelType, CreateThread};
use serenity::model::id::{ChannelId, UserId};

use super::sender::{self, with_retry, DeliveryError, Sender};
use crate::chat::Reply;
use crate::outbox::Target;
use crate::worker::{DeliverError, Deliverer};

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
        let target = match (target, &reply.open_thread) {
            (Target::Channel(parent), Some(thread)) => match self
                .open_thread(parent, &thread.name, &thread.members)
                .await
            {
                Ok(created) => sender::Target::Channel(created),
                Err(error) => return Err(verdict(error)),
            },
            (Target::User(id), _) => sender::Target::User(id),
            (Target::Channel(id), None) => sender::Target::Channel(id),
        };
        self.sender
            .send_keyed(target, reply, Some(key))
            .await
            .map_err(verdict)
    }
}

fn verdict(error: DeliveryError) -> DeliverError {
    match error {
        DeliveryError::GaveUp { .. } => DeliverError::Later(error.to_string()),
        other => DeliverError::Refused(other.to_string()),
    }
}

impl DiscordDeliverer {
    /// A private thread under `parent` with `members` in it; its id.
    async fn open_thread(
        &self,
        parent: u64,
        name: &str,
        members: &[u64],
    ) -> Result<u64, DeliveryError> {
        let http = self.sender.http();
        let policy = self.sender.policy();
        let builder = CreateThread::new(name)
            .kind(ChannelType::PrivateThread)
            .invitable(false);
        let thread = with_retry(policy, "open thread", || {
            ChannelId::new(parent).create_thread(http, builder.clone())
        })
        .await?;
        for member in members.iter().filter(|m| **m != 0) {
            with_retry(policy, "add to thread", || {
                thread.id.add_thread_member(http, UserId::new(*member))
            })
            .await?;
        }
        Ok(thread.id.get())
    }
}
