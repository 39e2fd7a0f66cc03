//! The data the search tests carry in tests/data (see its README): directories loaded through
//! the real import path, labelled query files read as they are.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kyodo::directory::organization::Organization;

/// A file under tests/data.
pub fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Runs `load` over a fresh store into which the registry CSV under tests/data was imported as
/// an office would import it.
fn imported<T>(
    kind: kyodo::registry::Kind,
    path: &str,
    load: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> T,
) -> T {
    let csv = data(path);
    let bytes = std::fs::read(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pool = kyodo::store::open_in_memory().await.expect("store");
        kyodo::registry::import_bytes(&pool, kind, path, &bytes, false)
            .await
            .expect("the test data imports");
        let mut conn = pool.acquire().await.expect("connection");
        load(&mut conn).await
    })
}

/// Groups of a registry CSV under tests/data.
pub fn organizations(path: &str) -> Vec<Organization> {
    imported(kyodo::registry::Kind::Organizations, path, async |conn| {
        kyodo::db::organizations::load_all(conn)
            .await
            .expect("load")
    })
}

/// The office's sample directory (300 groups).
pub fn sample_organizations() -> Vec<Organization> {
    organizations("sample/organizations.csv")
}

/// The office's sample advisors (tests/data/sample/advisors.csv), imported.
pub fn sample_advisors() -> Vec<kyodo::consult::advisor::Advisor> {
    imported(
        kyodo::registry::Kind::Advisors,
        "sample/advisors.csv",
        async |conn| kyodo::consult::advisor::load_all(conn).await.expect("load"),
    )
}
