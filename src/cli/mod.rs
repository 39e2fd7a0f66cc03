//! The `kyodo` command line: arguments, and one function per command.

mod check;
mod files;
mod find;
mod interactive;
mod plan_files;
mod reminders;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};
use crate::registry::Kind;

#[derive(Debug, Parser)]
#[command(
    name = "kyodo",
    version,
    about = "協働推進ボット / civic-collaboration chat bot"
)]
pub struct Cli {
    /// Configuration file (default ./config.toml, else the built-in default).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Database file, overriding the configuration (also KYODO_DB).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// What `kyodo export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    Organizations,
    Advisors,
    Actions,
    Consultations,
    /// The plan's progress table (fiscal years as columns).
    Progress,
}

/// What `kyodo import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    Organizations,
    Advisors,
    Actions,
    /// A progress table: this tool's export or the office's own (fiscal years as columns).
    Progress,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Discord bot (token from the DISCORD_TOKEN environment variable).
    Run,
    /// Talk to the bot in this terminal, or run a script of lines from stdin; on its own
    /// database (kyodo-console.db, with the demo) unless --db names one.
    Console,
    /// The built-in demo directory's rows in the database.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Search the directory.
    Find {
        /// One JSON object per query.
        #[arg(long)]
        json: bool,
        /// Most results per query.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Only this district (and city-wide groups).
        #[arg(long, value_name = "A")]
        area: Option<String>,
        /// Only groups recruiting members or volunteers.
        #[arg(long)]
        recruiting: bool,
        /// The query; `-` reads one query per line from stdin.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
    },
    /// Import a registry CSV (UTF-8 or Shift_JIS); all-or-nothing, upsert by id; or a progress
    /// table (new items added, recorded ones left alone).
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        file: PathBuf,
        /// Check and count, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export a registry CSV (UTF-8 with BOM, for Excel) to FILE or stdout; `consultations`
    /// writes the audit of consultations, without personal text unless --with-text.
    Export {
        #[arg(value_enum)]
        kind: ExportKind,
        file: Option<PathBuf>,
        /// Consultations only: add topics and notes (personal text; admins only).
        #[arg(long)]
        with_text: bool,
        /// Progress only: the first fiscal year (default: the first with an update).
        #[arg(long, value_name = "YEAR")]
        from_fy: Option<i32>,
    },
    /// Write a fiscal year's figures for the plan's evaluation: CSV and a chart (PNG) into DIR,
    /// or the CSV to stdout without --out.
    Report {
        /// The fiscal year (April–March) by the year it starts in; default: the current one.
        #[arg(long, value_name = "YEAR")]
        fy: Option<i32>,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Language of the headers and labels (default: default_language).
        #[arg(long, value_name = "ja|en")]
        lang: Option<String>,
    },
    /// Validate the configuration and say what kyodo would do with it.
    CheckConfig {
        /// Also ask Discord (token from DISCORD_TOKEN) what the bot lacks: permissions in the
        /// configured channels, mentionable roles.
        #[arg(long)]
        discord: bool,
    },
    /// List the next fire times of each schedule, in its own time zone.
    Schedules {
        /// How many fires per schedule.
        #[arg(long, value_name = "N", default_value_t = 3)]
        next: usize,
    },
    /// Print the digest that would be posted at TIME (RFC 3339, or YYYY-MM-DD HH:MM in Asia/Tokyo).
    Digest {
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// The schedule whose language and zone to use (default: the first one).
        #[arg(long)]
        schedule: Option<String>,
        /// Also write the chart that goes with it to FILE (PNG).
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Remove the demo's groups, advisors and actions (rows that consultations or progress
    /// refer to are kept, advisors made inactive).
    Remove,
}

/// Runs the parsed command; `Err` carries the one-line reason and exit code.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let named_database = Config::named_database(cli.db.clone()).is_some();
    let config = Config::load(cli.config.as_deref())
        .map_err(Failure::config)?
        .with_database_override(cli.db);
    match cli.command {
        Command::Run => interactive::run_discord(&config).await,
        Command::Console => interactive::console(&config, named_database).await,
        Command::Demo {
            action: DemoAction::Remove,
        } => {
            let pool = open_store(&config).await?;
            let removal = crate::demo::remove(&pool).await.map_err(Failure::new)?;
            emit(&format!("{}: {removal}", config.database.display()))
        }
        Command::Find {
            json,
            limit,
            area,
            recruiting,
            query,
        } => {
            let options = find::FindArgs {
                json,
                limit: limit.unwrap_or(config.search_limit),
                area,
                recruiting,
                query,
            };
            find::run(&config, options).await
        }
        Command::Import {
            kind,
            file,
            dry_run,
        } => {
            let registry_kind = match kind {
                ImportKind::Organizations => Kind::Organizations,
                ImportKind::Advisors => Kind::Advisors,
                ImportKind::Actions => Kind::Actions,
                ImportKind::Progress => {
                    return plan_files::import_progress(&config, &file, dry_run).await
                }
            };
            files::import(&config, registry_kind, &file, dry_run).await
        }
        Command::Export {
            kind: ExportKind::Progress,
            file,
            with_text,
            from_fy,
        } => plan_files::export_progress(&config, file.as_deref(), with_text, from_fy).await,
        Command::Export {
            kind,
            file,
            with_text,
            from_fy,
        } => {
            if from_fy.is_some() {
                return Err(Failure::new("--from-fy applies to `export progress` only"));
            }
            files::export(&config, kind, file.as_deref(), with_text).await
        }
        Command::Report { fy, out, lang } => {
            plan_files::report(&config, fy, out.as_deref(), lang.as_deref()).await
        }
        Command::CheckConfig { discord } => check::run(&config, discord).await,
        Command::Schedules { next } => reminders::schedules(&config, next).await,
        Command::Digest {
            at,
            schedule,
            chart,
        } => {
            reminders::digest(
                &config,
                at.as_deref(),
                schedule.as_deref(),
                chart.as_deref(),
            )
            .await
        }
    }
}

/// A command's failure: what to print (one line, or one per problem) and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
    /// Lines that already say where they are from (`FILE:LINE: …`): printed as they are.
    pub bare: bool,
}

impl Failure {
    pub fn new(message: impl std::fmt::Display) -> Failure {
        Failure {
            message: message.to_string(),
            code: 1,
            bare: false,
        }
    }

    fn lines(message: impl std::fmt::Display) -> Failure {
        Failure {
            bare: true,
            ..Failure::new(message)
        }
    }

    fn config(error: ConfigError) -> Failure {
        Failure {
            code: 2,
            ..Failure::new(error)
        }
    }
}

/// Writes `bytes` to stdout. A reader that went away (`kyodo find … | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::new(format!("stdout: {error}")))
        }
        _ => Ok(()),
    }
}

/// Writes one line (or several) to stdout.
fn emit(text: &str) -> Result<(), Failure> {
    write_stdout(format!("{text}\n").as_bytes())
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure::new(format!("{error:#}"))
    }
}

/// Opens the configured database (creating and migrating it).
async fn open_store(config: &Config) -> Result<sqlx::SqlitePool, Failure> {
    if let Some(problem) = crate::config::database_problem(&config.database) {
        return Err(Failure::new(format!("database: {problem}")));
    }
    open_store_at(&config.database).await
}

/// Opens the database at `path` (refusing an empty, foreign or read-only file, creating a new
/// one where there is nothing), and recognises the demo rows of a database made before they
/// were recorded.
async fn open_store_at(path: &std::path::Path) -> Result<sqlx::SqlitePool, Failure> {
    let pool = crate::store::open(path).await.map_err(Failure::new)?;
    crate::demo::recognise_earlier(&pool)
        .await
        .map_err(Failure::new)?;
    Ok(pool)
}

/// The prompts, with the configured overrides; a bad override is a config error.
/// The search lexicon with the office's files (`search.lexicon_dir`) over the built-in one; a
/// file that does not parse is a configuration error (exit 2, `FILE:LINE: …`).
fn lexicon(config: &Config) -> Result<crate::directory::search::Lexicon, Failure> {
    use crate::directory::search::{Lexicon, LexiconParts};
    Lexicon::load(LexiconParts::ALL, config.lexicon_dir.as_deref()).map_err(|error| Failure {
        code: 2,
        ..Failure::new(error)
    })
}

fn prompts(config: &Config) -> Result<crate::prompts::Prompts, Failure> {
    let loaded = match &config.prompts_dir {
        Some(dir) => crate::prompts::Prompts::with_overrides(dir),
        None => crate::prompts::Prompts::builtin(),
    };
    loaded.map_err(|error| Failure {
        code: 2,
        ..Failure::new(error)
    })
}
