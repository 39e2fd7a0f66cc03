//! The chat core's entry: one incoming message or command → one reply.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use sqlx::SqlitePool;

use super::commands::{command, CommandError, Invocation, OptionValue};
use super::incoming::{Content, Incoming, Person};
use super::intent::{classify, Intent};
use super::prompts::Prompts;
use super::reply::Reply;
use super::search_reply::search_reply;
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::directory::organization;
use crate::directory::search::{Lexicon, LexiconParts, SearchOptions, Searcher};
use crate::lang::Lang;

/// No district name is longer; a longer `area` option is cut before it is echoed back.
const MAX_AREA_CHARS: usize = 20;

#[derive(Debug, Clone)]
pub struct ChatSettings {
    pub default_language: Lang,
    pub search_limit: usize,
    pub consult: crate::consult::service::Settings,
    /// Closed consultations keep their topic and notes this long.
    pub retention_days: i64,
    /// Owners of the plan's actions, and when an action is stale.
    pub plan: crate::remind::digest::PlanSettings,
    /// Scheduled posts (digests).
    pub schedules: Vec<crate::remind::schedule::Schedule>,
    /// The font the digest's chart is drawn with (None: look for a system font).
    pub chart_font: Option<std::path::PathBuf>,
    /// Longer messages are refused with a clear answer (Discord allows 4,000 for Nitro users).
    pub max_message_chars: usize,
    /// The office's search lexicon (`search.lexicon_dir`), reloaded when a file in it changes.
    pub lexicon_dir: Option<std::path::PathBuf>,
}

impl Default for ChatSettings {
    fn default() -> Self {
        ChatSettings {
            default_language: Lang::Ja,
            search_limit: 5,
            consult: crate::consult::service::Settings::default(),
            retention_days: 365,
            plan: crate::remind::digest::PlanSettings {
                owners: Default::default(),
                stale_days: 30,
            },
            schedules: Vec::new(),
            chart_font: None,
            max_message_chars: 4000,
            lexicon_dir: None,
        }
    }
}

pub struct Chat {
    pool: SqlitePool,
    searcher: RwLock<Arc<Searcher>>,
    /// The directory version the index was built from (see `directory_version`).
    indexed_version: AtomicI64,
    prompts: Prompts,
    settings: ChatSettings,
    clock: SharedClock,
    /// Raised when a change wrote to the outbox, so the delivery worker runs at once.
    outbox_signal: tokio::sync::Notify,
    /// When the retention purge last ran (it runs hourly).
    last_purge: AtomicI64,
    chart_font: Option<crate::remind::chart::ChartFont>,
    /// The office lexicon's newest change when the index was built.
    lexicon_stamp: std::sync::Mutex<Option<std::time::SystemTime>>,
}

impl Chat {
    /// Loads the directory from the store and builds the search index.
    pub async fn new(
        pool: SqlitePool,
        prompts: Prompts,
        settings: ChatSettings,
    ) -> anyhow::Result<Chat> {
        let lexicon_stamp = settings.lexicon_dir.as_deref().and_then(Lexicon::stamp);
        let (searcher, version) = build_searcher(&pool, settings.lexicon_dir.as_deref()).await?;
        let chart_font = crate::remind::chart::find_font(settings.chart_font.as_deref());
        Ok(Chat {
            pool,
            searcher: RwLock::new(Arc::new(searcher)),
            indexed_version: AtomicI64::new(version),
            prompts,
            settings,
            clock: Arc::new(SystemClock),
            outbox_signal: tokio::sync::Notify::new(),
            last_purge: AtomicI64::new(i64::MIN),
            chart_font,
            lexicon_stamp: std::sync::Mutex::new(lexicon_stamp),
        })
    }

    /// Rebuilds the search index if an import (in this process or another) changed the
    /// directory since it was built. One small query when nothing changed.
    pub async fn refresh_directory(&self) -> anyhow::Result<bool> {
        let version = directory_version(&self.pool).await?;
        let stamp = self
            .settings
            .lexicon_dir
            .as_deref()
            .and_then(Lexicon::stamp);
        let lexicon_changed = match self.lexicon_stamp.lock() {
            Ok(mut known) => std::mem::replace(&mut *known, stamp) != stamp,
            Err(_) => false,
        };
        if version == self.indexed_version.load(Ordering::Acquire) && !lexicon_changed {
            return Ok(false);
        }
        self.reload_directory().await?;
        Ok(true)
    }

    /// Rebuilds the search index from the store.
    pub async fn reload_directory(&self) -> anyhow::Result<()> {
        let (searcher, version) =
            build_searcher(&self.pool, self.settings.lexicon_dir.as_deref()).await?;
        let searcher = Arc::new(searcher);
        self.indexed_version.store(version, Ordering::Release);
        match self.searcher.write() {
            Ok(mut current) => *current = searcher,
            Err(poisoned) => *poisoned.into_inner() = searcher,
        }
        Ok(())
    }

    /// The current search index, shared read-only.
    pub fn searcher(&self) -> Arc<Searcher> {
        match self.searcher.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn prompts(&self) -> &Prompts {
        &self.prompts
    }

    pub fn chart_font(&self) -> Option<&crate::remind::chart::ChartFont> {
        self.chart_font.as_ref()
    }

    /// The same chat reading time from `clock` (tests, simulations).
    pub fn with_clock(mut self, clock: SharedClock) -> Chat {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn settings(&self) -> &ChatSettings {
        &self.settings
    }

    pub fn consult_settings(&self) -> &crate::consult::service::Settings {
        &self.settings.consult
    }

    /// True once an hour: time for the retention purge.
    pub fn purge_due(&self, now: i64) -> bool {
        let last = self.last_purge.load(Ordering::Acquire);
        now.saturating_sub(last) >= 3600
            && self
                .last_purge
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
    }

    pub fn outbox_changed(&self) {
        self.outbox_signal.notify_one();
    }

    /// Waits until a change wrote to the outbox, or `timeout` passes.
    pub async fn outbox_wait(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.outbox_signal.notified()).await;
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn handle(&self, incoming: &Incoming) -> Reply {
        if let Err(error) = self.refresh_directory().await {
            tracing::error!(%error, "checking the directory for changes failed");
        }
        let said = said_text(&incoming.content);
        let lang = self.language_for(&incoming.person, &said).await;
        if said.chars().count() > self.settings.max_message_chars {
            let max = self.settings.max_message_chars.to_string();
            return Reply::text(
                lang,
                self.prompts
                    .fill(lang, "command.too_long", &[("max", &max)]),
            )
            .private();
        }
        let invocation = match &incoming.content {
            Content::Button(id) => return self.press(&incoming.person, id, lang).await,
            Content::Text(text) if is_command_line(text) => Invocation::parse_line(text),
            Content::Text(text) => {
                if let Some(reply) = self
                    .continue_conversation(&incoming.person, text, lang)
                    .await
                {
                    return reply;
                }
                return self.natural(&incoming.person, text, lang).await;
            }
            Content::Command { name, options } => match command(name) {
                Some(spec) => Invocation::from_options(spec, options.clone()),
                None => Err(CommandError::Unknown(name.clone())),
            },
        };
        match invocation {
            Ok(invocation) => self.run(&invocation, &incoming.person, lang).await,
            Err(error) => self.command_error(&error, lang),
        }
    }

    async fn natural(&self, person: &Person, text: &str, lang: Lang) -> Reply {
        match classify(text) {
            Intent::Help => self.help(lang),
            Intent::Greeting => Reply::text(lang, self.prompts.get(lang, "greeting.hello")),
            Intent::Thanks => Reply::text(lang, self.prompts.get(lang, "greeting.thanks")),
            Intent::Consult { topic } => self.consult_start(person, topic.as_deref(), lang).await,
            Intent::Search => {
                let reply = self.find(text, SearchOptions::default(), lang);
                self.note_miss(person, text, &reply).await;
                reply
            }
        }
    }

    /// A search that found nothing is remembered as its terms (never the message), so the
    /// digest can show what people look for and the directory lacks.
    async fn note_miss(&self, person: &Person, text: &str, reply: &Reply) {
        // Only a search that found nothing offers the consultation button.
        if !reply
            .buttons
            .iter()
            .any(|b| b.action == super::buttons::ButtonAction::StartConsultation)
        {
            return;
        }
        let query = self.searcher().understand(text);
        let terms: Vec<String> = query
            .terms
            .iter()
            .filter(|t| t.weight >= 1.0 && !t.untranslated_english)
            .filter_map(|t| t.alternatives.first().map(|a| a.text.clone()))
            .collect();
        if terms.is_empty() {
            return;
        }
        if let Err(error) =
            crate::remind::digest::record_miss(self.pool(), &terms, &person.id, self.clock().now())
                .await
        {
            tracing::warn!(%error, "recording a search miss");
        }
    }

    async fn run(&self, invocation: &Invocation, person: &Person, lang: Lang) -> Reply {
        match invocation.spec.name {
            "find" => {
                let options = SearchOptions {
                    area: invocation
                        .text("area")
                        .map(|a| crate::text::truncate_chars(a.trim(), MAX_AREA_CHARS).to_string())
                        .filter(|a| !a.is_empty()),
                    recruiting_only: invocation.flag("recruiting"),
                    ..SearchOptions::default()
                };
                self.find(invocation.text("query").unwrap_or(""), options, lang)
            }
            "language" => {
                self.set_language(person, invocation.text("language").unwrap_or(""), lang)
                    .await
            }
            "consult" => {
                self.consult_start(person, invocation.text("topic"), lang)
                    .await
            }
            "consultations" => self.list(person, lang).await,
            "accept" => {
                self.answer_by_number(person, invocation.text("number").unwrap_or(""), true, lang)
                    .await
            }
            "decline" => {
                self.answer_by_number(person, invocation.text("number").unwrap_or(""), false, lang)
                    .await
            }
            "resolve" => {
                self.resolve(
                    person,
                    invocation.text("number").unwrap_or(""),
                    invocation.text("note").unwrap_or(""),
                    lang,
                )
                .await
            }
            "cancel" => {
                self.cancel(person, invocation.text("number").unwrap_or(""), lang)
                    .await
            }
            "assign" => {
                self.assign(
                    person,
                    invocation.text("number").unwrap_or(""),
                    invocation.text("advisor").unwrap_or(""),
                    lang,
                )
                .await
            }
            "availability" => {
                self.set_availability(person, invocation.text("state").unwrap_or(""), lang)
                    .await
            }
            "progress" => {
                let action = invocation.text("action").unwrap_or("");
                self.progress(
                    person,
                    action,
                    invocation.text("status"),
                    invocation.text("note"),
                    lang,
                )
                .await
            }
            "plan" => self.plan_overview(lang).await,
            _ => self.help(lang),
        }
    }

    fn help(&self, lang: Lang) -> Reply {
        let text = format!(
            "{}\n{}",
            self.prompts.get(lang, "help.title"),
            self.prompts.get(lang, "help.body")
        );
        Reply::text(lang, text)
    }

    fn find(&self, query: &str, mut options: SearchOptions, lang: Lang) -> Reply {
        let searcher = self.searcher();
        if searcher.organizations().is_empty() {
            return Reply::text(lang, self.prompts.get(lang, "search.empty_directory"));
        }
        options.limit = self.settings.search_limit;
        let outcome = searcher.search(query, &options);
        if !outcome.understood {
            return Reply::text(lang, self.prompts.get(lang, "not_understood.text"));
        }
        let mut reply = search_reply(&searcher, &self.prompts, lang, query, &outcome);
        if let (true, Some(area)) = (outcome.none_in_area, &outcome.area) {
            let note = self
                .prompts
                .fill(lang, "search_area.none_in_area", &[("area", area)]);
            reply.text = format!("{note}\n{}", reply.text);
        }
        if let Some(area) = &options.area {
            reply.text.push_str(
                &self
                    .prompts
                    .fill(lang, "search.area_filter", &[("area", area)]),
            );
        }
        reply
    }

    async fn set_language(&self, person: &Person, code: &str, lang: Lang) -> Reply {
        let Some(chosen) = Lang::parse(code) else {
            return Reply::text(
                lang,
                self.prompts
                    .fill(lang, "language.unknown", &[("value", code)]),
            )
            .private();
        };
        let saved = sqlx::query(
            "INSERT INTO user_preferences (user_id, language) VALUES (?1, ?2)
             ON CONFLICT (user_id) DO UPDATE SET language = ?2",
        )
        .bind(&person.id)
        .bind(chosen.code())
        .execute(&self.pool)
        .await;
        if let Err(error) = saved {
            tracing::error!(%error, "saving a language preference failed");
            return Reply::text(lang, self.prompts.get(lang, "error.internal")).private();
        }
        Reply::text(chosen, self.prompts.get(chosen, "language.set")).private()
    }

    fn command_error(&self, error: &CommandError, lang: Lang) -> Reply {
        let text = match error {
            CommandError::Unknown(name) => {
                self.prompts
                    .fill(lang, "command.unknown", &[("name", name)])
            }
            CommandError::Missing { command, option } => {
                let spec = super::commands::command(command);
                let example = spec
                    .map(|s| self.prompts.get(lang, &s.example_key()).to_string())
                    .unwrap_or_default();
                let option_text = spec
                    .and_then(|s| {
                        s.option(option)
                            .map(|o| self.prompts.get(lang, &s.option_key(o)).to_string())
                    })
                    .unwrap_or_else(|| option.to_string());
                self.prompts.fill(
                    lang,
                    "command.missing_option",
                    &[
                        ("name", command),
                        ("option", &option_text),
                        ("example", &example),
                    ],
                )
            }
            CommandError::Bad {
                command,
                option,
                value,
            } => self.prompts.fill(
                lang,
                "command.bad_option",
                &[("name", command), ("option", option), ("value", value)],
            ),
        };
        Reply::text(lang, text).private()
    }

    /// The person's chosen language, else the message's, else their client's, else the default.
    async fn language_for(&self, person: &Person, said: &str) -> Lang {
        let stored: Result<Option<String>, sqlx::Error> =
            sqlx::query_scalar("SELECT language FROM user_preferences WHERE user_id = ?1")
                .bind(&person.id)
                .fetch_optional(&self.pool)
                .await;
        let stored = match stored {
            Ok(code) => code.and_then(|c| Lang::parse(&c)),
            Err(error) => {
                tracing::warn!(%error, "reading a language preference failed");
                None
            }
        };
        stored
            .or_else(|| Lang::detect(said))
            .or(person.locale)
            .unwrap_or(self.settings.default_language)
    }
}

async fn directory_version(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM directory_version WHERE id = 1")
        .fetch_one(pool)
        .await
}

/// The index and the directory version it reflects (read in one transaction).
async fn build_searcher(
    pool: &SqlitePool,
    lexicon_dir: Option<&std::path::Path>,
) -> anyhow::Result<(Searcher, i64)> {
    let mut tx = pool.begin().await?;
    let version: i64 = sqlx::query_scalar("SELECT version FROM directory_version WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let organizations = organization::load_all(&mut tx).await?;
    tx.commit().await?;
    let lexicon = Lexicon::load(LexiconParts::ALL, lexicon_dir)?;
    Ok((Searcher::new(organizations, lexicon), version))
}

fn is_command_line(text: &str) -> bool {
    text.trim_start().starts_with(['/', '／'])
}

/// The words the person wrote, for telling their language (a command's text options count).
fn said_text(content: &Content) -> String {
    match content {
        Content::Text(text) => {
            if is_command_line(text) {
                // The command name itself is English or Japanese by the table, not by the person.
                text.trim_start()
                    .split_once(char::is_whitespace)
                    .map_or(String::new(), |(_, rest)| rest.to_string())
            } else {
                text.clone()
            }
        }
        Content::Button(_) => String::new(),
        Content::Command { options, .. } => options
            .iter()
            .filter_map(|(_, v)| match v {
                OptionValue::Text(t) => Some(t.as_str()),
                OptionValue::Bool(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}
