//! `config.toml`, typed and validated at start. A bad file stops every command with one line
//! naming the key and where it is.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::lang::Lang;

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
    schedules: Vec<RawSchedule>,
    #[serde(default)]
    discord: RawDiscord,
}

#[derive(Debug, Default, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    name: Spanned<String>,
    cron: String,
    #[serde(default = "default_zone")]
    timezone: String,
    #[serde(default)]
    channel: u64,
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default = "default_on_holiday")]
    on_holiday: String,
    #[serde(default = "default_language")]
    language: Lang,
}

fn default_zone() -> String {
    "Asia/Tokyo".into()
}

fn default_kind() -> String {
    "progress-digest".into()
}

fn default_on_holiday() -> String {
    "run".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsultConfig {
    pub offer_timeout_hours: u32,
    pub max_open_per_requester: u32,
    pub max_topic_chars: u32,
    pub retention_days: u32,
    pub coordinator_channel_id: u64,
    pub coordinator_role_id: u64,
    /// How requester and advisor meet: "advisor-dm" or "private-thread" (in thread_channel_id).
    pub contact: String,
    pub thread_channel_id: u64,
    pub routing: RoutingConfig,
}

/// The routing policy's knobs (see src/consult/routing.rs).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingConfig {
    pub require_language: bool,
    pub count_open_offers: bool,
    pub min_fit: f32,
    /// Nobody fits the topic at all: the coordinators triage it (false: least-loaded advisor).
    pub triage_when_nothing_fits: bool,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        RoutingConfig {
            require_language: true,
            count_open_offers: true,
            min_fit: 0.0,
            triage_when_nothing_fits: true,
        }
    }
}

impl Default for ConsultConfig {
    fn default() -> Self {
        ConsultConfig {
            offer_timeout_hours: 24,
            max_open_per_requester: 3,
            max_topic_chars: 1000,
            retention_days: 365,
            coordinator_channel_id: 0,
            coordinator_role_id: 0,
            contact: "advisor-dm".into(),
            thread_channel_id: 0,
            routing: RoutingConfig::default(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    #[serde(default)]
    guild_id: u64,
    #[serde(default)]
    staff_role_ids: Vec<u64>,
    #[serde(default)]
    coordinator_role_ids: Vec<u64>,
    #[serde(default)]
    admin_role_ids: Vec<u64>,
    #[serde(default)]
    api_base: Option<Spanned<String>>,
}

fn default_database() -> Spanned<PathBuf> {
    Spanned::new(0..0, PathBuf::from("kyodo.db"))
}

fn default_language() -> Lang {
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

#[derive(Debug, Clone, Default)]
pub struct DiscordConfig {
    pub guild_id: u64,
    pub staff_role_ids: Vec<u64>,
    pub coordinator_role_ids: Vec<u64>,
    pub admin_role_ids: Vec<u64>,
    /// A Discord API proxy (or a test double) to send REST calls to instead of discord.com.
    pub api_base: Option<String>,
}

/// The validated configuration, paths resolved against the config file's folder.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it came from, for messages: a path, or "built-in default".
    pub source: String,
    pub database: PathBuf,
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
            invalid(
                error.span().unwrap_or(0..0),
                error.message().trim().to_string(),
            )
        })?;

        let database = base.join(raw.database.get_ref());
        let database_dir = database
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !database_dir.is_dir() {
            return Err(invalid(
                raw.database.span(),
                format!("database: folder {} does not exist", database_dir.display()),
            ));
        }
        let prompts_dir = match raw.prompts_dir {
            Some(dir) => {
                let resolved = base.join(dir.get_ref());
                if !resolved.is_dir() {
                    return Err(invalid(
                        dir.span(),
                        format!("prompts_dir: folder {} does not exist", resolved.display()),
                    ));
                }
                Some(resolved)
            }
            None => None,
        };
        let lexicon_dir = match &raw.search.lexicon_dir {
            Some(dir) => {
                let resolved = base.join(dir.get_ref());
                if !resolved.is_dir() {
                    return Err(invalid(
                        dir.span(),
                        format!(
                            "search.lexicon_dir: folder {} does not exist",
                            resolved.display()
                        ),
                    ));
                }
                Some(resolved)
            }
            None => None,
        };
        if let Some(base) = &raw.discord.api_base {
            let url = base.get_ref();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(invalid(
                    base.span(),
                    format!("discord.api_base: \"{url}\" is not an http(s) URL"),
                ));
            }
        }
        let mut schedules = Vec::new();
        for s in &raw.schedules {
            if schedules
                .iter()
                .any(|known: &crate::remind::schedule::Schedule| &known.name == s.name.get_ref())
            {
                return Err(invalid(
                    s.name.span(),
                    format!("schedule {}: the name is used twice", s.name.get_ref()),
                ));
            }
            let schedule = crate::remind::schedule::Schedule::parse(
                s.name.get_ref(),
                &s.cron,
                &s.timezone,
                s.channel,
                &s.kind,
                &s.on_holiday,
                s.language,
            )
            .map_err(|e| invalid(s.name.span(), e.to_string()))?;
            schedules.push(schedule);
        }
        let mut plan = crate::remind::digest::PlanSettings {
            owners: std::collections::HashMap::new(),
            stale_days: i64::from(raw.plan.stale_days.max(1)),
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
        let chart_font = match &raw.plan.chart_font {
            Some(path) => {
                let resolved = base.join(path.get_ref());
                if !resolved.is_file() {
                    return Err(invalid(
                        path.span(),
                        format!("plan.chart_font: {} is not a file", resolved.display()),
                    ));
                }
                Some(resolved)
            }
            None => None,
        };
        match (raw.consult.contact.as_str(), raw.consult.thread_channel_id) {
            ("advisor-dm", _) => {}
            ("private-thread", 0) => {
                return Err(invalid(
                    0..0,
                    "consult.contact: private-thread needs consult.thread_channel_id".into(),
                ));
            }
            ("private-thread", _) => {}
            (other, _) => {
                return Err(invalid(
                    0..0,
                    format!("consult.contact: \"{other}\" is not advisor-dm or private-thread"),
                ));
            }
        }
        let limit = *raw.search.limit.get_ref();
        if !(1..=25).contains(&limit) {
            return Err(invalid(
                raw.search.limit.span(),
                format!("search.limit: {limit} is outside 1–25"),
            ));
        }
        Ok(Config {
            source: source.to_string(),
            database,
            default_language: raw.default_language,
            prompts_dir,
            lexicon_dir,
            search_limit: limit,
            consult: raw.consult,
            plan,
            schedules,
            chart_font,
            discord: DiscordConfig {
                guild_id: raw.discord.guild_id,
                staff_role_ids: raw.discord.staff_role_ids,
                coordinator_role_ids: raw.discord.coordinator_role_ids,
                admin_role_ids: raw.discord.admin_role_ids,
                api_base: raw.discord.api_base.map(Spanned::into_inner),
            },
        })
    }

    /// The database named by `--db`, else `KYODO_DB`, else the config file.
    pub fn with_database_override(mut self, flag: Option<PathBuf>) -> Config {
        if let Some(path) = flag.or_else(|| std::env::var_os("KYODO_DB").map(PathBuf::from)) {
            self.database = path;
        }
        self
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
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse("test.toml", text, Path::new("."))
    }

    #[test]
    fn the_shipped_default_is_valid() {
        let config = parse(DEFAULT_CONFIG).expect("default config parses");
        assert_eq!(config.default_language, Lang::Ja);
        assert_eq!(config.search_limit, 5);
        assert!(config.database.ends_with("kyodo.db"));
    }

    #[test]
    fn an_empty_file_takes_every_default() {
        let config = parse("").expect("empty config parses");
        assert_eq!(config.search_limit, 5);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let error = parse("default_language = \"en\"\ncolour = 3\n").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("test.toml:2:1:"), "{text}");
        assert!(text.contains("colour"), "{text}");
    }

    #[test]
    fn unknown_key_in_a_table_is_named() {
        let text = parse("[search]\nlimmit = 3\n").unwrap_err().to_string();
        assert!(text.starts_with("test.toml:2:"), "{text}");
        assert!(text.contains("limmit"), "{text}");
    }

    #[test]
    fn wrong_type_is_named_with_its_line() {
        let text = parse("\n[search]\nlimit = \"five\"\n")
            .unwrap_err()
            .to_string();
        assert!(text.starts_with("test.toml:3:"), "{text}");
    }

    #[test]
    fn unsupported_language_is_refused() {
        let text = parse("default_language = \"fr\"").unwrap_err().to_string();
        assert!(text.starts_with("test.toml:1:"), "{text}");
        assert!(text.contains("fr"), "{text}");
    }

    #[test]
    fn database_in_a_missing_folder_is_refused() {
        let text = parse("database = \"/no/such/folder/k.db\"")
            .unwrap_err()
            .to_string();
        assert!(text.starts_with("test.toml:1:12:"), "{text}");
        assert!(text.contains("database"), "{text}");
    }

    #[test]
    fn out_of_range_limit_is_refused() {
        let text = parse("[search]\nlimit = 0").unwrap_err().to_string();
        assert!(text.contains("search.limit"), "{text}");
    }

    #[test]
    fn a_non_http_api_base_is_refused_with_its_line() {
        let text = parse("[discord]\nguild_id = 1\napi_base = \"ftp://x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with("test.toml:3:12: discord.api_base"),
            "{text}"
        );
    }

    #[test]
    fn a_bad_schedule_stops_start_up_naming_it() {
        let text = "[[schedules]]\nname = \"weekly\"\ncron = \"0 0 9 * * Mon\"\ntimezone = \"Mars/Olympus\"\n";
        let error = parse(text).unwrap_err().to_string();
        assert!(
            error.starts_with("test.toml:2:8: schedule weekly: unknown time zone"),
            "{error}"
        );
        let text = "[[schedules]]\nname = \"weekly\"\ncron = \"every monday\"\n";
        let error = parse(text).unwrap_err().to_string();
        assert!(
            error.contains("schedule weekly: cron expression \"every monday\""),
            "{error}"
        );
    }

    #[test]
    fn owners_must_be_roles_or_users_of_real_action_numbers() {
        let ok = parse("[plan.owners]\n\"10\" = [\"role:15\", \"user:16\"]\n").unwrap();
        assert_eq!(ok.plan.owners[&10].len(), 2);
        let error = parse("[plan.owners]\n\"10\" = [\"team:15\"]\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("plan.owners.10: \"team:15\""), "{error}");
        let error = parse("[plan.owners]\n\"ten\" = [\"role:15\"]\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"ten\" is not an action number"), "{error}");
    }

    #[test]
    fn contact_modes_are_checked() {
        assert!(parse("[consult]\ncontact = \"private-thread\"\nthread_channel_id = 5\n").is_ok());
        let error = parse("[consult]\ncontact = \"private-thread\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("private-thread needs consult.thread_channel_id"),
            "{error}"
        );
        let error = parse("[consult]\ncontact = \"carrier-pigeon\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"carrier-pigeon\" is not advisor-dm or private-thread"),
            "{error}"
        );
        let error = parse("[consult.routing]\nmin_fit = \"high\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("test.toml:2:"), "{error}");
    }

    #[test]
    fn missing_file_is_unreadable() {
        let error = Config::load(Some(Path::new("/no/such/kyodo.toml"))).unwrap_err();
        assert!(matches!(error, ConfigError::Unreadable { .. }));
    }
}
