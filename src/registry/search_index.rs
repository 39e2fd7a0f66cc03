//! The searcher of a database's directory, from the search index stored in it when one was
//! built for the current directory version by this build (see
//! [`crate::directory::search::persist`]), else built and, when `store` allows, stored for the
//! next process. A stored index that does not read is rebuilt, with one log line.

use sqlx::SqlitePool;

use crate::directory::search::{persist, Lexicon, Searcher};

/// The searcher and the directory version it reflects. `store`: write a freshly built index
/// back (the caller decides whether this process may write to the database).
/// Errors: the database cannot be read (or, with `store`, written).
pub async fn searcher(
    pool: &SqlitePool,
    lexicon: Lexicon,
    store: bool,
) -> Result<(Searcher, i64), sqlx::Error> {
    // The language resources load on other cores while the index is read (the first use
    // waits for them).
    Searcher::warm_resources(&lexicon);
    let build = persist::build_key();
    let mut tx = pool.begin().await?;
    let version = crate::db::directory_version::get(&mut tx).await?;
    let stored = crate::db::search_index::get(&mut tx, version, &build).await?;
    let decoded = stored.as_deref().map(persist::decode);
    drop(stored);
    match decoded {
        Some(Ok(index)) => {
            tx.commit().await?;
            return Ok((Searcher::with_index(index, lexicon), version));
        }
        Some(Err(error)) => {
            tracing::warn!(%error, "the stored search index does not read; rebuilding it");
        }
        None => {}
    }
    // Groups and version from one transaction: the index is of that version.
    let organizations = crate::db::organizations::load_all(&mut tx).await?;
    tx.commit().await?;
    let searcher = Searcher::new(organizations, lexicon);
    if store {
        let bytes = searcher.to_bytes();
        let mut conn = pool.acquire().await?;
        crate::db::search_index::put(&mut conn, version, &build, &bytes).await?;
    }
    Ok((searcher, version))
}

/// Builds the index of the directory as it is now and stores it, so the next process (`kyodo
/// find`) loads it instead of building it: for whoever just wrote the directory (`kyodo import
/// organizations`). The caller decides whether this process may write to the database.
/// Errors: the database cannot be read or written.
pub async fn store(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let version = crate::db::directory_version::get(&mut tx).await?;
    let organizations = crate::db::organizations::load_all(&mut tx).await?;
    tx.commit().await?;
    let bytes = Searcher::index_bytes(organizations);
    let mut conn = pool.acquire().await?;
    crate::db::search_index::put(&mut conn, version, &persist::build_key(), &bytes).await
}
