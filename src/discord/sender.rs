//! The one way kyodo sends to Discord (retries in `retry.rs`), and a typed failure for
//! refusals (403: DMs closed) that callers react to.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{CreateAttachment, PrivateChannel};
use serenity::http::Http;
use serenity::model::channel::Nonce;
use serenity::model::id::{ChannelId, MessageId, UserId};

use super::cache::BoundedCache;
use super::raw;
use super::render::{self, Part};
pub use super::retry::{with_retry, RetryPolicy};
use crate::chat::Reply;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Discord refused for good: the user's DMs are closed, or the bot may not post there.
    #[error("refused by Discord (403, code {code}): {message}")]
    Forbidden { code: isize, message: String },
    #[error("rejected by Discord ({status}, code {code}): {message}")]
    Rejected {
        status: u16,
        code: isize,
        message: String,
    },
    /// Discord asked for a longer wait than the policy allows in place.
    #[error("rate limited for {retry_after:?}")]
    RateLimited { retry_after: Duration },
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp { attempts: u32, last: String },
    #[error("not sendable: {0}")]
    Invalid(String),
}

impl DeliveryError {
    pub fn status(&self) -> u16 {
        match self {
            DeliveryError::Forbidden { .. } => 403,
            DeliveryError::Rejected { status, .. } => *status,
            DeliveryError::RateLimited { .. } => 429,
            DeliveryError::GaveUp { .. } | DeliveryError::Invalid(_) => 0,
        }
    }

    pub fn code(&self) -> isize {
        match self {
            DeliveryError::Forbidden { code, .. } | DeliveryError::Rejected { code, .. } => *code,
            _ => 0,
        }
    }
}

/// Where a message goes: a channel (DM or server), or a user's DMs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Channel(u64),
    User(u64),
}

pub struct Sender {
    http: Arc<Http>,
    policy: RetryPolicy,
    /// DM channel of each user, so a DM costs one call, not two (bounded: size and age).
    dm_channels: BoundedCache<u64, u64>,
}

/// Users whose DM channel is remembered, and for how long.
const DM_CHANNELS_KEPT: usize = 10_000;
const DM_CHANNEL_AGE: Duration = Duration::from_secs(24 * 3600);

impl Sender {
    pub fn new(http: Arc<Http>, policy: RetryPolicy) -> Sender {
        Sender {
            http,
            policy,
            dm_channels: BoundedCache::new(DM_CHANNELS_KEPT, DM_CHANNEL_AGE),
        }
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    pub fn http(&self) -> &Arc<Http> {
        &self.http
    }

    /// Sends every part of `reply`; stops at the first part that cannot be delivered.
    pub async fn send(&self, target: Target, reply: &Reply) -> Result<(), DeliveryError> {
        self.send_keyed(target, reply, None).await.map(|_| ())
    }

    /// Like `send`, with nonces derived from `key` (an outbox row's dedupe key), so a message
    /// delivered again after a crash is recognised by Discord instead of posted twice.
    pub async fn send_keyed(
        &self,
        target: Target,
        reply: &Reply,
        key: Option<&str>,
    ) -> Result<Vec<(u64, u64)>, DeliveryError> {
        let channel = self.channel(target).await?;
        let mut sent = Vec::new();
        for (index, part) in render::parts(reply).into_iter().enumerate() {
            let nonce = match key {
                Some(key) => keyed_nonce(key, index),
                None => next_nonce(),
            };
            let message = self.send_part(channel, part, nonce).await?;
            sent.push((channel.get(), message));
        }
        Ok(sent)
    }

    /// Deletes a message of the bot's (or, for `message` 0, a thread it opened); one already
    /// gone counts as deleted.
    pub async fn delete(&self, channel: u64, message: u64) -> Result<(), DeliveryError> {
        let channel = ChannelId::new(nonzero(channel)?);
        let (what, request) = match message {
            // What a deleted channel answers (the channel) is of no use here.
            0 => ("delete thread", raw::routes::delete_channel(channel)),
            id => (
                "delete message",
                raw::routes::delete_message(channel, MessageId::new(id)),
            ),
        };
        let deleted = with_retry(&self.policy, what, || {
            raw::call::<serde::de::IgnoredAny>(&self.http, request.clone())
        })
        .await
        .map(|_| ());
        match deleted {
            Err(DeliveryError::Rejected { code, .. })
                if code == UNKNOWN_MESSAGE || code == UNKNOWN_CHANNEL =>
            {
                Ok(())
            }
            other => other,
        }
    }

    async fn send_part(
        &self,
        channel: ChannelId,
        part: Part,
        nonce: String,
    ) -> Result<u64, DeliveryError> {
        // More files than one request can upload through serenity's public API (`raw.rs`) go
        // through serenity's own call.
        let many_files = part.attachments.len() > 1;
        let file = match part.attachments.as_slice() {
            [one] => Some(CreateAttachment::bytes(one.bytes.clone(), one.name.clone())),
            _ => None,
        };
        // One nonce for all attempts: if Discord stored the message but the answer was lost
        // (a 5xx, a dropped connection), the retry is recognised instead of posted twice.
        let message = render::message(part)
            .nonce(Nonce::String(nonce))
            .enforce_nonce(true);
        if many_files {
            return with_retry(&self.policy, "send message", || {
                channel.send_message(&self.http, message.clone())
            })
            .await
            .map(|sent| sent.id.get());
        }
        // `render::message` sets the allowed mentions itself, so the builder is the body as it
        // is: written once, straight to bytes (no `Value` tree in between).
        let body = raw::json(&message).map_err(invalid)?;
        let request =
            raw::with_body(raw::routes::post_message(channel), body, file).map_err(invalid)?;
        let sent: Result<Sent, _> = with_retry(&self.policy, "send message", || {
            raw::call(&self.http, request.clone())
        })
        .await;
        sent.map(|sent| sent.id.get())
    }

    async fn channel(&self, target: Target) -> Result<ChannelId, DeliveryError> {
        let user = match target {
            Target::Channel(id) => return nonzero(id).map(ChannelId::new),
            Target::User(id) => nonzero(id)?,
        };
        if let Some(known) = self.dm_channels.get(&user) {
            return Ok(ChannelId::new(known));
        }
        let request = raw::routes::open_dm(UserId::new(user)).map_err(invalid)?;
        let channel: PrivateChannel = with_retry(&self.policy, "open DM", || {
            raw::call(&self.http, request.clone())
        })
        .await?;
        self.dm_channels.insert(user, channel.id.get());
        Ok(channel.id)
    }
}

/// The one thing kyodo reads from a posted message (Discord echoes all of it: embeds,
/// components, author), so the rest is skipped rather than built into a `Message`.
#[derive(serde::Deserialize)]
struct Sent {
    id: MessageId,
}

/// A nonce unique to this process's sends (Discord allows 25 characters).
fn next_nonce() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("k{now:x}{:04x}", n & 0xffff)
}

/// A nonce fixed by an outbox key and the part's position (FNV-1a: stable across restarts).
fn keyed_nonce(key: &str, part: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes().chain(part.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("o{hash:x}")
}

/// Discord's codes for "Unknown Channel" and "Unknown Message": what was to be deleted is gone.
const UNKNOWN_CHANNEL: isize = 10003;
const UNKNOWN_MESSAGE: isize = 10008;

/// Discord's code for "Interaction has already been acknowledged": an earlier attempt whose
/// answer was lost got through.
pub const ALREADY_ACKNOWLEDGED: isize = 40060;

/// A request that could not even be written (its JSON).
pub fn invalid(error: serde_json::Error) -> DeliveryError {
    DeliveryError::Invalid(error.to_string())
}

fn nonzero(id: u64) -> Result<u64, DeliveryError> {
    if id == 0 {
        Err(DeliveryError::Invalid("id 0".into()))
    } else {
        Ok(id)
    }
}

/// Records a refusal (ids and codes only) for the features that react to it.
pub async fn record_refusal(pool: &sqlx::SqlitePool, target: Target, error: &DeliveryError) {
    let (kind, id) = match target {
        Target::Channel(id) => ("channel", id),
        Target::User(id) => ("user", id),
    };
    let saved = crate::db::delivery_failures::record(
        pool,
        kind,
        &id.to_string(),
        i64::from(error.status()),
        error.code() as i64,
        crate::store::unix_now(),
    )
    .await;
    if let Err(db_error) = saved {
        tracing::error!(%db_error, "recording a delivery failure failed");
    }
}

/// Answers an interaction: quick retries inside Discord's 3-second window, and an earlier
/// attempt that got through (its answer lost) counts as done.
pub async fn answer_interaction<T, E, F, Fut>(what: &str, op: F) -> Result<(), DeliveryError>
where
    E: Into<raw::CallError>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    match with_retry(&RetryPolicy::interaction(), what, op).await {
        Ok(_) => Ok(()),
        Err(DeliveryError::Rejected { code, .. }) if code == ALREADY_ACKNOWLEDGED => Ok(()),
        Err(error) => Err(error),
    }
}
