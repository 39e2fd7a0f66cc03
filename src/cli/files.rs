//! `kyodo import` and `kyodo export`.

use std::path::Path;

use super::{emit, open_store, write_stdout, ExportKind, Failure};
use crate::config::Config;
use crate::registry::{self, ImportError, Kind};

pub async fn import(
    config: &Config,
    kind: Kind,
    file: &Path,
    dry_run: bool,
) -> Result<(), Failure> {
    let pool = open_store(config).await?;
    match registry::import_file(&pool, kind, file, dry_run).await {
        Ok(report) => {
            let mut lines = report.changes.clone();
            lines.push(report.summary());
            emit(&lines.join("\n"))?;
            if kind == Kind::Organizations && !dry_run {
                store_search_index(&pool).await;
            }
            Ok(())
        }
        // Each problem on its own line, exactly `FILE:LINE: column: what is wrong`.
        Err(error @ ImportError::Invalid { .. }) => Err(Failure::lines(error)),
        Err(error) => Err(Failure::new(error)),
    }
}

/// The first `kyodo find` after an import loads the index built here instead of building it
/// (seconds at 100,000 groups). Never in a running bot's database; a failure only costs that
/// find the build, so it is a warning.
async fn store_search_index(pool: &sqlx::SqlitePool) {
    let stored = match crate::db::meta::production_since(pool).await {
        Ok(Some(_)) => return,
        Ok(None) => crate::registry::search_index::store(pool).await,
        Err(error) => Err(error),
    };
    if let Err(error) = stored {
        tracing::warn!(%error, "the search index was not stored; the next find builds it");
    }
}

pub async fn export(
    config: &Config,
    kind: ExportKind,
    file: Option<&Path>,
    with_text: bool,
) -> Result<(), Failure> {
    let pool = open_store(config).await?;
    let registry_kind = match kind {
        ExportKind::Organizations => Some(Kind::Organizations),
        ExportKind::Advisors => Some(Kind::Advisors),
        ExportKind::Actions => Some(Kind::Actions),
        ExportKind::Consultations => None,
        ExportKind::Progress => {
            return super::plan_files::export_progress(config, file, with_text, None).await
        }
    };
    if with_text && registry_kind.is_some() {
        return Err(Failure::new(
            "--with-text applies to `export consultations` only",
        ));
    }
    let bytes = match registry_kind {
        Some(kind) => registry::export(&pool, kind).await.map_err(Failure::new)?,
        None => registry::consultations::export_csv(&pool, with_text)
            .await
            .map_err(Failure::from)?,
    };
    match file {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| Failure::new(format!("{}: cannot write: {e}", path.display()))),
        None => write_stdout(&bytes),
    }
}
