//! `consultation_events`: the audit trail, one row per state change (ids and figures only).

use sqlx::SqliteConnection;

/// Appends one event. `from`/`to` are state names, `actor` e.g. `advisor:A01`.
pub async fn insert(
    conn: &mut SqliteConnection,
    consultation: i64,
    at: i64,
    actor: &str,
    from: Option<&str>,
    to: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO consultation_events (consultation_id, at, actor, from_state, to_state, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        consultation,
        at,
        actor,
        from,
        to,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes the requester from the events of consultations closed at or before `before` and not
/// yet purged (the figures stay). Returns the rows changed.
pub async fn forget_requesters(
    conn: &mut SqliteConnection,
    before: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE consultation_events SET actor = 'requester:purged'
         WHERE actor LIKE 'requester:%' AND consultation_id IN (
             SELECT id FROM consultations
             WHERE state IN ('resolved', 'cancelled') AND closed_at <= ?1 AND purged_at IS NULL)",
        before
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
