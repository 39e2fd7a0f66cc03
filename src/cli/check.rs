//! `kyodo check-config`: the configuration is valid, and this is what kyodo would do with it.

use super::{emit, lexicon, prompts, Failure};
use crate::config::Config;

pub async fn run(config: &Config, ask_discord: bool) -> Result<(), Failure> {
    prompts(config)?;
    lexicon(config)?;
    if let Some(problem) = crate::config::database_problem(&config.database) {
        return Err(Failure {
            code: 2,
            ..Failure::new(format!("database: {problem}"))
        });
    }
    let mut lines = vec![format!("configuration: {} (valid)", config.source)];
    // The same checks every command makes before opening it; nothing is created or changed.
    let state = match crate::store::examine(&config.database)
        .await
        .map_err(Failure::new)?
    {
        crate::store::Found::Sqlite => "exists",
        crate::store::Found::Absent => "will be created on first use",
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
    if consult.coordinator_channel_id != 0 {
        lines.push(format!(
            "consultations: escalations posted to channel {}",
            consult.coordinator_channel_id
        ));
    }
    lines.extend(consultation_readiness(config).await?);
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
    let now = chrono::Utc::now().timestamp();
    if config.schedules.is_empty() {
        lines.push("schedules: none".to_string());
    } else {
        lines.push(format!("schedules: {}", config.schedules.len()));
        lines.extend(super::reminders::schedule_lines(config, now, 3));
    }
    lines.extend(super::reminders::closure_lines(config, now));
    if ask_discord {
        lines.extend(discord_findings(config).await?);
    }
    emit(&lines.join("\n"))
}

/// What consultations lack, from the configuration and (if it exists) the database's advisors.
pub(super) async fn consultation_readiness(config: &Config) -> Result<Vec<String>, Failure> {
    if !config.database.exists() {
        return Ok(readiness(config, &[]));
    }
    let pool = super::open_store(config).await?;
    readiness_in(config, &pool).await
}

/// The same, on an open database.
pub(super) async fn readiness_in(
    config: &Config,
    pool: &sqlx::SqlitePool,
) -> Result<Vec<String>, Failure> {
    let mut conn = pool.acquire().await.map_err(Failure::new)?;
    let advisors = crate::consult::advisor::load_all(&mut conn)
        .await
        .map_err(Failure::new)?;
    Ok(readiness(config, &advisors))
}

fn readiness(config: &Config, advisors: &[crate::consult::advisor::Advisor]) -> Vec<String> {
    let nonzero = |id: u64| (id != 0).then_some(id);
    crate::consult::readiness::missing(
        nonzero(config.consult.coordinator_channel_id),
        nonzero(config.consult.coordinator_role_id),
        advisors,
    )
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
    let settings =
        super::interactive::chat_settings(config, super::interactive::Transport::Discord);
    let findings = crate::discord::audit(&http, &config.discord, &settings).await;
    Ok(if findings.is_empty() {
        vec!["discord: the bot may do everything kyodo needs in the configured channels".into()]
    } else {
        findings
    })
}
