//! The chat's shared state: the store, the search index (rebuilt when the directory changes),
//! prompts, settings and clock. The conversation is in `dispatch.rs` and `handlers/`.

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
    chart_font: Option<crate::remind::chart::ChartFont>,
    /// Topics waiting for their person's consent (memory only).
    pending_topics: super::pending::PendingTopics,
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
            chart_font,
            pending_topics: Default::default(),
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

/// The index and the directory version it reflects (read in one transaction).
async fn build_searcher(
    pool: &SqlitePool,
    lexicon_dir: Option<&std::path::Path>,
) -> anyhow::Result<(Searcher, i64)> {
    let mut tx = pool.begin().await?;
    let version = crate::db::directory_version::get(&mut tx).await?;
    let organizations = crate::db::organizations::load_all(&mut tx).await?;
    tx.commit().await?;
    let lexicon = Lexicon::load(LexiconParts::ALL, lexicon_dir)?;
    Ok((Searcher::new(organizations, lexicon), version))
}
