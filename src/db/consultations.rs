//! `consultations`, read for figures: the times of each step (never topics or requesters).

use sqlx::SqlitePool;

/// The times (unix seconds) of one consultation's steps, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
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
    sqlx::query_as(
        "SELECT id, route, state, created_at, accepted_at, escalated_at, closed_at FROM consultations
         WHERE created_at < ?2 AND (closed_at IS NULL OR closed_at >= ?1) ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// Consultations nobody has taken yet: waiting for an advisor's answer to an offer
/// (`offered`) or for a coordinator to assign them (`escalated`), oldest first.
pub async fn waiting(pool: &SqlitePool) -> Result<Vec<Timeline>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, route, state, created_at, accepted_at, escalated_at, closed_at FROM consultations
         WHERE state IN ('offered', 'escalated') ORDER BY created_at, id",
    )
    .fetch_all(pool)
    .await
}
