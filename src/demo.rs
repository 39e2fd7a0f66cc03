//! The project's own fictional demo directory (`demo/`), loaded by `console` and `run` into a
//! database without groups so a first run has something to talk about.

use sqlx::SqlitePool;

use crate::directory::organization;
use crate::registry::{self, ImportError, Kind};

const ORGANIZATIONS: &[u8] = include_bytes!("../demo/organizations.csv");
const ADVISORS: &[u8] = include_bytes!("../demo/advisors.csv");
const ACTIONS: &[u8] = include_bytes!("../demo/actions.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLoaded {
    pub groups: usize,
    pub advisors: usize,
    pub actions: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
    #[error("the built-in demo data is invalid: {0}")]
    Invalid(#[from] ImportError),
}

/// Loads the demo directory when the store has no groups; `None` when it already has some.
pub async fn load_if_empty(pool: &SqlitePool) -> Result<Option<DemoLoaded>, DemoError> {
    let mut conn = pool.acquire().await?;
    if organization::count(&mut conn).await? > 0 {
        return Ok(None);
    }
    drop(conn);
    let actions =
        registry::import_bytes(pool, Kind::Actions, "demo/actions.csv", ACTIONS, false).await?;
    let advisors =
        registry::import_bytes(pool, Kind::Advisors, "demo/advisors.csv", ADVISORS, false).await?;
    let groups = registry::import_bytes(
        pool,
        Kind::Organizations,
        "demo/organizations.csv",
        ORGANIZATIONS,
        false,
    )
    .await?;
    Ok(Some(DemoLoaded {
        groups: groups.added + groups.updated + groups.unchanged,
        advisors: advisors.added + advisors.updated + advisors.unchanged,
        actions: actions.added + actions.updated + actions.unchanged,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn demo_loads_once_into_an_empty_store() {
        let pool = crate::store::open_in_memory().await.unwrap();
        let loaded = load_if_empty(&pool).await.unwrap().expect("loaded");
        assert_eq!(loaded.groups, 30);
        assert_eq!(loaded.actions, 22);
        assert!(loaded.advisors >= 3);
        assert_eq!(load_if_empty(&pool).await.unwrap(), None);
    }
}
