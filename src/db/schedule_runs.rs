//! `schedule_runs`: each claimed fire of a schedule (schedule and fire time are unique
//! together, so one fire is claimed once across restarts and instances).

use sqlx::SqliteConnection;

/// One fire to claim.
pub struct Claim<'a> {
    pub schedule: &'a str,
    pub fire_at: i64,
    /// 'posted' or 'skipped'.
    pub state: &'a str,
    pub late: bool,
    pub post_at: Option<i64>,
    pub claimed_at: i64,
}

/// Claims the fire; false when it was claimed before (by this or another instance).
pub async fn claim(conn: &mut SqliteConnection, claim: &Claim<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO schedule_runs (schedule, fire_at, state, late, post_at, claimed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (schedule, fire_at) DO NOTHING",
        claim.schedule,
        claim.fire_at,
        claim.state,
        claim.late,
        claim.post_at,
        claim.claimed_at
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks a claimed fire as skipped (it had nothing to post).
pub async fn mark_skipped(
    conn: &mut SqliteConnection,
    schedule: &str,
    fire_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE schedule_runs SET state = 'skipped', post_at = NULL
         WHERE schedule = ?1 AND fire_at = ?2",
        schedule,
        fire_at
    )
    .execute(conn)
    .await?;
    Ok(())
}
