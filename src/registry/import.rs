//! All-or-nothing import of a registry file: every problem reported, nothing written unless the
//! whole file is valid, records upserted by id in one transaction.

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
    /// The demo's rows of this kind this import took out (see `demo::remove_kind`).
    pub demo_removed: usize,
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
    #[error("{file}:{line}: encoding: the file is neither UTF-8 nor Shift_JIS (save it from Excel as \"CSV UTF-8\")")]
    Encoding { file: String, line: usize },
    #[error("{}", render_problems(.file, .problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    #[error("database error during import: {0}")]
    Store(#[from] sqlx::Error),
}

fn render_problems(file: &str, problems: &[Problem]) -> String {
    let mut lines: Vec<String> = problems.iter().map(|p| p.render(file)).collect();
    lines.push(format!(
        "{file}: {} problem(s); nothing was imported",
        problems.len()
    ));
    lines.join("\n")
}

/// Checks and writes `bytes` inside `conn`'s transaction; the caller commits or rolls back.
pub(crate) async fn import_text<R: Record>(
    conn: &mut SqliteConnection,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let (text, encoding) = decode(bytes).map_err(|error| ImportError::Encoding {
        file: file.to_string(),
        line: error.line,
    })?;
    let mut problems = Problems::default();
    let rows = read_rows(&text, R::COLUMNS, &mut problems);
    let mut records: Vec<(u64, R)> = Vec::with_capacity(rows.len());
    let mut first_seen: HashMap<String, u64> = HashMap::new();
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
    let now = crate::store::unix_now();
    let mut report = ImportReport {
        file: file.to_string(),
        encoding,
        added: 0,
        updated: 0,
        unchanged: 0,
        dry_run,
        demo_removed: 0,
    };
    for (_, record) in &records {
        match stored.get(&record.key()) {
            Some(old) if old == record => {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
            None => report.added += 1,
        }
        if !dry_run {
            R::save(conn, record, now).await?;
        }
    }
    if !dry_run && report.added + report.updated > 0 {
        sqlx::query("UPDATE directory_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *conn)
            .await?;
    }
    Ok(report)
}
