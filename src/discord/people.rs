//! Who is speaking, from what Discord knows: the member's roles (as configured) and whether the
//! account is a known advisor. A DM carries no roles, so the guild member is looked up (cached).

use std::time::Duration;

use serenity::http::Http;
use serenity::model::id::{GuildId, UserId};
use serenity::model::user::User;

use super::cache::BoundedCache;
use crate::chat::{Person, Role};
use crate::config::DiscordConfig;
use crate::lang::Lang;

/// How long a DM sender's guild roles are trusted before asking Discord again.
const MEMBER_TTL: Duration = Duration::from_secs(600);

/// The kyodo roles a set of Discord role ids gives, by the configuration.
pub fn roles_for(role_ids: &[u64], config: &DiscordConfig) -> Vec<Role> {
    let mut roles = Vec::new();
    let has = |ids: &[u64]| role_ids.iter().any(|r| ids.contains(r));
    if has(&config.staff_role_ids) {
        roles.push(Role::Staff);
    }
    if has(&config.coordinator_role_ids) {
        roles.push(Role::Coordinator);
    }
    if has(&config.admin_role_ids) {
        roles.push(Role::Admin);
    }
    roles
}

fn error_status(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(http) => http.status_code().map(|s| s.as_u16()),
        _ => None,
    }
}

/// Discord's locale code (`ja`, `en-US`) as one of the bot's languages.
pub fn locale_lang(locale: &str) -> Option<Lang> {
    Lang::parse(locale.split('-').next().unwrap_or(""))
}

/// Longest wait for a DM sender's roles; past it they are taken as a citizen's this once (the
/// core re-checks every staff action, and the next message asks again).
const MEMBER_LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Most DM senders whose roles are remembered at once.
const MEMBERS_KEPT: usize = 10_000;

/// Each user's guild roles as last looked up (`None`: not a member), bounded in size and age.
pub struct MemberRoles {
    cache: BoundedCache<u64, Option<Vec<u64>>>,
}

impl Default for MemberRoles {
    fn default() -> Self {
        MemberRoles {
            cache: BoundedCache::new(MEMBERS_KEPT, MEMBER_TTL),
        }
    }
}

impl MemberRoles {
    /// The guild roles of `user`, `None` when not a member (or Discord could not say).
    pub async fn of(&self, http: &Http, guild: u64, user: u64) -> Option<Vec<u64>> {
        if guild == 0 {
            return None;
        }
        if let Some(roles) = self.cache.get(&user) {
            return roles;
        }
        let lookup = GuildId::new(guild).member(http, UserId::new(user));
        let Ok(answer) = tokio::time::timeout(MEMBER_LOOKUP_TIMEOUT, lookup).await else {
            tracing::warn!(?MEMBER_LOOKUP_TIMEOUT, "guild member lookup timed out");
            return None;
        };
        let looked_up = match answer {
            Ok(member) => Some(member.roles.iter().map(|r| r.get()).collect()),
            // Definitely not a member.
            Err(error) if error_status(&error) == Some(404) => None,
            // Discord could not say (5xx, rate limit, network): ask again next time rather
            // than treat a staff member as a citizen for the cache's lifetime.
            Err(error) => {
                tracing::warn!(%error, "guild member lookup failed");
                return None;
            }
        };
        self.cache.insert(user, looked_up.clone());
        looked_up
    }
}

/// The person behind a Discord user: configured roles, advisor record (from the directory in
/// memory: refresh it first), client language.
pub fn person(
    chat: &crate::chat::Chat,
    config: &DiscordConfig,
    user: &User,
    role_ids: Option<&[u64]>,
    locale: Option<&str>,
) -> Person {
    let id = user.id.get().to_string();
    let mut roles = role_ids.map(|r| roles_for(r, config)).unwrap_or_default();
    let advisor_id = chat.advisor_account(&id);
    if advisor_id.is_some() {
        roles.push(Role::Advisor);
    }
    if roles.is_empty() {
        roles.push(Role::Citizen);
    }
    Person {
        display_name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
        id,
        roles,
        advisor_id,
        locale: locale.and_then(locale_lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_role_ids_give_roles() {
        let config = DiscordConfig {
            staff_role_ids: vec![10],
            coordinator_role_ids: vec![20],
            admin_role_ids: vec![30],
            ..DiscordConfig::default()
        };
        assert_eq!(roles_for(&[10, 99], &config), vec![Role::Staff]);
        assert_eq!(
            roles_for(&[20, 30], &config),
            vec![Role::Coordinator, Role::Admin]
        );
        assert!(roles_for(&[99], &config).is_empty());
    }

    #[test]
    fn discord_locales_map_to_languages() {
        assert_eq!(locale_lang("ja"), Some(Lang::Ja));
        assert_eq!(locale_lang("en-US"), Some(Lang::En));
        assert_eq!(locale_lang("pt-BR"), None);
    }
}
