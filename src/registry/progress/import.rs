//! `kyodo import progress FILE`: reads a progress table — this tool's export, or the table an
//! office has kept in Excel (CSV or tab-separated text, UTF-8 or Shift_JIS, title lines above
//! the header allowed) — into the actions' progress. The header is the first row naming fiscal
//! years (和暦 or 西暦); each row is one action, by its `番号` column or else by the number at
//! the start of its first cell (`【アクション10】…`, `10.`); rows without one are headings.
//! Items already recorded (same note, and same date when one is written) are left alone; new
//! ones are added with the cell's status (else the year's last one, else 実施中) dated as
//! written or, undated, at the start of the fiscal year. All or nothing: every problem is
//! reported as `FILE:LINE: column: what is wrong` and nothing is written unless none is found.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime, TimeZone};
use sqlx::{SqliteConnection, SqlitePool};

use super::cell::same_note;
use super::export::{local_date, ZONE};
use super::read::{read_table, Found};
use crate::plan::fiscal::{bounds, fiscal_year};
use crate::plan::progress::{self, Status, Update};
use crate::registry::decode::{decode, Encoding};
use crate::registry::table::Problems;
use crate::registry::ImportError;

/// Who imported updates are recorded as.
pub const AUTHOR: &str = "import";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub file: String,
    pub encoding: Encoding,
    pub actions: usize,
    pub years: usize,
    pub added: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

impl TableReport {
    pub fn summary(&self) -> String {
        let mode = if self.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        format!(
            "{}: {}, {} actions × {} fiscal years, added {} updates, {} items already recorded{mode}",
            self.file,
            self.encoding.label(),
            self.actions,
            self.years,
            self.added,
            self.unchanged
        )
    }
}

/// Reads the file and imports it in one transaction (nothing at all on any problem).
pub async fn import_file(
    pool: &SqlitePool,
    path: &std::path::Path,
    dry_run: bool,
    now: i64,
) -> Result<TableReport, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ImportError::Unreadable {
        file: file.clone(),
        reason: error.to_string(),
    })?;
    let mut tx = pool.begin().await?;
    let report = import_bytes(&mut tx, &file, &bytes, dry_run, now).await?;
    tx.commit().await?;
    Ok(report)
}

/// Checks and writes inside the caller's transaction.
pub async fn import_bytes(
    conn: &mut SqliteConnection,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
    now: i64,
) -> Result<TableReport, ImportError> {
    let (text, encoding) = decode(bytes).map_err(|error| ImportError::Encoding {
        file: file.to_string(),
        error,
    })?;
    let known: HashSet<u32> = crate::plan::action::load_all(conn)
        .await?
        .into_iter()
        .map(|a| a.no)
        .collect();
    let today = ZONE
        .timestamp_opt(now, 0)
        .single()
        .map_or(NaiveDate::MAX, |t| t.date_naive());
    let mut problems = Problems::default();
    let found = read_table(&text, &known, fiscal_year(today), &mut problems);
    if !problems.is_empty() {
        return Err(invalid(file, problems));
    }
    let existing = progress::since_year(conn, i32::MIN).await?;
    let mut new: Vec<Update> = Vec::new();
    let mut unchanged = 0;
    for f in &found {
        let year: Vec<&Update> = existing
            .iter()
            .filter(|u| u.action_no == f.action && u.fiscal_year == f.fy)
            .collect();
        let status = f
            .cell
            .status
            .or_else(|| year.last().map(|u| u.status))
            .unwrap_or(Status::InProgress);
        let mut added: Vec<Update> = Vec::new();
        for (index, item) in f.cell.items.iter().enumerate() {
            let recorded = year.iter().any(|u| {
                same_note(&u.note, &item.note)
                    && item.date.is_none_or(|d| local_date(u.created_at) == d)
            });
            if recorded {
                unchanged += 1;
                continue;
            }
            let day = item.date.unwrap_or(bounds(f.fy).0);
            let at = nine_am(day) + index as i64;
            if at > now {
                problems.add(f.line, &f.column, format!("{day} is after today"));
                continue;
            }
            added.push(update(f, status, &item.note, at));
        }
        // The year's status as the cell states it, after everything in it.
        let last = year
            .iter()
            .copied()
            .chain(added.iter())
            .max_by_key(|u| u.created_at);
        match (f.cell.status, last) {
            (Some(wanted), Some(last)) if last.status == wanted => {}
            (Some(wanted), last) => {
                let at = last
                    .map_or(nine_am(bounds(f.fy).0), |u| u.created_at + 1)
                    .min(now);
                added.push(update(f, wanted, "", at));
            }
            (None, _) => {}
        }
        new.extend(added);
    }
    if !problems.is_empty() {
        return Err(invalid(file, problems));
    }
    if !dry_run {
        for u in &new {
            progress::insert(conn, u).await?;
        }
    }
    let actions: HashSet<u32> = found.iter().map(|f| f.action).collect();
    let years: HashSet<i32> = found.iter().map(|f| f.fy).collect();
    Ok(TableReport {
        file: file.to_string(),
        encoding,
        actions: actions.len(),
        years: years.len(),
        added: new.len(),
        unchanged,
        dry_run,
    })
}

fn update(f: &Found, status: Status, note: &str, at: i64) -> Update {
    Update {
        action_no: f.action,
        fiscal_year: f.fy,
        status,
        note: note.to_string(),
        author_id: AUTHOR.to_string(),
        created_at: at,
    }
}

fn invalid(file: &str, problems: Problems) -> ImportError {
    let mut problems = problems.0;
    problems.sort_by_key(|p| p.line);
    ImportError::Invalid {
        file: file.to_string(),
        problems,
    }
}

fn nine_am(day: NaiveDate) -> i64 {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN);
    ZONE.from_local_datetime(&day.and_time(nine))
        .earliest()
        .map_or(0, |t| t.timestamp())
}
