//! What the tests own: a fake Discord, and kyodo's real serenity client pointed at it.

#![allow(dead_code)]

pub mod discord_rules;
pub mod fake_discord;
pub mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fake_discord::{FakeDiscord, GUILD_ID, TOKEN};
use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings};
use kyodo::config::DiscordConfig;
use kyodo::discord::sender::RetryPolicy;

pub const STAFF_ROLE: &str = "1500000000000000001";
pub const COORDINATOR_CHANNEL: u64 = 1300000000000000777;
pub const COORDINATOR_ROLE: u64 = 1500000000000000777;

pub struct Running {
    pub fake: FakeDiscord,
    pub chat: Arc<Chat>,
    pub bot: kyodo::discord::Bot,
    _dir: tempfile::TempDir,
}

/// The demo directory in a real database file, plus `extra_organizations` (CSV with header).
pub async fn chat_with(extra_organizations: Option<&str>) -> (Arc<Chat>, tempfile::TempDir) {
    chat_with_settings(extra_organizations, |_| {}).await
}

/// Like `chat_with`, the settings adjusted by `adjust` (schedules, owners…).
pub async fn chat_with_settings(
    extra_organizations: Option<&str>,
    adjust: impl FnOnce(&mut ChatSettings),
) -> (Arc<Chat>, tempfile::TempDir) {
    chat_with_clock(extra_organizations, adjust, None).await
}

/// Like `chat_with_settings`, reading time from `clock` when given.
pub async fn chat_with_clock(
    extra_organizations: Option<&str>,
    adjust: impl FnOnce(&mut ChatSettings),
    clock: Option<kyodo::clock::SharedClock>,
) -> (Arc<Chat>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = kyodo::store::open(&dir.path().join("kyodo.db"))
        .await
        .expect("store");
    kyodo::demo::load_if_empty(&pool).await.expect("demo");
    if let Some(csv) = extra_organizations {
        kyodo::registry::import_bytes(
            &pool,
            kyodo::registry::Kind::Organizations,
            "extra.csv",
            csv.as_bytes(),
            false,
        )
        .await
        .expect("extra groups import");
    }
    let mut settings = ChatSettings {
        consult: kyodo::consult::service::Settings {
            coordinator_channel: Some(COORDINATOR_CHANNEL),
            coordinator_role: Some(COORDINATOR_ROLE),
            ..Default::default()
        },
        ..ChatSettings::default()
    };
    adjust(&mut settings);
    let mut chat = Chat::new(pool, Prompts::builtin().expect("prompts"), settings)
        .await
        .expect("chat");
    if let Some(clock) = clock {
        chat = chat.with_clock(clock);
    }
    (Arc::new(chat), dir)
}

/// Starts the real bot against `fake`. Refuses to run unless REST goes to the fake on
/// loopback: no test may reach Discord itself.
pub async fn start_bot(fake: FakeDiscord, extra_organizations: Option<&str>) -> Running {
    let (chat, dir) = chat_with(extra_organizations).await;
    start_bot_on(fake, chat, dir).await
}

/// The configuration the tests run the bot with: the fake's guild and staff role, REST to the
/// fake.
pub fn test_config(fake: &FakeDiscord) -> DiscordConfig {
    DiscordConfig {
        guild_id: GUILD_ID,
        staff_role_ids: vec![STAFF_ROLE.parse().unwrap()],
        api_base: Some(fake.rest_url.clone()),
        ..DiscordConfig::default()
    }
}

/// Starts the real bot against `fake` on a chat prepared by the test.
pub async fn start_bot_on(fake: FakeDiscord, chat: Arc<Chat>, dir: tempfile::TempDir) -> Running {
    start_bot_with(fake, chat, dir, RetryPolicy::default()).await
}

/// Like `start_bot_on`, sending with `policy` (shorter time-outs, say).
pub async fn start_bot_with(
    fake: FakeDiscord,
    chat: Arc<Chat>,
    dir: tempfile::TempDir,
    policy: RetryPolicy,
) -> Running {
    let config = test_config(&fake);
    let http = kyodo::discord::http(TOKEN, config.api_base.as_deref());
    // The client kyodo built must send REST to the fake on loopback, with serenity's own rate
    // limiter (which ignores the proxy and calls discord.com) off: no test reaches Discord.
    let proxy = http.proxy.clone().unwrap_or_default();
    assert!(
        proxy.starts_with("http://127.0.0.1:"),
        "REST would go to {proxy:?}, not the fake"
    );
    assert!(
        http.ratelimiter.is_none(),
        "serenity's rate limiter would bypass the fake"
    );
    let bot = kyodo::discord::start(http, chat.clone(), config, policy)
        .await
        .expect("bot starts");
    fake.wait_until("the bot to identify", Duration::from_secs(10), |f| {
        f.identifies() == 1
    })
    .await;
    fake.wait_for_call("slash command registration", |c| {
        c.method == "PUT" && c.path.ends_with("/commands")
    })
    .await;
    Running {
        fake,
        chat,
        bot,
        _dir: dir,
    }
}

impl Running {
    /// Stops the bot; fails the test if kyodo sent anything Discord would have refused.
    pub async fn stop(self) {
        self.bot.shutdown().await;
        let violations = self.fake.violations();
        assert!(
            violations.is_empty(),
            "Discord would have refused: {violations:#?}"
        );
    }
}
