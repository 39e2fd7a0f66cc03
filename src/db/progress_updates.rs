//! `progress_updates`: each recorded status and note of a plan action, by fiscal year. Rows
//! come back as stored; `crate::plan::progress` reads them as updates.

use sqlx::{SqliteConnection, SqlitePool};

/// One stored update; `status` is one of the table's CHECK values (`not_started`, …).
pub struct ProgressRow {
    pub action_no: i64,
    pub fiscal_year: i64,
    pub status: String,
    pub note: String,
    pub author_id: String,
    pub created_at: i64,
}

/// An action's updates, newest first, at most `limit`.
pub async fn history(
    pool: &SqlitePool,
    action: i64,
    limit: i64,
) -> Result<Vec<ProgressRow>, sqlx::Error> {
    sqlx::query_as!(
        ProgressRow,
        r#"SELECT action_no AS "action_no: i64", fiscal_year AS "fiscal_year: i64", status, note,
                  author_id, created_at AS "created_at: i64"
           FROM progress_updates
           WHERE action_no = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2"#,
        action,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Each action's latest update at or before `at` (unix seconds).
pub async fn latest(pool: &SqlitePool, at: i64) -> Result<Vec<ProgressRow>, sqlx::Error> {
    sqlx::query_as!(
        ProgressRow,
        r#"SELECT action_no AS "action_no: i64", fiscal_year AS "fiscal_year: i64", status, note,
                  author_id, created_at AS "created_at: i64"
           FROM progress_updates p
           WHERE created_at <= ?1 AND id = (SELECT id FROM progress_updates q
               WHERE q.action_no = p.action_no AND q.created_at <= ?1
               ORDER BY created_at DESC, id DESC LIMIT 1)"#,
        at
    )
    .fetch_all(pool)
    .await
}

/// Every update of fiscal year `from_fy` or later, by action, year and time.
pub async fn since_year(
    conn: &mut SqliteConnection,
    from_fy: i64,
) -> Result<Vec<ProgressRow>, sqlx::Error> {
    sqlx::query_as!(
        ProgressRow,
        r#"SELECT action_no AS "action_no: i64", fiscal_year AS "fiscal_year: i64", status, note,
                  author_id, created_at AS "created_at: i64"
           FROM progress_updates
           WHERE fiscal_year >= ?1 ORDER BY action_no, fiscal_year, created_at, id"#,
        from_fy
    )
    .fetch_all(conn)
    .await
}

/// Adds one update.
pub async fn insert(conn: &mut SqliteConnection, row: &ProgressRow) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO progress_updates (action_no, fiscal_year, status, note, author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        row.action_no,
        row.fiscal_year,
        row.status,
        row.note,
        row.author_id,
        row.created_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// How many updates each action had in fiscal year `fy`.
pub async fn counts_in_year(pool: &SqlitePool, fy: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT action_no AS "action_no: i64", COUNT(*) AS "n!: i64" FROM progress_updates
           WHERE fiscal_year = ?1 GROUP BY action_no"#,
        fy
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.action_no, r.n)).collect())
}
