//! `kyodo check-config`: the configuration is valid, and this is what kyodo would do with it.

use super::{prompts, Failure};
use crate::config::Config;

pub async fn run(config: &Config) -> Result<(), Failure> {
    prompts(config)?;
    crate::directory::search::Lexicon::builtin(crate::directory::search::LexiconParts::ALL)
        .map_err(Failure::new)?;
    println!("configuration: {} (valid)", config.source);
    let state = if config.database.exists() {
        "exists"
    } else {
        "will be created on first use"
    };
    println!("database: {} ({state})", config.database.display());
    println!("default language: {}", config.default_language);
    match &config.prompts_dir {
        Some(dir) => println!("prompts: built in, reworded by {}", dir.display()),
        None => println!("prompts: built in"),
    }
    println!("search: up to {} groups per answer", config.search_limit);
    let discord = &config.discord;
    if discord.guild_id == 0 {
        println!("discord: no guild configured; slash commands will not be registered");
    } else {
        println!(
            "discord: guild {}; roles: {} staff, {} coordinator, {} admin",
            discord.guild_id,
            discord.staff_role_ids.len(),
            discord.coordinator_role_ids.len(),
            discord.admin_role_ids.len()
        );
    }
    let token = if std::env::var_os("DISCORD_TOKEN").is_some_and(|t| !t.is_empty()) {
        "set"
    } else {
        "not set"
    };
    println!("DISCORD_TOKEN: {token} (read from the environment only)");
    Ok(())
}
