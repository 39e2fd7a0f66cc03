//! `progress_updates`: each recorded status and note of a plan action, by fiscal year.

use sqlx::{SqliteConnection, SqlitePool};

use crate::plan::progress::{Status, Update};

#[derive(sqlx::FromRow)]
struct Row {
    action_no: i64,
    fiscal_year: i64,
    status: String,
    note: String,
    author_id: String,
    created_at: i64,
}

impl From<Row> for Update {
    fn from(row: Row) -> Update {
        Update {
            action_no: row.action_no as u32,
            fiscal_year: row.fiscal_year as i32,
            // The table's CHECK admits only these statuses.
            status: Status::ALL
                .into_iter()
                .find(|s| s.as_str() == row.status)
                .unwrap_or(Status::NotStarted),
            note: row.note,
            author_id: row.author_id,
            created_at: row.created_at,
        }
    }
}

/// An action's updates, newest first, at most `limit`.
pub async fn history(
    pool: &SqlitePool,
    action: u32,
    limit: i64,
) -> Result<Vec<Update>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT action_no, fiscal_year, status, note, author_id, created_at FROM progress_updates
         WHERE action_no = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2",
    )
    .bind(i64::from(action))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Update::from).collect())
}

/// Each action's latest update at or before `at` (unix seconds).
pub async fn latest(pool: &SqlitePool, at: i64) -> Result<Vec<Update>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT action_no, fiscal_year, status, note, author_id, created_at FROM progress_updates p
         WHERE created_at <= ?1 AND id = (SELECT id FROM progress_updates q WHERE q.action_no = p.action_no
             AND q.created_at <= ?1 ORDER BY created_at DESC, id DESC LIMIT 1)",
    )
    .bind(at)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Update::from).collect())
}

/// Every update of fiscal year `from_fy` or later, by action, year and time.
pub async fn since_year(
    conn: &mut SqliteConnection,
    from_fy: i32,
) -> Result<Vec<Update>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT action_no, fiscal_year, status, note, author_id, created_at FROM progress_updates
         WHERE fiscal_year >= ?1 ORDER BY action_no, fiscal_year, created_at, id",
    )
    .bind(i64::from(from_fy))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Update::from).collect())
}

/// Adds one update.
pub async fn insert(conn: &mut SqliteConnection, update: &Update) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO progress_updates (action_no, fiscal_year, status, note, author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(i64::from(update.action_no))
    .bind(i64::from(update.fiscal_year))
    .bind(update.status.as_str())
    .bind(&update.note)
    .bind(&update.author_id)
    .bind(update.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many updates each action had in fiscal year `fy`.
pub async fn counts_in_year(pool: &SqlitePool, fy: i32) -> Result<Vec<(u32, i64)>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT action_no, COUNT(*) FROM progress_updates WHERE fiscal_year = ?1 GROUP BY action_no",
    )
    .bind(i64::from(fy))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(no, n)| Some((u32::try_from(no).ok()?, n)))
        .collect())
}
