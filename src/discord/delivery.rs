//! Outbox deliveries over Discord, through the one sender. A delivery that opens a private
//! thread remembers the thread by the row's dedupe key, so a retry posts into the same thread.

use std::sync::Arc;

use serde::de::IgnoredAny;
use serenity::all::{ChannelType, CreateThread, GuildChannel};
use serenity::model::id::{ChannelId, UserId};
use sqlx::SqlitePool;

use super::raw::{self, routes};
use super::sender::{self, with_retry, DeliveryError, Sender};
use crate::chat::reply::ThreadRequest;
use crate::chat::Reply;
use crate::db::delivery_threads;
use crate::outbox::Target;
use crate::worker::{DeliverError, Deliverer, Sent};

pub struct DiscordDeliverer {
    sender: Arc<Sender>,
    pool: SqlitePool,
}

impl DiscordDeliverer {
    pub fn new(sender: Arc<Sender>, pool: SqlitePool) -> DiscordDeliverer {
        DiscordDeliverer { sender, pool }
    }
}

impl Deliverer for DiscordDeliverer {
    async fn deliver(
        &self,
        target: Target,
        reply: &Reply,
        key: &str,
    ) -> Result<Vec<Sent>, DeliverError> {
        let mut sent = Vec::new();
        let target = match (target, &reply.open_thread) {
            (Target::Channel(parent), Some(thread)) => {
                let thread = self.thread(parent, thread, key).await?;
                // The thread itself carries the conversation: retention deletes it.
                sent.push(Sent {
                    channel: thread,
                    message: 0,
                });
                sender::Target::Channel(thread)
            }
            (Target::User(id), _) => sender::Target::User(id),
            (Target::Channel(id), None) => sender::Target::Channel(id),
        };
        let messages = self
            .sender
            .send_keyed(target, reply, Some(key))
            .await
            .map_err(verdict)?;
        sent.extend(
            messages
                .into_iter()
                .map(|(channel, message)| Sent { channel, message }),
        );
        Ok(sent)
    }

    async fn remove(&self, sent: Sent) -> Result<(), DeliverError> {
        self.sender
            .delete(sent.channel, sent.message)
            .await
            .map_err(verdict)
    }

    fn destinations_at_once(&self) -> usize {
        DESTINATIONS_AT_ONCE
    }
}

/// Destinations delivered to at once: a hung call to one holds back only its own messages.
const DESTINATIONS_AT_ONCE: usize = 8;

fn verdict(error: DeliveryError) -> DeliverError {
    match error {
        DeliveryError::RateLimited { retry_after } => DeliverError::RateLimited {
            why: error.to_string(),
            retry_after,
        },
        DeliveryError::GaveUp { .. } => DeliverError::Later(error.to_string()),
        other => DeliverError::Refused(other.to_string()),
    }
}

fn later(error: sqlx::Error) -> DeliverError {
    DeliverError::Later(format!("thread record: {error}"))
}

impl DiscordDeliverer {
    /// The delivery's thread under `parent` with the requested members in it: the one an
    /// earlier attempt opened, else a new one (remembered before anything else can fail).
    async fn thread(
        &self,
        parent: u64,
        request: &ThreadRequest,
        key: &str,
    ) -> Result<u64, DeliverError> {
        let http = self.sender.http();
        let policy = self.sender.policy();
        let thread = match delivery_threads::find(&self.pool, key)
            .await
            .map_err(later)?
        {
            Some(known) => ChannelId::new(known),
            None => {
                let builder = CreateThread::new(&request.name)
                    .kind(ChannelType::PrivateThread)
                    .invitable(false);
                let create = raw::json(&builder)
                    .map(|body| routes::create_thread(ChannelId::new(parent)).body(Some(body)))
                    .map_err(|error| verdict(sender::invalid(error)))?;
                let created: GuildChannel =
                    with_retry(policy, "open thread", || raw::call(http, create.clone()))
                        .await
                        .map_err(verdict)?;
                let now = chrono::Utc::now().timestamp();
                delivery_threads::remember(&self.pool, key, created.id.get(), now)
                    .await
                    .map_err(later)?;
                created.id
            }
        };
        // Adding someone already in the thread changes nothing, so a retry adds everyone again.
        for member in request.members.iter().filter(|m| **m != 0) {
            let add = routes::add_thread_member(thread, UserId::new(*member));
            let added = with_retry(policy, "add to thread", || {
                raw::call::<IgnoredAny>(http, add.clone())
            })
            .await;
            match added {
                Ok(_) => {}
                Err(error @ (DeliveryError::GaveUp { .. } | DeliveryError::RateLimited { .. })) => {
                    return Err(verdict(error))
                }
                Err(refused) => {
                    // They cannot be added (not in the server, say): no half-made thread stays;
                    // the refusal sends the consultation to the advisor-DM route.
                    if let Err(error) = self.sender.delete(thread.get(), 0).await {
                        tracing::warn!(%error, "thread without its requester not removed");
                    }
                    return Err(verdict(refused));
                }
            }
        }
        Ok(thread.get())
    }
}
