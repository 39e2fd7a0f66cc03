//! All-or-nothing import of a registry file in two steps: [`prepare`] reads, checks and
//! compares everything without taking the write lock (a long file never holds up the bot),
//! then [`write`] saves only what changed, fast, inside the caller's write transaction.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::decode::{decode, Encoding};
use super::record::Record;
use super::table::{read_rows, Problem, Problems};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub file: String,
    pub encoding: Encoding,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub dry_run: bool,
    /// The demo's rows of this kind this import took out (see `demo_rows::remove_kind`).
    pub demo_removed: usize,
    /// One line per record added or changed: `A01: discord_user_id 9…001 → 9…000`.
    pub changes: Vec<String>,
}

impl ImportReport {
    pub fn summary(&self) -> String {
        let mode = if self.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        let demo = match self.demo_removed {
            0 => String::new(),
            n => format!(", replaced the demo's {n} records"),
        };
        format!(
            "{}: {}, added {}, updated {}, unchanged {}{demo}{mode}",
            self.file,
            self.encoding.label(),
            self.added,
            self.updated,
            self.unchanged
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}:{}: encoding: {error}", .error.line())]
    Encoding {
        file: String,
        error: super::decode::DecodeError,
    },
    #[error("{}", render_problems(.file, .problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    #[error("{file}: another kyodo is writing to the database; nothing was imported, try again in a moment")]
    Busy { file: String },
    #[error("database error during import: {0}")]
    Store(#[from] sqlx::Error),
}

/// Most problems listed one per line; a file with more is the wrong file or a systematic
/// mistake, and the first ones say which.
const PROBLEMS_SHOWN: usize = 100;

fn render_problems(file: &str, problems: &[Problem]) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(|p| p.render(file))
        .collect();
    if problems.len() > PROBLEMS_SHOWN {
        lines.push(format!(
            "{file}: … and {} more problem(s) like these",
            problems.len() - PROBLEMS_SHOWN
        ));
    }
    lines.push(format!(
        "{file}: {} problem(s); nothing was imported",
        problems.len()
    ));
    lines.join("\n")
}

/// A checked file: what it would change, against the directory version it was compared with.
pub(crate) struct Prepared<R> {
    pub report: ImportReport,
    /// Records to save: new ones and changed ones.
    pub save: Vec<R>,
    /// The `directory_version` the comparison was made against.
    pub version: i64,
}

/// Decodes, parses and checks `bytes`, and compares them with the stored records read through
/// `conn` (reads only). Every problem of the file comes back at once.
pub(crate) async fn prepare<R: Record>(
    conn: &mut SqliteConnection,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Prepared<R>, ImportError> {
    let (text, encoding) = decode(bytes).map_err(|error| ImportError::Encoding {
        file: file.to_string(),
        error,
    })?;
    let mut problems = Problems::default();
    let rows = read_rows(&text, R::COLUMNS, &mut problems);
    drop(text);
    let mut records: Vec<(u64, R)> = Vec::with_capacity(rows.len());
    let mut first_seen: HashMap<String, u64> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let Some(record) = R::parse(row, &mut problems) else {
            continue;
        };
        let key = record.key();
        if let Some(first) = first_seen.get(&key) {
            problems.add(
                row.line,
                R::KEY_COLUMN,
                format!("{key} is listed twice (first on line {first})"),
            );
            continue;
        }
        first_seen.insert(key, row.line);
        records.push((row.line, record));
    }
    drop(rows);

    let version: i64 = crate::db::directory_version::get(conn).await?;
    let stored = R::load_all(conn).await?;
    R::check_together(&records, &stored, &mut problems);
    if !problems.is_empty() {
        let mut problems = problems.0;
        problems.sort_by_key(|p| p.line);
        return Err(ImportError::Invalid {
            file: file.to_string(),
            problems,
        });
    }

    let stored: HashMap<String, R> = stored.into_iter().map(|r| (r.key(), r)).collect();
    let mut report = ImportReport {
        file: file.to_string(),
        encoding,
        added: 0,
        updated: 0,
        unchanged: 0,
        dry_run,
        demo_removed: 0,
        changes: Vec::new(),
    };
    let mut save = Vec::new();
    for (_, record) in records {
        match stored.get(&record.key()) {
            Some(old) if *old == record => {
                report.unchanged += 1;
                continue;
            }
            Some(old) => {
                report.updated += 1;
                if dry_run {
                    report.changes.push(describe_change(old, &record));
                }
            }
            None => {
                report.added += 1;
                if dry_run {
                    report.changes.push(format!("{}: new", record.key()));
                }
            }
        }
        save.push(record);
    }
    // In key order: the bulk copy under the write lock then appends to the indexes in order.
    save.sort_by_cached_key(|record| record.key());
    Ok(Prepared {
        report,
        save,
        version,
    })
}

impl<R> Prepared<R> {
    fn writes(&self) -> bool {
        !self.report.dry_run && !self.save.is_empty()
    }
}

/// Stages a prepared file on `conn`, outside any write transaction.
pub(crate) async fn stage<R: Record>(
    conn: &mut SqliteConnection,
    prepared: &Prepared<R>,
) -> Result<(), sqlx::Error> {
    if !prepared.writes() {
        return Ok(());
    }
    R::stage(conn, &prepared.save, crate::store::unix_now()).await
}

/// Saves a prepared (and staged) file inside the caller's write transaction on the same `conn`.
pub(crate) async fn write<R: Record>(
    conn: &mut SqliteConnection,
    prepared: &Prepared<R>,
) -> Result<(), sqlx::Error> {
    if !prepared.writes() {
        return Ok(());
    }
    R::save_all(conn, &prepared.save, crate::store::unix_now()).await?;
    crate::db::directory_version::bump(conn).await
}

/// `key: column old → new; column old → new`, values shortened to stay on one line.
fn describe_change<R: Record>(old: &R, new: &R) -> String {
    let shown = |value: &str| {
        let flat = value.replace(['\n', '\r'], " ");
        let cut = crate::text::truncate_chars(&flat, 40);
        if cut.len() < flat.len() {
            format!("{cut}…")
        } else {
            flat
        }
    };
    let parts: Vec<String> = R::COLUMNS
        .iter()
        .zip(old.to_row().iter().zip(new.to_row().iter()))
        .filter(|(_, (a, b))| a != b)
        .map(|(column, (a, b))| format!("{column} {} → {}", shown(a), shown(b)))
        .collect();
    format!("{}: {}", new.key(), parts.join("; "))
}
