//! `kyodo console` and `kyodo run`: the conversation. The console works on its own database
//! (the demo lives there) unless one is named; `run` works on the configured one, marks it as a
//! running bot's, never loads the demo, and stops if its file is removed or replaced.

use std::io::IsTerminal;
use std::time::Duration;

use super::{emit, open_store_at, prompts, Failure};
use crate::chat::{Chat, ChatSettings};
use crate::config::Config;
use crate::lang::Lang;
use crate::prompts::Prompts;

/// How often `run` checks that its database file is still the one it opened.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// Which transport the chat is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Transport {
    Console,
    Discord,
}

/// The console shows coordinators' posts in the terminal: there they always reach someone.
const CONSOLE_COORDINATORS: u64 = 1;

async fn start_chat(
    config: &Config,
    pool: sqlx::SqlitePool,
    prompts: Prompts,
    transport: Transport,
) -> Result<Chat, Failure> {
    Ok(Chat::new(pool, prompts, chat_settings(config, transport)).await?)
}

/// The chat's settings, from the configuration.
pub(super) fn chat_settings(config: &Config, transport: Transport) -> ChatSettings {
    let consult = &config.consult;
    let nonzero = |id: u64| (id != 0).then_some(id);
    ChatSettings {
        default_language: config.default_language,
        search_limit: config.search_limit,
        lexicon_dir: config.lexicon_dir.clone(),
        consult: crate::consult::service::Settings {
            offer_timeout_secs: i64::from(consult.offer_timeout_hours.max(1)) * 3600,
            max_open_per_requester: i64::from(consult.max_open_per_requester.max(1)),
            max_topic_chars: consult.max_topic_chars.max(1) as usize,
            coordinator_channel: nonzero(consult.coordinator_channel_id)
                .or((transport == Transport::Console).then_some(CONSOLE_COORDINATORS)),
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
            office_contact: consult.office_contact.clone(),
        },
        retention_days: i64::from(consult.retention_days),
        plan: config.plan.clone(),
        schedules: config.schedules.clone(),
        chart_font: config.chart_font.clone(),
        ..ChatSettings::default()
    }
}

/// `named`: the database was named (`--db`, `KYODO_DB`); otherwise the console's own is used.
pub async fn console(config: &Config, named: bool) -> Result<(), Failure> {
    let path = if named {
        &config.database
    } else {
        &config.console_database
    };
    let pool = open_store_at(path).await?;
    let prompts = prompts(config)?;
    let lang = config.default_language;
    let shown = path.display().to_string();
    let production = crate::db::meta::production_since(&pool)
        .await
        .map_err(Failure::new)?
        .is_some();
    if production {
        emit(&prompts.fill(lang, "store.production_console", &[("path", &shown)]))?;
    } else if let Some(loaded) = crate::demo::load_if_empty(&pool)
        .await
        .map_err(Failure::new)?
    {
        emit(&prompts.fill(
            lang,
            "demo.loaded",
            &[
                ("groups", &loaded.groups.to_string()),
                ("advisors", &loaded.advisors.to_string()),
                ("actions", &loaded.actions.to_string()),
                ("path", &shown),
            ],
        ))?;
    }
    let chat = std::sync::Arc::new(start_chat(config, pool, prompts, Transport::Console).await?);
    // On a running bot's database, that bot does the background work; this console none.
    let worker = if production {
        crate::worker::Worker::idle(chat)
    } else {
        crate::worker::Worker::new(chat)
    };
    let interactive = std::io::stdin().is_terminal();
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    let mut output = std::io::stdout();
    let ran = crate::console::run(
        &worker,
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
    // The database first: refused files stop here, before any token or connection.
    let pool = open_store_at(&config.database).await?;
    crate::db::meta::mark_production(&pool, crate::store::unix_now())
        .await
        .map_err(Failure::new)?;
    let prompts = prompts(config)?;
    emit(
        &startup_line(&pool, &prompts, config.default_language)
            .await
            .map_err(Failure::new)?,
    )?;
    let watched = crate::store::Watched::new(&config.database).map_err(|error| {
        Failure::new(format!("database {}: {error}", config.database.display()))
    })?;
    // The token lives in the environment only; it is never logged or written anywhere.
    let token = std::env::var("DISCORD_TOKEN").unwrap_or_default();
    if token.trim().is_empty() {
        return Err(Failure::new(
            "DISCORD_TOKEN is not set: put the bot's token in the environment (never in a file)",
        ));
    }
    let chat = std::sync::Arc::new(start_chat(config, pool, prompts, Transport::Discord).await?);
    for line in super::check::readiness_in(config, chat.pool()).await? {
        tracing::warn!("{line}");
        emit(&line)?;
    }
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
        gone = watched.until_gone(WATCH_EVERY) => {
            // Its connections already refuse work; what is in flight ends with an error.
            bot.shutdown().await;
            Err(Failure::new(format!("{gone}: stopped; nothing more was saved. Restore the file (or start anew) and run kyodo again")))
        }
    }
}

/// The one line `run` says about its directory at start: empty (import the registry), or its
/// counts and how many of them are the demo's.
pub(crate) async fn startup_line(
    pool: &sqlx::SqlitePool,
    prompts: &Prompts,
    lang: Lang,
) -> Result<String, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let (groups, advisors, actions) = crate::demo::directory_counts(&mut conn).await?;
    drop(conn);
    if groups + advisors + actions == 0 {
        return Ok(prompts.get(lang, "store.directory_empty").to_string());
    }
    let mut line = prompts.fill(
        lang,
        "store.directory_counts",
        &[
            ("groups", &groups.to_string()),
            ("advisors", &advisors.to_string()),
            ("actions", &actions.to_string()),
        ],
    );
    let demo = crate::demo::count(pool).await?;
    if demo > 0 {
        line.push(' ');
        line.push_str(&prompts.fill(lang, "store.demo_present", &[("count", &demo.to_string())]));
    }
    Ok(line)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_start_up_line_says_an_empty_directory_is_empty_then_counts_the_demo() {
        let pool = crate::store::open_in_memory().await.unwrap();
        let prompts = Prompts::builtin().unwrap();
        let empty = startup_line(&pool, &prompts, Lang::En).await.unwrap();
        assert_eq!(empty, prompts.get(Lang::En, "store.directory_empty"));
        assert!(!empty.contains('\n'), "one line");

        crate::demo::load_if_empty(&pool).await.unwrap();
        let loaded = startup_line(&pool, &prompts, Lang::En).await.unwrap();
        assert_eq!(
            loaded,
            "Directory: 30 groups, 5 advisors, 22 plan actions. 57 of these are demo records (fictional): remove them with `kyodo demo remove`."
        );
    }
}
