//! Building the serenity client and running it until shutdown.

use std::sync::Arc;

use serenity::all::{CreateAllowedMentions, GatewayIntents, ShardManager};
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder, Ratelimiter};
use tokio::task::JoinHandle;

use super::delivery::DiscordDeliverer;
use super::handler::Handler;
use super::retry::announce_wait;
use super::sender::{RetryPolicy, Sender};
use super::standby::Lease;
use crate::chat::Chat;
use crate::config::DiscordConfig;

/// No privileged intent: Discord still delivers the text of DMs and of messages that mention
/// the bot, which is all kyodo reads; everything else comes as slash commands.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES
}

/// The REST client: Discord itself, or the API proxy at `api_base`. serenity only sends to a
/// proxy with its own rate limiter off (its limiter builds discord.com URLs); kyodo's sender
/// then reads 429s itself (`raw.rs`, `retry.rs`).
pub fn http(token: &str, api_base: Option<&str>) -> Http {
    let builder = HttpBuilder::new(token).default_allowed_mentions(CreateAllowedMentions::new());
    if let Some(base) = api_base {
        return builder.proxy(base).ratelimiter_disabled(true).build();
    }
    // serenity's limiter waits a 429's retry_after (and an empty bucket's reset) inside the
    // call; told how long, kyodo stretches the call's time-out by it instead of cutting it.
    match reqwest::Client::builder().use_rustls_tls().build() {
        Ok(client) => {
            let auth = match token.trim() {
                t if t.starts_with("Bot ") => t.to_string(),
                t => format!("Bot {t}"),
            };
            let mut limiter = Ratelimiter::new(client.clone(), auth);
            limiter.set_ratelimit_callback(Box::new(|info| announce_wait(info.timeout)));
            builder.client(client).ratelimiter(limiter).build()
        }
        Err(error) => {
            tracing::warn!(%error, "REST client: rate-limit waits are not announced");
            builder.build()
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord rejected the token in DISCORD_TOKEN")]
    Rejected,
    #[error("Discord refused the gateway intents: {0}")]
    Intents(String),
    #[error("Discord connection failed: {0}")]
    Connection(String),
    #[error("reading the database on taking over failed: {0}")]
    Store(#[from] sqlx::Error),
    #[error("another instance took over this database's lease; stopping (restart to stand by)")]
    LeaseLost,
}

fn explain(error: serenity::Error) -> DiscordError {
    use serenity::gateway::GatewayError;
    match error {
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => DiscordError::Rejected,
        serenity::Error::Http(ref http)
            if http.status_code().is_some_and(|s| s.as_u16() == 401) =>
        {
            DiscordError::Rejected
        }
        serenity::Error::Gateway(
            ref g @ (GatewayError::InvalidGatewayIntents | GatewayError::DisallowedGatewayIntents),
        ) => DiscordError::Intents(g.to_string()),
        other => DiscordError::Connection(other.to_string()),
    }
}

/// A running bot: the gateway connection and the outbox delivery worker, while it holds the
/// database's lease.
pub struct Bot {
    shard_manager: Arc<ShardManager>,
    task: JoinHandle<serenity::Result<()>>,
    worker: JoinHandle<()>,
    stop_worker: Arc<tokio::sync::Notify>,
    lease: Arc<Lease>,
    renewing: JoinHandle<()>,
    lease_lost: Arc<tokio::sync::Notify>,
}

/// How often the worker looks at the outbox and the offer time-outs without being nudged.
const WORKER_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Waits as a standby while another instance holds the database's lease, then connects with
/// `http` and starts handling events in the background.
pub async fn start(
    http: Http,
    chat: Arc<Chat>,
    config: DiscordConfig,
    policy: RetryPolicy,
) -> Result<Bot, DiscordError> {
    let lease = Arc::new(Lease::new(
        chat.pool().clone(),
        std::time::Duration::from_secs(config.lease_seconds),
    ));
    lease.acquire().await;
    // What the chat holds in memory may have changed while another instance was active.
    chat.reload_memory().await?;
    let lease_lost = Arc::new(tokio::sync::Notify::new());
    let renewing = lease.clone().keep(lease_lost.clone());
    let handler = Handler::new(chat.clone(), config, policy.clone());
    let mut client = ClientBuilder::new_with_http(http, intents())
        .event_handler(handler)
        .await
        .map_err(explain)?;
    let shard_manager = client.shard_manager.clone();
    // Outbox deliveries use the same REST client the gateway handler uses.
    let sender = Arc::new(Sender::new(client.http.clone(), policy));
    let stop_worker = Arc::new(tokio::sync::Notify::new());
    let deliverer = DiscordDeliverer::new(sender, chat.pool().clone());
    let worker = tokio::spawn(crate::worker::Worker::new(chat).run(
        deliverer,
        WORKER_EVERY,
        stop_worker.clone(),
    ));
    let task = tokio::spawn(async move { client.start().await });
    Ok(Bot {
        shard_manager,
        task,
        worker,
        stop_worker,
        lease,
        renewing,
        lease_lost,
    })
}

impl Bot {
    /// Waits until the connection ends by itself (an error, such as a rejected token) or the
    /// lease is lost to another instance.
    pub async fn finished(&mut self) -> Result<(), DiscordError> {
        tokio::select! {
            ended = &mut self.task => match ended {
                Ok(result) => result.map_err(explain),
                Err(join) => Err(DiscordError::Connection(join.to_string())),
            },
            () = self.lease_lost.notified() => Err(DiscordError::LeaseLost),
        }
    }

    /// Closes the gateway cleanly (close code 1000), waiting a bounded time.
    pub async fn shutdown(self) {
        // The worker first: a delivery in flight finishes; anything left stays in the outbox.
        self.stop_worker.notify_one();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), self.worker).await;
        self.shard_manager.shutdown_all().await;
        let mut task = self.task;
        if tokio::time::timeout(std::time::Duration::from_secs(10), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
        // Last: a standby takes over at once, and never while this one still sends.
        self.renewing.abort();
        self.lease.release().await;
    }
}
