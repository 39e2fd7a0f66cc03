//! `kyodo check-config`: the configuration is valid, and this is what kyodo would do with it.

use super::{emit, prompts, Failure};
use crate::config::Config;

pub async fn run(config: &Config, ask_discord: bool) -> Result<(), Failure> {
    prompts(config)?;
    crate::directory::search::Lexicon::builtin(crate::directory::search::LexiconParts::ALL)
        .map_err(Failure::new)?;
    let mut lines = vec![format!("configuration: {} (valid)", config.source)];
    let state = if config.database.exists() {
        "exists"
    } else {
        "will be created on first use"
    };
    lines.push(format!("database: {} ({state})", config.database.display()));
    lines.push(format!("default language: {}", config.default_language));
    lines.push(match &config.prompts_dir {
        Some(dir) => format!("prompts: built in, reworded by {}", dir.display()),
        None => "prompts: built in".to_string(),
    });
    lines.push(format!(
        "search: up to {} groups per answer",
        config.search_limit
    ));
    let consult = &config.consult;
    lines.push(format!(
        "consultations: offers time out after {} h; at most {} open per person, {} characters; text kept {} days after closing",
        consult.offer_timeout_hours, consult.max_open_per_requester, consult.max_topic_chars, consult.retention_days
    ));
    lines.push(if consult.coordinator_channel_id == 0 {
        "consultations: no coordinators' channel: escalations are recorded but not posted"
            .to_string()
    } else {
        format!(
            "consultations: escalations posted to channel {}",
            consult.coordinator_channel_id
        )
    });
    let discord = &config.discord;
    lines.push(if discord.guild_id == 0 {
        "discord: no guild configured; slash commands will not be registered".to_string()
    } else {
        format!(
            "discord: guild {}; roles: {} staff, {} coordinator, {} admin",
            discord.guild_id,
            discord.staff_role_ids.len(),
            discord.coordinator_role_ids.len(),
            discord.admin_role_ids.len()
        )
    });
    if let Some(base) = &discord.api_base {
        lines.push(format!("discord: REST calls go to {base}"));
    }
    let token = if std::env::var_os("DISCORD_TOKEN").is_some_and(|t| !t.is_empty()) {
        "set"
    } else {
        "not set"
    };
    lines.push(format!(
        "DISCORD_TOKEN: {token} (read from the environment only)"
    ));
    if ask_discord {
        lines.extend(discord_findings(config).await?);
    }
    emit(&lines.join("\n"))
}

/// What Discord says the bot lacks, one line each.
async fn discord_findings(config: &Config) -> Result<Vec<String>, Failure> {
    let token = std::env::var("DISCORD_TOKEN").unwrap_or_default();
    if token.trim().is_empty() {
        return Err(Failure::new(
            "check-config --discord needs DISCORD_TOKEN in the environment",
        ));
    }
    let http = crate::discord::http(token.trim(), config.discord.api_base.as_deref());
    let settings = super::interactive::chat_settings(config);
    let findings = crate::discord::audit(&http, &config.discord, &settings).await;
    Ok(if findings.is_empty() {
        vec!["discord: the bot may do everything kyodo needs in the configured channels".into()]
    } else {
        findings
    })
}
