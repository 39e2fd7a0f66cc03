//! `consultations`: one row per request, the number people see. Topic and resolution note are
//! personal text, NULL once purged by retention.

use sqlx::{SqliteConnection, SqlitePool};

/// A consultation as stored (states, routes and languages as their names).
#[derive(Debug, Clone)]
pub struct ConsultationRow {
    pub id: i64,
    pub route: String,
    pub requester_id: String,
    pub language: String,
    pub topic: Option<String>,
    pub state: String,
    pub advisor_id: Option<String>,
    pub resolution_note: Option<String>,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub closed_at: Option<i64>,
}

pub async fn get(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<ConsultationRow>, sqlx::Error> {
    sqlx::query_as!(
        ConsultationRow,
        r#"SELECT id AS "id!", route, requester_id, language, topic, state, advisor_id,
               resolution_note, created_at, accepted_at, closed_at
           FROM consultations WHERE id = ?1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// How many open consultations (offered, escalated, assigned) the requester has.
pub async fn open_count_of(
    conn: &mut SqliteConnection,
    requester_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM consultations
           WHERE requester_id = ?1 AND state IN ('offered', 'escalated', 'assigned')"#,
        requester_id
    )
    .fetch_one(conn)
    .await
}

/// The requester's open consultation with exactly this topic, if any.
pub async fn open_with_topic(
    conn: &mut SqliteConnection,
    requester_id: &str,
    topic: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM consultations
           WHERE requester_id = ?1 AND topic = ?2 AND state IN ('offered', 'escalated', 'assigned')
           ORDER BY id LIMIT 1"#,
        requester_id,
        topic
    )
    .fetch_optional(conn)
    .await
}

/// A new consultation in `state`; its number.
pub async fn insert(
    conn: &mut SqliteConnection,
    route: &str,
    requester_id: &str,
    language: &str,
    topic: &str,
    state: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO consultations (route, requester_id, language, topic, state, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id AS "id!""#,
        route,
        requester_id,
        language,
        topic,
        state,
        now
    )
    .fetch_one(conn)
    .await
}

/// Moves it to `state`, stamping what entering that state records (escalated_at, accepted_at,
/// closed_at) at `now`.
pub async fn set_state(
    conn: &mut SqliteConnection,
    id: i64,
    state: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE consultations SET state = ?2,
             escalated_at = CASE WHEN ?2 = 'escalated' THEN ?3 ELSE escalated_at END,
             accepted_at = CASE WHEN ?2 = 'assigned' THEN ?3 ELSE accepted_at END,
             closed_at = CASE WHEN ?2 IN ('resolved', 'cancelled') THEN ?3 ELSE closed_at END
         WHERE id = ?1",
        id,
        state,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives it to `advisor_id` if it is still `from_state`; false when it no longer was (someone
/// was faster).
pub async fn assign_if(
    conn: &mut SqliteConnection,
    id: i64,
    from_state: &str,
    advisor_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE consultations SET advisor_id = ?3 WHERE id = ?1 AND state = ?2",
        id,
        from_state,
        advisor_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_resolution_note(
    conn: &mut SqliteConnection,
    id: i64,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE consultations SET resolution_note = ?2 WHERE id = ?1",
        id,
        note
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The requester's latest consultations, newest first.
pub async fn of_requester(
    pool: &SqlitePool,
    requester_id: &str,
) -> Result<Vec<ConsultationRow>, sqlx::Error> {
    sqlx::query_as!(
        ConsultationRow,
        r#"SELECT id AS "id!", route, requester_id, language, topic, state, advisor_id,
               resolution_note, created_at, accepted_at, closed_at
           FROM consultations WHERE requester_id = ?1 ORDER BY id DESC LIMIT 20"#,
        requester_id
    )
    .fetch_all(pool)
    .await
}

/// Open consultations offered to or assigned to the advisor.
pub async fn of_advisor(
    pool: &SqlitePool,
    advisor_id: &str,
) -> Result<Vec<ConsultationRow>, sqlx::Error> {
    sqlx::query_as!(
        ConsultationRow,
        r#"SELECT id AS "id!", route, requester_id, language, topic, state, advisor_id,
               resolution_note, created_at, accepted_at, closed_at
           FROM consultations c
           WHERE (c.advisor_id = ?1 AND c.state = 'assigned')
              OR EXISTS (SELECT 1 FROM consultation_offers o
                         WHERE o.consultation_id = c.id AND o.advisor_id = ?1 AND o.state = 'open')
           ORDER BY id"#,
        advisor_id
    )
    .fetch_all(pool)
    .await
}

/// Every open consultation, oldest first (the coordinators' queue).
pub async fn open_queue(pool: &SqlitePool) -> Result<Vec<ConsultationRow>, sqlx::Error> {
    sqlx::query_as!(
        ConsultationRow,
        r#"SELECT id AS "id!", route, requester_id, language, topic, state, advisor_id,
               resolution_note, created_at, accepted_at, closed_at
           FROM consultations WHERE state IN ('offered', 'escalated', 'assigned')
           ORDER BY created_at, id"#
    )
    .fetch_all(pool)
    .await
}

/// Drops topic, note and requester of consultations closed at or before `before`; returns how
/// many.
pub async fn purge_closed(
    conn: &mut SqliteConnection,
    before: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE consultations
         SET topic = NULL, resolution_note = NULL, requester_id = 'purged', purged_at = ?2
         WHERE state IN ('resolved', 'cancelled') AND closed_at <= ?1 AND purged_at IS NULL",
        before,
        now
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One line of the audit export.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub route: String,
    pub state: String,
    pub requester_id: String,
    pub advisor_id: Option<String>,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub escalated_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub offers: i64,
    pub topic: Option<String>,
    pub resolution_note: Option<String>,
}

/// Every consultation with its offer count, by number.
pub async fn audit_rows(pool: &SqlitePool) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as!(
        AuditRow,
        r#"SELECT c.id AS "id!", c.route, c.state, c.requester_id, c.advisor_id, c.created_at,
               c.accepted_at, c.escalated_at, c.closed_at,
               (SELECT COUNT(*) FROM consultation_offers o WHERE o.consultation_id = c.id)
                   AS "offers!: i64",
               c.topic, c.resolution_note
           FROM consultations c ORDER BY c.id"#
    )
    .fetch_all(pool)
    .await
}

/// The times (unix seconds) of one consultation's steps, and where it stands (for figures:
/// never topics or requesters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub id: i64,
    /// `citizen` (action 10) or `staff` (action 22).
    pub route: String,
    pub state: String,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub escalated_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// Consultations with a step in `[from, to)` (and open ones received before `to`).
pub async fn timelines(
    pool: &SqlitePool,
    from: i64,
    to: i64,
) -> Result<Vec<Timeline>, sqlx::Error> {
    sqlx::query_as!(
        Timeline,
        r#"SELECT id AS "id!", route, state, created_at, accepted_at, escalated_at, closed_at
           FROM consultations
           WHERE created_at < ?2 AND (closed_at IS NULL OR closed_at >= ?1) ORDER BY id"#,
        from,
        to
    )
    .fetch_all(pool)
    .await
}

/// Consultations nobody has taken yet: waiting for an advisor's answer to an offer
/// (`offered`) or for a coordinator to assign them (`escalated`), oldest first.
pub async fn waiting(pool: &SqlitePool) -> Result<Vec<Timeline>, sqlx::Error> {
    sqlx::query_as!(
        Timeline,
        r#"SELECT id AS "id!", route, state, created_at, accepted_at, escalated_at, closed_at
           FROM consultations WHERE state IN ('offered', 'escalated') ORDER BY created_at, id"#
    )
    .fetch_all(pool)
    .await
}

/// How many consultations of `route` were received, accepted, escalated and resolved in
/// `[from, to)` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepCounts {
    pub received: i64,
    pub accepted: i64,
    pub escalated: i64,
    pub resolved: i64,
}

pub async fn step_counts(
    pool: &SqlitePool,
    route: &str,
    from: i64,
    to: i64,
) -> Result<StepCounts, sqlx::Error> {
    sqlx::query_as!(
        StepCounts,
        r#"SELECT
            (SELECT COUNT(*) FROM consultations WHERE route = ?1 AND created_at >= ?2 AND created_at < ?3) AS "received!: i64",
            (SELECT COUNT(*) FROM consultations WHERE route = ?1 AND accepted_at >= ?2 AND accepted_at < ?3) AS "accepted!: i64",
            (SELECT COUNT(*) FROM consultations WHERE route = ?1 AND escalated_at >= ?2 AND escalated_at < ?3) AS "escalated!: i64",
            (SELECT COUNT(*) FROM consultations WHERE route = ?1 AND state = 'resolved' AND closed_at >= ?2 AND closed_at < ?3) AS "resolved!: i64""#,
        route,
        from,
        to
    )
    .fetch_one(pool)
    .await
}

/// How many consultations of `route` were received in `[from, to)`.
pub async fn received(
    pool: &SqlitePool,
    route: &str,
    from: i64,
    to: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM consultations
           WHERE route = ?1 AND created_at >= ?2 AND created_at < ?3"#,
        route,
        from,
        to
    )
    .fetch_one(pool)
    .await
}

/// How many consultations of `route` were open just before `at`.
pub async fn open_at(pool: &SqlitePool, route: &str, at: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM consultations WHERE route = ?1 AND created_at < ?2
           AND (closed_at IS NULL OR closed_at >= ?2)"#,
        route,
        at
    )
    .fetch_one(pool)
    .await
}

/// Seconds from receipt to acceptance of each consultation of `route` accepted in `[from, to)`.
pub async fn accept_waits(
    pool: &SqlitePool,
    route: &str,
    from: i64,
    to: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT accepted_at - created_at AS "wait!: i64" FROM consultations
           WHERE route = ?1 AND accepted_at >= ?2 AND accepted_at < ?3"#,
        route,
        from,
        to
    )
    .fetch_all(pool)
    .await
}
