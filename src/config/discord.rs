//! `[discord]`: the guild, the roles that count as staff, coordinators and admins, and the
//! active instance's lease.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscord {
    #[serde(default)]
    guild_id: u64,
    #[serde(default)]
    staff_role_ids: Vec<u64>,
    #[serde(default)]
    coordinator_role_ids: Vec<u64>,
    #[serde(default)]
    admin_role_ids: Vec<u64>,
    #[serde(default)]
    api_base: Option<Spanned<String>>,
    #[serde(default)]
    lease_seconds: Option<u64>,
}

impl RawDiscord {
    /// The settings as the bot uses them: the lease clamped to 1 s – 1 h.
    pub(super) fn settle(self) -> DiscordConfig {
        DiscordConfig {
            guild_id: self.guild_id,
            staff_role_ids: self.staff_role_ids,
            coordinator_role_ids: self.coordinator_role_ids,
            admin_role_ids: self.admin_role_ids,
            api_base: self.api_base.map(Spanned::into_inner),
            lease_seconds: self
                .lease_seconds
                .unwrap_or(DEFAULT_LEASE_SECONDS)
                .clamp(1, 3600),
        }
    }

    /// What is wrong with `api_base`, if anything: (where, message).
    pub(super) fn problem(&self) -> Option<(std::ops::Range<usize>, String)> {
        let base = self.api_base.as_ref()?;
        let url = base.get_ref();
        (!(url.starts_with("http://") || url.starts_with("https://"))).then(|| {
            (
                base.span(),
                format!("discord.api_base: \"{url}\" is not an http(s) URL"),
            )
        })
    }
}

#[derive(Debug, Clone)]
pub struct DiscordConfig {
    pub guild_id: u64,
    pub staff_role_ids: Vec<u64>,
    pub coordinator_role_ids: Vec<u64>,
    pub admin_role_ids: Vec<u64>,
    /// A Discord API proxy (or a test double) to send REST calls to instead of discord.com.
    pub api_base: Option<String>,
    /// How long the active instance's lease lasts unrenewed; a standby on the same database
    /// takes over within 4/3 of it after the active one stops.
    pub lease_seconds: u64,
}

/// The lease's default lifetime: a takeover within 20 s of a crash.
pub const DEFAULT_LEASE_SECONDS: u64 = 15;

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            guild_id: 0,
            staff_role_ids: Vec::new(),
            coordinator_role_ids: Vec::new(),
            admin_role_ids: Vec::new(),
            api_base: None,
            lease_seconds: DEFAULT_LEASE_SECONDS,
        }
    }
}
