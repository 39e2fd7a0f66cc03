//! The office's registry files: import (CSV as Excel writes it, UTF-8 or Shift_JIS) and export.

mod actions;
mod advisors;
mod cells;
pub mod consultations;
pub mod decode;
pub mod demo_rows;
mod import;
mod organizations;
pub mod progress;
mod record;
pub mod search_index;
pub mod table;

use std::path::Path;

use sqlx::{Connection, SqliteConnection, SqlitePool};

pub use import::{ImportError, ImportReport};

use crate::consult::advisor::Advisor;
use crate::directory::organization::Organization;
use crate::plan::action::Action;
use record::Record;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Organizations,
    Advisors,
    Actions,
}

/// Largest registry file `kyodo import` reads (bytes). A city's registry is a few megabytes;
/// 100,000 groups fit in about 40 MB. Anything larger is not a registry file.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How often an import checks again when another import changed the directory between its
/// reading the file and its taking the write lock.
const ATTEMPTS: usize = 3;

/// Imports `bytes` (the content of `file`, named in every problem) as records of `kind`.
/// All or nothing. The file is read, checked and compared with the store without the write
/// lock; the lock is then taken first (`BEGIN IMMEDIATE`, waiting the busy timeout) and only
/// what changed is written, in one transaction.
pub async fn import_bytes(
    pool: &SqlitePool,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    import_replacing(pool, kind, file, bytes, dry_run, false).await
}

/// With `replace_demo` (the office's own file), the demo's rows of `kind` are taken out in the
/// same write transaction.
async fn import_replacing(
    pool: &SqlitePool,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
    replace_demo: bool,
) -> Result<ImportReport, ImportError> {
    let args = (file, bytes, dry_run, replace_demo.then_some(kind));
    match kind {
        Kind::Organizations => import_pooled::<Organization>(pool, args).await,
        Kind::Advisors => import_pooled::<Advisor>(pool, args).await,
        Kind::Actions => import_pooled::<Action>(pool, args).await,
    }
}

async fn import_pooled<R: Record>(
    pool: &SqlitePool,
    (file, bytes, dry_run, replace_demo): (&str, &[u8], bool, Option<Kind>),
) -> Result<ImportReport, ImportError> {
    let busy = |error: sqlx::Error| {
        if is_busy(&error) {
            ImportError::Busy {
                file: file.to_string(),
            }
        } else {
            ImportError::Store(error)
        }
    };
    // One connection throughout: what is staged on it is what the write transaction moves.
    let mut conn = pool.acquire().await?;
    for _ in 0..ATTEMPTS {
        // A read transaction: the version and the records it compares with agree.
        let mut read = conn.begin().await?;
        let prepared = import::prepare::<R>(&mut read, file, bytes, dry_run).await?;
        read.commit().await?;
        if dry_run || (prepared.save.is_empty() && replace_demo.is_none()) {
            return Ok(prepared.report);
        }
        import::stage(&mut conn, &prepared).await?;
        let waited = std::time::Instant::now();
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(busy)?;
        let locked = std::time::Instant::now();
        if crate::db::directory_version::get(&mut tx).await? != prepared.version {
            continue; // Another import landed meanwhile: compare again.
        }
        let mut report = prepared.report.clone();
        if let Some(kind) = replace_demo {
            let demo = demo_rows::remove_kind(&mut tx, kind).await?;
            report.demo_removed = demo.removed + demo.kept;
        }
        import::write(&mut tx, &prepared).await.map_err(busy)?;
        tx.commit().await.map_err(busy)?;
        let held = locked.elapsed();
        R::clear_staged(&mut conn).await?;
        tracing::debug!(
            file,
            records = prepared.save.len(),
            waited_ms = (locked - waited).as_millis() as u64,
            held_ms = held.as_millis() as u64,
            "import written"
        );
        return Ok(report);
    }
    Err(ImportError::Busy {
        file: file.to_string(),
    })
}

/// SQLite's "busy" and "locked" (plain and extended codes): another connection is writing.
fn is_busy(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// Imports inside the caller's transaction (several files at once, as the demo does).
pub async fn import_into(
    conn: &mut SqliteConnection,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    match kind {
        Kind::Organizations => import_in::<Organization>(conn, file, bytes, dry_run).await,
        Kind::Advisors => import_in::<Advisor>(conn, file, bytes, dry_run).await,
        Kind::Actions => import_in::<Action>(conn, file, bytes, dry_run).await,
    }
}

async fn import_in<R: Record>(
    conn: &mut SqliteConnection,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let prepared = import::prepare::<R>(conn, file, bytes, dry_run).await?;
    import::stage(conn, &prepared).await?;
    import::write(conn, &prepared).await?;
    R::clear_staged(conn).await?;
    Ok(prepared.report)
}

/// Reads a registry file: a regular file of at most [`MAX_FILE_BYTES`], refused in one line
/// otherwise (a device such as /dev/zero would never end).
pub fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let file = path.display().to_string();
    let unreadable = |reason: String| ImportError::Unreadable {
        file: file.clone(),
        reason,
    };
    let metadata = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if !metadata.is_file() {
        return Err(unreadable(
            "not a regular file (give the CSV file itself)".into(),
        ));
    }
    let too_big = || {
        unreadable(format!(
            "larger than {} MB, too large for a registry file",
            MAX_FILE_BYTES / 1024 / 1024
        ))
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big()); // It grew while being read.
    }
    Ok(bytes)
}

pub async fn import_file(
    pool: &SqlitePool,
    kind: Kind,
    path: &Path,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let bytes = read_file(path)?;
    // The office's own registry file: the first one of a kind replaces the demo's rows.
    import_replacing(
        pool,
        kind,
        &path.display().to_string(),
        &bytes,
        dry_run,
        true,
    )
    .await
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database error during export: {0}")]
    Store(#[from] sqlx::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// Every stored record of `kind` as CSV in the import layout, UTF-8 with a BOM.
pub async fn export(pool: &SqlitePool, kind: Kind) -> Result<Vec<u8>, ExportError> {
    match kind {
        Kind::Organizations => export_records::<Organization>(pool).await,
        Kind::Advisors => export_records::<Advisor>(pool).await,
        Kind::Actions => export_records::<Action>(pool).await,
    }
}

async fn export_records<R: Record>(pool: &SqlitePool) -> Result<Vec<u8>, ExportError> {
    let mut conn = pool.acquire().await?;
    let records = R::load_all(&mut conn).await?;
    Ok(records_csv(&records)?)
}

fn records_csv<R: Record>(records: &[R]) -> Result<Vec<u8>, csv::Error> {
    let rows: Vec<Vec<String>> = records.iter().map(R::to_row).collect();
    table::write_csv(R::COLUMNS, &rows)
}

/// `organizations` as a registry file in the import layout, UTF-8 with a BOM (as `export`
/// writes stored ones): for tools that make directories, such as the search benchmark.
pub fn organizations_csv(organizations: &[Organization]) -> Result<Vec<u8>, csv::Error> {
    records_csv(organizations)
}
