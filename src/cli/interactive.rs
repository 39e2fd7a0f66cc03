//! `kyodo console` and `kyodo run`: the conversation, on the demo directory if the store is empty.

use std::io::IsTerminal;

use super::{emit, open_store, prompts, Failure};
use crate::chat::{Chat, ChatSettings};
use crate::config::Config;

async fn start_chat(config: &Config) -> Result<Chat, Failure> {
    let pool = open_store(config).await?;
    let prompts = prompts(config)?;
    if let Some(loaded) = crate::demo::load_if_empty(&pool)
        .await
        .map_err(Failure::new)?
    {
        let lang = config.default_language;
        emit(&prompts.fill(
            lang,
            "demo.loaded",
            &[
                ("groups", &loaded.groups.to_string()),
                ("advisors", &loaded.advisors.to_string()),
                ("actions", &loaded.actions.to_string()),
            ],
        ))?;
    }
    let consult = &config.consult;
    let nonzero = |id: u64| (id != 0).then_some(id);
    let settings = ChatSettings {
        default_language: config.default_language,
        search_limit: config.search_limit,
        lexicon_dir: config.lexicon_dir.clone(),
        consult: crate::consult::service::Settings {
            offer_timeout_secs: i64::from(consult.offer_timeout_hours.max(1)) * 3600,
            max_open_per_requester: i64::from(consult.max_open_per_requester.max(1)),
            max_topic_chars: consult.max_topic_chars.max(1) as usize,
            coordinator_channel: nonzero(consult.coordinator_channel_id),
            coordinator_role: nonzero(consult.coordinator_role_id),
            contact: match (consult.contact.as_str(), consult.thread_channel_id) {
                ("private-thread", channel) if channel != 0 => {
                    crate::consult::service::Contact::PrivateThread(channel)
                }
                _ => crate::consult::service::Contact::AdvisorDm,
            },
            routing: crate::consult::routing::Knobs {
                require_language: consult.routing.require_language,
                count_open_offers: consult.routing.count_open_offers,
                min_fit: consult.routing.min_fit.max(0.0),
                triage_when_nothing_fits: consult.routing.triage_when_nothing_fits,
            },
        },
        retention_days: i64::from(consult.retention_days),
        plan: config.plan.clone(),
        schedules: config.schedules.clone(),
        chart_font: config.chart_font.clone(),
        ..ChatSettings::default()
    };
    Ok(Chat::new(pool, prompts, settings).await?)
}

pub async fn console(config: &Config) -> Result<(), Failure> {
    let chat = start_chat(config).await?;
    let interactive = std::io::stdin().is_terminal();
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    let mut output = std::io::stdout();
    let ran = crate::console::run(
        &chat,
        input,
        &mut output,
        interactive,
        config.default_language,
    )
    .await;
    match ran {
        // The reader went away (`kyodo console | head`): a normal end.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other.map_err(Failure::from),
    }
}

pub async fn run_discord(config: &Config) -> Result<(), Failure> {
    // The token lives in the environment only; it is never logged or written anywhere.
    let token = std::env::var("DISCORD_TOKEN").unwrap_or_default();
    if token.trim().is_empty() {
        return Err(Failure::new(
            "DISCORD_TOKEN is not set: put the bot's token in the environment (never in a file)",
        ));
    }
    let chat = std::sync::Arc::new(start_chat(config).await?);
    let http = crate::discord::http(token.trim(), config.discord.api_base.as_deref());
    let mut bot = crate::discord::start(http, chat, config.discord.clone(), Default::default())
        .await
        .map_err(Failure::new)?;
    tokio::select! {
        ended = bot.finished() => ended.map_err(Failure::new),
        () = shutdown_signal() => {
            tracing::info!("shutting down");
            bot.shutdown().await;
            Ok(())
        }
    }
}

/// SIGINT (Ctrl-C) or SIGTERM (a service manager stopping kyodo).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM");
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
