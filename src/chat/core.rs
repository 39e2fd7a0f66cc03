//! The chat's shared state: the store, the directory in memory (the search index and the
//! advisors' chat accounts, rebuilt when the directory changes), what only this instance writes
//! (`memory.rs`), prompts, settings and clock. The conversation is in `dispatch.rs` and
//! `handlers/`. Answering a message reads no row while the store's files stay still
//! (`changes.rs`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use sqlx::SqlitePool;

use super::prompts::Prompts;
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::directory::search::{Lexicon, LexiconParts, Searcher};
use crate::lang::Lang;

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
                sla: Default::default(),
            },
            schedules: Vec::new(),
            chart_font: None,
            max_message_chars: 4000,
            lexicon_dir: None,
        }
    }
}

/// The directory as last loaded: the search index and who the advisors are on chat.
struct Directory {
    searcher: Arc<Searcher>,
    /// Chat user id → advisor id.
    advisor_accounts: HashMap<String, String>,
}

pub struct Chat {
    pool: SqlitePool,
    directory: RwLock<Arc<Directory>>,
    /// The directory version the index was built from (see `directory_version`).
    indexed_version: AtomicI64,
    prompts: Prompts,
    settings: ChatSettings,
    clock: SharedClock,
    /// Raised when a change wrote to the outbox, so the delivery worker runs at once.
    outbox_signal: tokio::sync::Notify,
    chart_font: Option<crate::remind::chart::ChartFont>,
    /// Topics waiting for their person's consent (memory only).
    pending_topics: super::pending::PendingTopics,
    /// The office lexicon's newest change when the index was built.
    lexicon_stamp: std::sync::Mutex<Option<std::time::SystemTime>>,
    /// Whether the store's files changed since the directory version was last read.
    changes: super::changes::StoreChanges,
    memory: super::memory::Memory,
}

impl Chat {
    /// Loads the directory from the store and builds the search index.
    pub async fn new(
        pool: SqlitePool,
        prompts: Prompts,
        settings: ChatSettings,
    ) -> anyhow::Result<Chat> {
        let lexicon_stamp = settings.lexicon_dir.as_deref().and_then(Lexicon::stamp);
        let changes = super::changes::StoreChanges::new(&pool);
        let look = changes.look();
        let (directory, version) = load_directory(&pool, settings.lexicon_dir.as_deref()).await?;
        changes.read_after(look);
        let chart_font = crate::remind::chart::find_font(settings.chart_font.as_deref());
        let memory = super::memory::Memory::default();
        memory.load(&pool).await?;
        Ok(Chat {
            pool,
            directory: RwLock::new(Arc::new(directory)),
            indexed_version: AtomicI64::new(version),
            prompts,
            settings,
            clock: Arc::new(SystemClock),
            outbox_signal: tokio::sync::Notify::new(),
            chart_font,
            pending_topics: Default::default(),
            lexicon_stamp: std::sync::Mutex::new(lexicon_stamp),
            changes,
            memory,
        })
    }

    /// Rebuilds the search index if an import (in this process or another) changed the
    /// directory since it was built. Two `stat`s when the store's files are still; one small
    /// query otherwise.
    pub async fn refresh_directory(&self) -> anyhow::Result<bool> {
        let look = self.changes.look();
        let lexicon_changed = self.lexicon_changed();
        if !lexicon_changed && self.changes.unchanged(look.as_ref()) {
            return Ok(false);
        }
        let version = directory_version(&self.pool).await?;
        if version == self.indexed_version.load(Ordering::Acquire) && !lexicon_changed {
            self.changes.read_after(look);
            return Ok(false);
        }
        self.reload_directory().await?;
        self.changes.read_after(look);
        Ok(true)
    }

    /// Whether a file of the office lexicon changed since the index was built.
    fn lexicon_changed(&self) -> bool {
        if self.settings.lexicon_dir.is_none() {
            return false;
        }
        let stamp = self
            .settings
            .lexicon_dir
            .as_deref()
            .and_then(Lexicon::stamp);
        match self.lexicon_stamp.lock() {
            Ok(mut known) => std::mem::replace(&mut *known, stamp) != stamp,
            Err(_) => false,
        }
    }

    /// Rebuilds the search index and the advisors' accounts from the store.
    pub async fn reload_directory(&self) -> anyhow::Result<()> {
        let (directory, version) =
            load_directory(&self.pool, self.settings.lexicon_dir.as_deref()).await?;
        let directory = Arc::new(directory);
        self.indexed_version.store(version, Ordering::Release);
        match self.directory.write() {
            Ok(mut current) => *current = directory,
            Err(poisoned) => *poisoned.into_inner() = directory,
        }
        Ok(())
    }

    fn directory(&self) -> Arc<Directory> {
        match self.directory.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The current search index, shared read-only.
    pub fn searcher(&self) -> Arc<Searcher> {
        self.directory().searcher.clone()
    }

    /// Lets go of searches typed longer ago than the search's recent outcomes keep them
    /// (`directory::search::recent`), also when nobody searches.
    pub fn forget_old_searches(&self) {
        self.directory().searcher.forget_old_searches();
    }

    /// The advisor whose chat account `chat_user_id` is, as the registry says now (the
    /// directory is refreshed first if an import changed it).
    pub async fn advisor_for(&self, chat_user_id: &str) -> Option<String> {
        self.refresh_or_log().await;
        self.advisor_account(chat_user_id)
    }

    /// Like `advisor_for`, from the directory as it is in memory: for a caller that has just
    /// called `refresh_directory` (one look at the store's files per message, not one per step).
    pub fn advisor_account(&self, chat_user_id: &str) -> Option<String> {
        self.directory().advisor_accounts.get(chat_user_id).cloned()
    }

    /// What only this instance writes, held in memory (languages chosen, open steps).
    pub(crate) fn memory(&self) -> &super::memory::Memory {
        &self.memory
    }

    /// Reads what `memory` holds from the store again: on taking the database over from
    /// another instance, and after the retention purge deleted rows.
    pub async fn reload_memory(&self) -> Result<(), sqlx::Error> {
        self.memory.load(&self.pool).await
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

    /// Topics typed with a request, waiting for consent (never stored).
    pub fn pending_topics(&self) -> &super::pending::PendingTopics {
        &self.pending_topics
    }

    /// The prompt `key` in `lang`, answered to the asking person only.
    pub fn say_privately(&self, lang: Lang, key: &str) -> super::reply::Reply {
        super::reply::Reply::text(lang, self.prompts.get(lang, key)).private()
    }

    /// Something failed inside: the detail goes to the log (never personal text), the person
    /// gets the short internal-error answer.
    pub fn internal_error(&self, lang: Lang, error: impl std::fmt::Display) -> super::reply::Reply {
        tracing::error!(%error, "a step failed");
        self.say_privately(lang, "error.internal")
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
}

async fn directory_version(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    crate::db::directory_version::get(&mut conn).await
}

/// The directory and the version it reflects (read in one transaction).
async fn load_directory(
    pool: &SqlitePool,
    lexicon_dir: Option<&std::path::Path>,
) -> anyhow::Result<(Directory, i64)> {
    let mut tx = pool.begin().await?;
    let version = crate::db::directory_version::get(&mut tx).await?;
    let organizations = crate::db::organizations::load_all(&mut tx).await?;
    let advisor_accounts = crate::db::advisors::chat_accounts(&mut tx)
        .await?
        .into_iter()
        .collect();
    tx.commit().await?;
    let lexicon = Lexicon::load(LexiconParts::ALL, lexicon_dir)?;
    let directory = Directory {
        searcher: Arc::new(Searcher::new(organizations, lexicon)),
        advisor_accounts,
    };
    Ok((directory, version))
}
