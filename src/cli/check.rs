//! `kyodo check-config`: the configuration is valid, and this is what kyodo would do with it.

use super::{emit, prompts, Failure};
use crate::config::Config;

pub async fn run(config: &Config) -> Result<(), Failure> {
    prompts(config)?;
    crate::directory::search::Lexicon::load(
        crate::directory::search::LexiconParts::ALL,
        config.lexicon_dir.as_deref(),
    )
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
        "search: up to {} groups per answer; vocabulary {}",
        config.search_limit,
        match &config.lexicon_dir {
            Some(dir) => format!("built in, with the office's lexicon in {}", dir.display()),
            None => "built in".to_string(),
        }
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
    emit(&lines.join("\n"))
}
