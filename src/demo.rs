//! The project's own fictional demo directory (`demo/`), loaded by `console` into its own
//! database when the directory there is empty, so a first run has something to talk about.
//! `kyodo run` never loads it, and a database holding any of the office's own groups, advisors
//! or actions is never touched. Every demo row is recorded (`demo_rows`), so `kyodo demo remove`
//! or the office's first import of a kind takes it out again.

use sqlx::{SqliteConnection, SqlitePool};

use crate::db;
pub use crate::registry::demo_rows::{remove_kind, KindRemoval};
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
    #[error("the built-in demo data is unreadable: {0}")]
    Unreadable(String),
}

/// Loads the demo directory, all of it or nothing, when the store has no groups, advisors or
/// actions; `None` when it has any.
pub async fn load_if_empty(pool: &SqlitePool) -> Result<Option<DemoLoaded>, DemoError> {
    let mut tx = pool.begin().await?;
    let (groups, advisors, actions) = directory_counts(&mut tx).await?;
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
    db::demo_rows::record_all(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(DemoLoaded {
        groups: groups.added,
        advisors: advisors.added,
        actions: actions.added,
    }))
}

/// How many groups, advisors and plan actions the directory holds.
pub async fn directory_counts(conn: &mut SqliteConnection) -> Result<(i64, i64, i64), sqlx::Error> {
    db::demo_rows::directory_counts(conn).await
}

/// What `kyodo demo remove` did, per kind (organizations, advisors, actions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removal {
    pub groups: KindRemoval,
    pub advisors: KindRemoval,
    pub actions: KindRemoval,
}

impl std::fmt::Display for Removal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == Removal::default() {
            return write!(f, "no demo records to remove");
        }
        write!(
            f,
            "removed the demo: {} groups, {} advisors, {} actions",
            self.groups.removed, self.advisors.removed, self.actions.removed
        )?;
        if self.advisors.kept + self.actions.kept > 0 {
            write!(
                f,
                "; kept {} advisors (consultations refer to them; now inactive) and {} actions (progress refers to them)",
                self.advisors.kept, self.actions.kept
            )?;
        }
        Ok(())
    }
}

/// Takes every demo row out, in one transaction.
pub async fn remove(pool: &SqlitePool) -> Result<Removal, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let removal = Removal {
        groups: remove_kind(&mut tx, Kind::Organizations).await?,
        advisors: remove_kind(&mut tx, Kind::Advisors).await?,
        actions: remove_kind(&mut tx, Kind::Actions).await?,
    };
    tx.commit().await?;
    Ok(removal)
}

/// How many demo rows the directory holds.
pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    db::demo_rows::count(pool).await
}

/// A database made before demo rows were recorded may hold the demo's groups and advisors:
/// they are recognised once, by id and name (and an advisor's chat id) equal to the built-in
/// demo's. The demo's actions are the plan's own 22, the same the office imports, so they are
/// not guessed at. Returns how many rows were recognised.
pub async fn recognise_earlier(pool: &SqlitePool) -> Result<usize, DemoError> {
    let mut tx = pool.begin().await?;
    if !db::meta::demo_rows_unrecognised(&mut tx).await? {
        return Ok(0);
    }
    let demo_groups = demo_columns(ORGANIZATIONS, &["id", "name"])?;
    let demo_advisors = demo_columns(ADVISORS, &["id", "name", "discord_user_id"])?;
    let (groups, advisors) = db::demo_rows::stored_names(&mut tx).await?;
    let mut recognised = 0;
    for (id, name) in groups {
        if demo_groups.contains(&vec![id.clone(), name]) {
            db::demo_rows::record(&mut tx, "organizations", &id).await?;
            recognised += 1;
        }
    }
    for (id, name, chat_id) in advisors {
        if demo_advisors.contains(&vec![id.clone(), name, chat_id]) {
            db::demo_rows::record(&mut tx, "advisors", &id).await?;
            recognised += 1;
        }
    }
    db::meta::set_demo_rows_recognised(&mut tx).await?;
    tx.commit().await?;
    Ok(recognised)
}

/// The values of `columns` in each row of a built-in demo file.
fn demo_columns(csv_bytes: &[u8], columns: &[&str]) -> Result<Vec<Vec<String>>, DemoError> {
    let invalid = |e: csv::Error| DemoError::Unreadable(e.to_string());
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let headers = reader.headers().map_err(invalid)?.clone();
    let positions: Vec<usize> = columns
        .iter()
        .map(|c| headers.iter().position(|h| h == *c))
        .collect::<Option<_>>()
        .ok_or_else(|| DemoError::Unreadable(format!("a column of {columns:?} is missing")))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(invalid)?;
        rows.push(
            positions
                .iter()
                .map(|&i| record.get(i).unwrap_or("").to_string())
                .collect(),
        );
    }
    Ok(rows)
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
        let name: String =
            crate::db::testing::scalar(&pool, "SELECT name FROM advisors WHERE id = 'A01'").await;
        assert_eq!(name, "本物の相談員");
        let groups: i64 =
            crate::db::testing::scalar(&pool, "SELECT COUNT(*) FROM organizations").await;
        assert_eq!(groups, 0);
    }

    #[tokio::test]
    async fn demo_rows_are_recorded_and_removed_with_everything_hanging_on_them() {
        let pool = crate::store::open_in_memory().await.unwrap();
        load_if_empty(&pool).await.unwrap();
        assert_eq!(count(&pool).await.unwrap(), 57);
        let removal = remove(&pool).await.unwrap();
        assert_eq!(removal.groups.removed, 30);
        assert_eq!(removal.actions.removed, 22);
        assert_eq!(removal.advisors.removed + removal.advisors.kept, 5);
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(directory_counts(&mut conn).await.unwrap(), (0, 0, 0));
        let fields: i64 = crate::db::testing::scalar_on(&mut conn, "SELECT (SELECT COUNT(*) FROM organization_fields) + (SELECT COUNT(*) FROM plan_action_related)").await;
        assert_eq!(fields, 0);
        drop(conn);
        assert_eq!(count(&pool).await.unwrap(), 0);
        assert_eq!(
            remove(&pool).await.unwrap().to_string(),
            "no demo records to remove"
        );
    }

    #[tokio::test]
    async fn a_database_older_than_the_demo_marks_has_its_demo_recognised_once() {
        let pool = crate::store::open_in_memory().await.unwrap();
        load_if_empty(&pool).await.unwrap();
        // As a database made before migration 0006 holds them: rows, no marks.
        crate::db::testing::exec(&pool, "DELETE FROM demo_rows")
            .await
            .unwrap();
        crate::db::testing::exec(
            &pool,
            "UPDATE kyodo_meta SET value = '0' WHERE key = 'demo_rows_recognised'",
        )
        .await
        .unwrap();
        // The office renamed one demo id for a real advisor: not the demo's any more.
        crate::db::testing::exec(
            &pool,
            "UPDATE advisors SET name = '本物の相談員' WHERE id = 'A01'",
        )
        .await
        .unwrap();
        assert_eq!(recognise_earlier(&pool).await.unwrap(), 34);
        assert_eq!(recognise_earlier(&pool).await.unwrap(), 0, "once");
        let removal = remove(&pool).await.unwrap();
        assert_eq!((removal.groups.removed, removal.advisors.removed), (30, 4));
        assert_eq!(
            removal.actions.removed, 0,
            "the plan's actions are not guessed at"
        );
        let kept: String = crate::db::testing::scalar(&pool, "SELECT name FROM advisors").await;
        assert_eq!(kept, "本物の相談員");
    }
}
