//! The data the search tests carry in tests/data (see its README): directories loaded through
//! the real import path, labelled query files read as they are.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kyodo::directory::organization::{self, Organization};

/// A file under tests/data.
pub fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Groups of a registry CSV under tests/data, imported as an office would import them.
pub fn organizations(path: &str) -> Vec<Organization> {
    let csv = data(path);
    let bytes = std::fs::read(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pool = kyodo::store::open_in_memory().await.expect("store");
        kyodo::registry::import_bytes(
            &pool,
            kyodo::registry::Kind::Organizations,
            "organizations.csv",
            &bytes,
            false,
        )
        .await
        .expect("the test directory imports");
        let mut conn = pool.acquire().await.expect("connection");
        organization::load_all(&mut conn).await.expect("load")
    })
}

/// The office's sample directory (300 groups).
pub fn sample_organizations() -> Vec<Organization> {
    organizations("sample/organizations.csv")
}

/// The office's sample advisors (tests/data/sample/advisors.csv), imported.
pub fn sample_advisors() -> Vec<kyodo::consult::advisor::Advisor> {
    let csv = data("sample/advisors.csv");
    let bytes = std::fs::read(&csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pool = kyodo::store::open_in_memory().await.expect("store");
        kyodo::registry::import_bytes(
            &pool,
            kyodo::registry::Kind::Advisors,
            "advisors.csv",
            &bytes,
            false,
        )
        .await
        .expect("the sample advisors import");
        let mut conn = pool.acquire().await.expect("connection");
        kyodo::consult::advisor::load_all(&mut conn)
            .await
            .expect("load")
    })
}
