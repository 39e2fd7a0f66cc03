//! `consultation_offers`: a consultation offered to one advisor at a time; nobody is asked
//! twice about the same consultation, and at most one offer per consultation is open.

use sqlx::{SqliteConnection, SqlitePool};

/// An offer as stored.
#[derive(Debug, Clone)]
pub struct OfferRow {
    pub consultation_id: i64,
    pub advisor_id: String,
    pub state: String,
    pub expires_at: i64,
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Option<OfferRow>, sqlx::Error> {
    sqlx::query_as!(
        OfferRow,
        "SELECT consultation_id, advisor_id, state, expires_at
         FROM consultation_offers WHERE id = ?1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// The offer's state name, if it exists.
pub async fn state_of(pool: &SqlitePool, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT state FROM consultation_offers WHERE id = ?1", id)
        .fetch_optional(pool)
        .await
}

/// Opens an offer; its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    consultation: i64,
    advisor_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO consultation_offers (consultation_id, advisor_id, state, offered_at, expires_at)
           VALUES (?1, ?2, 'open', ?3, ?4) RETURNING id AS "id!""#,
        consultation,
        advisor_id,
        now,
        expires_at
    )
    .fetch_one(conn)
    .await
}

/// Closes an open offer as `outcome`; false when it was no longer open.
pub async fn close(
    conn: &mut SqliteConnection,
    id: i64,
    outcome: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE consultation_offers SET state = ?2, answered_at = ?3 WHERE id = ?1 AND state = 'open'",
        id,
        outcome,
        now
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws the consultation's open offer, if any; the advisor it was open with.
pub async fn withdraw_open(
    conn: &mut SqliteConnection,
    consultation: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE consultation_offers SET state = 'withdrawn', answered_at = ?2
         WHERE consultation_id = ?1 AND state = 'open' RETURNING advisor_id",
        consultation,
        now
    )
    .fetch_optional(conn)
    .await
}

/// The open offer of `consultation` to `advisor_id`, if any.
pub async fn open_for(
    pool: &SqlitePool,
    consultation: i64,
    advisor_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM consultation_offers
           WHERE consultation_id = ?1 AND advisor_id = ?2 AND state = 'open'"#,
        consultation,
        advisor_id
    )
    .fetch_optional(pool)
    .await
}

/// Open offers whose time is up by `now`, oldest first.
pub async fn due(pool: &SqlitePool, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM consultation_offers
           WHERE state = 'open' AND expires_at <= ?1 ORDER BY id"#,
        now
    )
    .fetch_all(pool)
    .await
}

/// How many offers the consultation has had.
pub async fn count_for(conn: &mut SqliteConnection, consultation: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM consultation_offers WHERE consultation_id = ?1"#,
        consultation
    )
    .fetch_one(conn)
    .await
}
