//! What the bot may do where kyodo will post: reads the guild's roles, the bot's member and
//! each configured channel, and reports one line per thing missing. Used by
//! `kyodo check-config --discord` and logged at start-up. Permissions are computed the way
//! Discord documents (topics/permissions, "Permission Overwrites": @everyone, then the
//! member's roles, then the channel's overwrites for @everyone, the roles and the member).

use std::collections::HashMap;

use serenity::all::{
    Channel, ChannelId, ChannelType, GuildId, Http, PermissionOverwriteType, Permissions, Role,
    RoleId, UserId,
};

use crate::chat::ChatSettings;
use crate::config::DiscordConfig;
use crate::consult::service::Contact;
use crate::outbox::Mention;

/// What a channel is used for, and so what the bot needs there.
#[derive(Debug, Clone, Copy)]
enum Use {
    Escalations,
    Digest,
    PrivateThreads,
}

impl Use {
    fn label(self) -> &'static str {
        match self {
            Use::Escalations => "coordinators'",
            Use::Digest => "digest",
            Use::PrivateThreads => "consultation threads'",
        }
    }

    fn needs(self) -> Permissions {
        let post =
            Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES | Permissions::EMBED_LINKS;
        match self {
            Use::Escalations => post,
            // The digest's chart is a file.
            Use::Digest => post | Permissions::ATTACH_FILES,
            Use::PrivateThreads => {
                post | Permissions::CREATE_PRIVATE_THREADS | Permissions::SEND_MESSAGES_IN_THREADS
            }
        }
    }
}

fn uses(settings: &ChatSettings) -> Vec<(Use, u64)> {
    let mut found = Vec::new();
    if let Some(channel) = settings.consult.coordinator_channel {
        found.push((Use::Escalations, channel));
    }
    if let Contact::PrivateThread(channel) = settings.consult.contact {
        found.push((Use::PrivateThreads, channel));
    }
    for schedule in settings.schedules.iter().filter(|s| s.channel != 0) {
        found.push((Use::Digest, schedule.channel));
    }
    found
}

/// Roles kyodo's posts mention: the coordinators' (escalations) and stale actions' owners.
fn mentioned_roles(settings: &ChatSettings) -> Vec<(&'static str, u64)> {
    let mut found: Vec<(&'static str, u64)> = settings
        .consult
        .coordinator_role
        .map(|r| ("coordinator", r))
        .into_iter()
        .collect();
    let mut owners: Vec<u64> = settings
        .plan
        .owners
        .values()
        .flatten()
        .filter_map(|m| match m {
            Mention::Role(id) => Some(*id),
            Mention::User(_) => None,
        })
        .collect();
    owners.sort_unstable();
    owners.dedup();
    found.extend(owners.into_iter().map(|r| ("action owner", r)));
    found
}

/// The bot's permissions in `channel`, from its guild-wide ones and the channel's overwrites.
fn in_channel(
    base: Permissions,
    overwrites: &[serenity::all::PermissionOverwrite],
    everyone: RoleId,
    member_roles: &[RoleId],
    me: UserId,
) -> Permissions {
    if base.contains(Permissions::ADMINISTRATOR) {
        return Permissions::all();
    }
    let mut perms = base;
    let apply = |perms: &mut Permissions, allow: Permissions, deny: Permissions| {
        *perms = (*perms & !deny) | allow;
    };
    for o in overwrites {
        if matches!(o.kind, PermissionOverwriteType::Role(r) if r == everyone) {
            apply(&mut perms, o.allow, o.deny);
        }
    }
    let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
    for o in overwrites {
        if matches!(o.kind, PermissionOverwriteType::Role(r) if r != everyone && member_roles.contains(&r))
        {
            allow |= o.allow;
            deny |= o.deny;
        }
    }
    apply(&mut perms, allow, deny);
    for o in overwrites {
        if matches!(o.kind, PermissionOverwriteType::Member(u) if u == me) {
            apply(&mut perms, o.allow, o.deny);
        }
    }
    perms
}

/// Everything the bot lacks for what `settings` asks of it, one line each (empty: nothing).
pub async fn audit(http: &Http, config: &DiscordConfig, settings: &ChatSettings) -> Vec<String> {
    if config.guild_id == 0 {
        return vec!["discord: no guild_id: nothing to check".into()];
    }
    let guild = GuildId::new(config.guild_id);
    let me = match http.get_current_user().await {
        Ok(me) => me.id,
        Err(error) => return vec![format!("discord: cannot read the bot's account: {error}")],
    };
    let roles: HashMap<RoleId, Role> = match http.get_guild_roles(guild).await {
        Ok(roles) => roles.into_iter().map(|r| (r.id, r)).collect(),
        Err(error) => {
            return vec![format!(
                "discord: cannot read guild {}'s roles (is the bot in it?): {error}",
                config.guild_id
            )]
        }
    };
    let member_roles = match guild.member(http, me).await {
        Ok(member) => member.roles,
        Err(error) => {
            return vec![format!(
                "discord: the bot is not a member of guild {}: {error}",
                config.guild_id
            )]
        }
    };
    let everyone = guild.everyone_role();
    let base = std::iter::once(&everyone)
        .chain(&member_roles)
        .filter_map(|r| roles.get(r))
        .fold(Permissions::empty(), |p, r| p | r.permissions);
    let mut findings = Vec::new();
    for (purpose, id) in uses(settings) {
        let label = purpose.label();
        let channel = match ChannelId::new(id).to_channel(http).await {
            Ok(Channel::Guild(channel)) => channel,
            Ok(_) => {
                findings.push(format!(
                    "discord: the {label} channel {id} is not a server channel"
                ));
                continue;
            }
            Err(error) => {
                findings.push(format!("discord: the {label} channel {id} cannot be read (missing, or hidden from the bot): {error}"));
                continue;
            }
        };
        if matches!(purpose, Use::PrivateThreads) && channel.kind != ChannelType::Text {
            findings.push(format!(
                "discord: the {label} channel {id} is a {:?} channel; private threads need a text channel",
                channel.kind
            ));
        }
        let perms = in_channel(
            base,
            &channel.permission_overwrites,
            everyone,
            &member_roles,
            me,
        );
        let missing = purpose.needs() & !perms;
        if !missing.is_empty() {
            findings.push(format!(
                "discord: in the {label} channel {id} the bot lacks: {}",
                missing.get_permission_names().join(", ")
            ));
        }
    }
    for (label, id) in mentioned_roles(settings) {
        match roles.get(&RoleId::new(id)) {
            None => findings.push(format!("discord: the {label} role {id} does not exist in the guild")),
            Some(role) if !role.mentionable && !base.contains(Permissions::MENTION_EVERYONE) => {
                findings.push(format!(
                    "discord: the {label} role {id} ({}) is not mentionable: kyodo's mentions of it ping nobody",
                    role.name
                ))
            }
            Some(_) => {}
        }
    }
    findings
}
