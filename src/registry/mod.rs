//! The office's registry files: import (CSV as Excel writes it, UTF-8 or Shift_JIS) and export.

mod actions;
mod advisors;
pub mod decode;
mod import;
mod organizations;
mod record;
pub mod table;

use std::path::Path;

use sqlx::{SqliteConnection, SqlitePool};

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

/// Imports `bytes` (the content of `file`, named in every problem) as records of `kind`.
/// All or nothing: one transaction, committed only when the whole file is valid.
pub async fn import_bytes(
    pool: &SqlitePool,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    import_replacing(pool, kind, file, bytes, dry_run, false).await
}

/// One transaction; with `replace_demo`, the demo's rows of `kind` go first (a dry run rolls
/// that back and only counts them).
async fn import_replacing(
    pool: &SqlitePool,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
    replace_demo: bool,
) -> Result<ImportReport, ImportError> {
    let mut tx = pool.begin().await?;
    let demo = if replace_demo {
        crate::demo::remove_kind(&mut tx, kind).await?
    } else {
        Default::default()
    };
    let mut report = import_into(&mut tx, kind, file, bytes, dry_run).await?;
    report.demo_removed = demo.removed + demo.kept;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
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
        Kind::Organizations => {
            import::import_text::<Organization>(conn, file, bytes, dry_run).await
        }
        Kind::Advisors => import::import_text::<Advisor>(conn, file, bytes, dry_run).await,
        Kind::Actions => import::import_text::<Action>(conn, file, bytes, dry_run).await,
    }
}

pub async fn import_file(
    pool: &SqlitePool,
    kind: Kind,
    path: &Path,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ImportError::Unreadable {
        file: file.clone(),
        reason: error.to_string(),
    })?;
    // The office's own registry file: the first one of a kind replaces the demo's rows.
    import_replacing(pool, kind, &file, &bytes, dry_run, true).await
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
    let rows: Vec<Vec<String>> = records.iter().map(R::to_row).collect();
    Ok(table::write_csv(R::COLUMNS, &rows)?)
}
