//! `schedule_baselines`: when each schedule started counting (its first fire is after this).

use sqlx::SqlitePool;

/// The schedule's baseline (unix seconds), if it has one yet.
pub async fn get(pool: &SqlitePool, schedule: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT since AS "since: i64" FROM schedule_baselines WHERE schedule = ?1"#,
        schedule
    )
    .fetch_optional(pool)
    .await
}

/// Sets the schedule's baseline to `since` unless it has one.
pub async fn insert(pool: &SqlitePool, schedule: &str, since: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT OR IGNORE INTO schedule_baselines (schedule, since) VALUES (?1, ?2)",
        schedule,
        since
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The schedule's baseline and its latest claimed fire (None: none claimed yet).
pub async fn since_and_last(
    pool: &SqlitePool,
    schedule: &str,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT since AS "since!: i64",
                  (SELECT MAX(fire_at) FROM schedule_runs WHERE schedule = ?1) AS "last: i64"
           FROM schedule_baselines WHERE schedule = ?1"#,
        schedule
    )
    .fetch_one(pool)
    .await?;
    Ok((row.since, row.last))
}
