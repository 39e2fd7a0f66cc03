//! `config.toml`, typed and validated at start. A bad file stops every command with one line
//! naming the key and where it is.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::lang::Lang;

mod consult;
mod discord;
mod schedules;
mod terms;

pub use consult::{ConsultConfig, RoutingConfig};
use discord::RawDiscord;
pub use discord::{DiscordConfig, DEFAULT_LEASE_SECONDS};

/// The commented default shipped with the project, used when no config file exists.
pub const DEFAULT_CONFIG: &str = include_str!("../config.toml");
pub const DEFAULT_CONFIG_PATH: &str = "config.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default = "default_database")]
    database: Spanned<PathBuf>,
    #[serde(default = "default_language")]
    default_language: Lang,
    #[serde(default)]
    prompts_dir: Option<Spanned<PathBuf>>,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    consult: ConsultConfig,
    #[serde(default)]
    plan: RawPlan,
    #[serde(default)]
    schedules: Vec<schedules::RawSchedule>,
    #[serde(default)]
    discord: RawDiscord,
    #[serde(default)]
    calendar: schedules::RawCalendar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    #[serde(default = "default_stale_days")]
    stale_days: u32,
    #[serde(default)]
    owners: std::collections::BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default)]
    chart_font: Option<Spanned<PathBuf>>,
}

fn default_stale_days() -> u32 {
    30
}

impl Default for RawPlan {
    fn default() -> Self {
        RawPlan {
            stale_days: default_stale_days(),
            owners: Default::default(),
            chart_font: None,
        }
    }
}

fn default_database() -> Spanned<PathBuf> {
    Spanned::new(0..0, PathBuf::from("kyodo.db"))
}

pub(super) fn default_language() -> Lang {
    Lang::Ja
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "default_limit")]
    pub limit: Spanned<usize>,
    /// Folder of the office's lexicon files, read over the built-in ones.
    #[serde(default)]
    pub lexicon_dir: Option<Spanned<PathBuf>>,
}

fn default_limit() -> Spanned<usize> {
    Spanned::new(0..0, 5)
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            limit: default_limit(),
            lexicon_dir: None,
        }
    }
}

/// The console's own database file name, beside the configuration.
pub const CONSOLE_DATABASE: &str = "kyodo-console.db";

/// The validated configuration, paths resolved against the config file's folder.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it came from, for messages: a path, or "built-in default".
    pub source: String,
    pub database: PathBuf,
    /// The console's own database, `kyodo-console.db` beside the configuration (where the demo
    /// lives), used by `kyodo console` unless `--db` or `KYODO_DB` names one.
    pub console_database: PathBuf,
    pub default_language: Lang,
    pub prompts_dir: Option<PathBuf>,
    /// The office's search lexicon, over the built-in one (`search.lexicon_dir`).
    pub lexicon_dir: Option<PathBuf>,
    pub search_limit: usize,
    pub consult: ConsultConfig,
    pub plan: crate::remind::digest::PlanSettings,
    pub schedules: Vec<crate::remind::schedule::Schedule>,
    /// A font file for the digest's chart (Japanese labels need a CJK font).
    pub chart_font: Option<PathBuf>,
    pub discord: DiscordConfig,
    /// The office calendar every closed-day rule reads.
    pub calendar: std::sync::Arc<crate::plan::calendar::Calendar>,
}

impl Config {
    /// Reads `path`, or, when none was named and `./config.toml` is absent, the built-in default.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let (source, text, base) = match path {
            Some(path) => read(path)?,
            None => {
                let default = Path::new(DEFAULT_CONFIG_PATH);
                if default.exists() {
                    read(default)?
                } else {
                    (
                        "built-in default".to_string(),
                        DEFAULT_CONFIG.to_string(),
                        PathBuf::from("."),
                    )
                }
            }
        };
        Config::parse(&source, &text, &base)
    }

    /// Parses and validates config text; `base` resolves relative paths.
    pub fn parse(source: &str, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let invalid = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            ConfigError::Invalid {
                path: source.to_string(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            let key = terms::key_at(text, span.start);
            invalid(span, terms::explain(&key, error.message()))
        })?;
        // Settings that have no span of their own are pointed at where the file sets them.
        let at = |table: &str, key: &str| terms::locate(text, table, key).unwrap_or(0..0);

        if raw.database.get_ref().as_os_str().is_empty() {
            return Err(invalid(
                raw.database.span(),
                "database: a file name for the database, not empty".into(),
            ));
        }
        let database = base.join(raw.database.get_ref());
        if let Some(problem) = database_problem(&database) {
            return Err(invalid(raw.database.span(), format!("database: {problem}")));
        }
        let found = |path: &Option<Spanned<PathBuf>>, key: &str, folder: bool| {
            existing(base, path.as_ref(), key, folder).map_err(|(span, m)| invalid(span, m))
        };
        let prompts_dir = found(&raw.prompts_dir, "prompts_dir", true)?;
        let lexicon_dir = found(&raw.search.lexicon_dir, "search.lexicon_dir", true)?;
        if let Some((span, message)) = raw.discord.problem() {
            return Err(invalid(span, message));
        }
        let (calendar, schedules) = schedules::build(&raw.calendar, &raw.schedules)
            .map_err(|(span, message)| invalid(span, message))?;
        let mut plan = crate::remind::digest::PlanSettings {
            owners: std::collections::HashMap::new(),
            stale_days: i64::from(raw.plan.stale_days.max(1)),
            sla: crate::remind::sla::SlaSettings {
                hours: raw.consult.sla_hours,
                office: crate::plan::office_hours::OfficeHours::parse(&raw.consult.office_hours)
                    .ok_or_else(|| {
                        invalid(
                            0..0,
                            format!(
                                "consult.office_hours: \"{}\" is not HH:MM-HH:MM (opening before closing)",
                                raw.consult.office_hours
                            ),
                        )
                    })?,
                coordinator_role: raw.consult.coordinator_role_id,
                calendar: calendar.clone(),
            },
        };
        for (action, owners) in &raw.plan.owners {
            let Some(no) = action.parse::<u32>().ok().filter(|n| (1..=99).contains(n)) else {
                return Err(invalid(
                    owners.span(),
                    format!("plan.owners: \"{action}\" is not an action number"),
                ));
            };
            let mut mentions = Vec::new();
            for owner in owners.get_ref() {
                let Some(mention) = crate::outbox::Mention::parse(owner) else {
                    return Err(invalid(
                        owners.span(),
                        format!("plan.owners.{action}: \"{owner}\" is not role:ID or user:ID"),
                    ));
                };
                mentions.push(mention);
            }
            plan.owners.insert(no, mentions);
        }
        let chart_font = found(&raw.plan.chart_font, "plan.chart_font", false)?;
        match (raw.consult.contact.as_str(), raw.consult.thread_channel_id) {
            ("advisor-dm", _) => {}
            ("private-thread", 0) => {
                return Err(invalid(
                    at("consult", "contact"),
                    "consult.contact: private-thread needs consult.thread_channel_id (a Discord channel id)".into(),
                ));
            }
            ("private-thread", _) => {}
            (other, _) => {
                return Err(invalid(
                    at("consult", "contact"),
                    format!("consult.contact: advisor-dm or private-thread, not \"{other}\""),
                ));
            }
        }
        let limit = *raw.search.limit.get_ref();
        if !(1..=25).contains(&limit) {
            return Err(invalid(
                raw.search.limit.span(),
                format!("search.limit: a whole number from 1 to 25, not {limit}"),
            ));
        }
        if !(0.0..=1.0).contains(&raw.consult.routing.min_fit) {
            return Err(invalid(
                at("consult.routing", "min_fit"),
                format!(
                    "consult.routing.min_fit: a number from 0 to 1, not {}",
                    raw.consult.routing.min_fit
                ),
            ));
        }
        if raw.plan.stale_days == 0 && terms::locate(text, "plan", "stale_days").is_some() {
            return Err(invalid(
                at("plan", "stale_days"),
                "plan.stale_days: a whole number of days, 1 or more, not 0".into(),
            ));
        }
        Ok(Config {
            source: source.to_string(),
            database,
            console_database: base.join(CONSOLE_DATABASE),
            default_language: raw.default_language,
            prompts_dir,
            lexicon_dir,
            search_limit: limit,
            consult: raw.consult,
            plan,
            schedules,
            chart_font,
            calendar,
            discord: raw.discord.settle(),
        })
    }

    /// The database named by `--db`, else `KYODO_DB`, else the config file.
    pub fn with_database_override(mut self, flag: Option<PathBuf>) -> Config {
        if let Some(path) = Config::named_database(flag) {
            self.database = path;
        }
        self
    }

    /// The database named on the command line (`--db`) or in `KYODO_DB`, if any.
    pub fn named_database(flag: Option<PathBuf>) -> Option<PathBuf> {
        flag.or_else(|| std::env::var_os("KYODO_DB").map(PathBuf::from))
    }
}

/// `path` (if given) resolved against `base`; an error (where, message) when it is not an
/// existing folder (`folder`) or file.
fn existing(
    base: &Path,
    path: Option<&Spanned<PathBuf>>,
    key: &str,
    folder: bool,
) -> Result<Option<PathBuf>, (std::ops::Range<usize>, String)> {
    let Some(path) = path else {
        return Ok(None);
    };
    let resolved = base.join(path.get_ref());
    match (folder, resolved.is_dir(), resolved.is_file()) {
        (true, true, _) | (false, _, true) => Ok(Some(resolved)),
        (true, false, _) => Err((
            path.span(),
            format!("{key}: folder {} does not exist", resolved.display()),
        )),
        (false, _, false) => Err((
            path.span(),
            format!("{key}: {} is not a file", resolved.display()),
        )),
    }
}

/// What is wrong with `path` as the database file, if anything: its folder must exist, and it
/// must be a regular file or not exist yet (a folder or a device such as /dev/null is refused).
pub fn database_problem(path: &Path) -> Option<String> {
    let folder = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if path.is_dir() {
        return Some(format!(
            "{} is a folder; name a file in it, e.g. {}",
            path.display(),
            path.join("kyodo.db").display()
        ));
    }
    if !folder.is_dir() {
        return Some(format!("folder {} does not exist", folder.display()));
    }
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Some(format!(
            "{} is not a regular file; name a database file",
            path.display()
        )),
        _ => None,
    }
}

fn read(path: &Path) -> Result<(String, String, PathBuf), ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Unreadable {
        path: shown.clone(),
        reason: error.to_string(),
    })?;
    let base = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((shown, text, base))
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
