//! The project's own fictional demo directory (`demo/`), loaded by `console` and `run` into a
//! database whose directory is empty, so a first run has something to talk about. A database
//! holding any of the office's own groups, advisors or actions is never touched.

use sqlx::SqlitePool;

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

/// Loads the demo directory, all of it or nothing, when the store has no groups, advisors or
/// actions; `None` when it has any.
pub async fn load_if_empty(pool: &SqlitePool) -> Result<Option<DemoLoaded>, DemoError> {
    let mut tx = pool.begin().await?;
    let (groups, advisors, actions): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM advisors),
                (SELECT COUNT(*) FROM plan_actions)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if groups + advisors + actions > 0 {
        return Ok(None);
    }
    let actions =
        registry::import_into(&mut tx, Kind::Actions, "demo/actions.csv", ACTIONS, false).await?;
    let advisors = registry::import_into(
        &mut tx,
        Kind::Advisors,
        "demo/advisors.csv",
        ADVISORS,
        false,
    )
    .await?;
    let groups = registry::import_into(
        &mut tx,
        Kind::Organizations,
        "demo/organizations.csv",
        ORGANIZATIONS,
        false,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(DemoLoaded {
        groups: groups.added,
        advisors: advisors.added,
        actions: actions.added,
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

    #[tokio::test]
    async fn the_offices_own_advisors_are_never_overwritten() {
        let pool = crate::store::open_in_memory().await.unwrap();
        let own = "id,name,discord_user_id,serves,fields,specialties,languages,capacity,active\n\
                   A01,本物の相談員,930000000000000001,citizen,13,,ja,5,yes\n";
        registry::import_bytes(&pool, Kind::Advisors, "advisors.csv", own.as_bytes(), false)
            .await
            .unwrap();
        assert_eq!(load_if_empty(&pool).await.unwrap(), None);
        let name: String = sqlx::query_scalar("SELECT name FROM advisors WHERE id = 'A01'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(name, "本物の相談員");
        let groups: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(groups, 0);
    }
}
