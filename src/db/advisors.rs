//! `advisors` and `advisor_fields`: the collaboration advisors from the registry, whether they
//! take new offers, and the figures routing reads.

use sqlx::{SqliteConnection, SqlitePool};

/// An advisor as stored (lists `;`-separated, as in the registry).
#[derive(Debug, Clone)]
pub struct AdvisorRow {
    pub id: String,
    pub name: String,
    pub discord_user_id: String,
    pub serves: String,
    pub specialties: String,
    pub languages: String,
    pub capacity: i64,
    pub active: bool,
}

/// What routing needs to know of each advisor right now, for one consultation.
#[derive(Debug, Clone)]
pub struct Workload {
    pub advisor_id: String,
    pub available: bool,
    /// Open consultations assigned to them.
    pub assigned: i64,
    /// Open offers waiting for their answer.
    pub open_offers: i64,
    /// When they were last offered anything (unix seconds).
    pub last_offered_at: Option<i64>,
    /// Already asked about this consultation.
    pub already_asked: bool,
}

/// Every advisor's chat account as (chat user id, advisor id), for resolving speakers in
/// memory.
pub async fn chat_accounts(
    conn: &mut SqliteConnection,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!("SELECT discord_user_id, id FROM advisors")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.discord_user_id, r.id))
        .collect())
}

pub async fn exists(conn: &mut SqliteConnection, id: &str) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!("SELECT id FROM advisors WHERE id = ?1", id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Every advisor, by id.
pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<AdvisorRow>, sqlx::Error> {
    sqlx::query_as!(
        AdvisorRow,
        r#"SELECT id, name, discord_user_id, serves, specialties, languages, capacity,
               active AS "active: bool"
           FROM advisors ORDER BY id"#
    )
    .fetch_all(conn)
    .await
}

/// Each advisor's (id, field number) links, in the registry's order.
pub async fn field_links(conn: &mut SqliteConnection) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT advisor_id, field_no FROM advisor_fields ORDER BY advisor_id, position"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.advisor_id, row.field_no))
        .collect())
}

/// Inserts or updates an advisor (not their fields: see `replace_fields`).
pub async fn upsert(
    conn: &mut SqliteConnection,
    advisor: &AdvisorRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO advisors (id, name, discord_user_id, serves, specialties, languages,
             capacity, active, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = ?2, discord_user_id = ?3, serves = ?4,
             specialties = ?5, languages = ?6, capacity = ?7, active = ?8, updated_at = ?9",
        advisor.id,
        advisor.name,
        advisor.discord_user_id,
        advisor.serves,
        advisor.specialties,
        advisor.languages,
        advisor.capacity,
        advisor.active,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the advisor's fields with `fields`, in order.
pub async fn replace_fields(
    conn: &mut SqliteConnection,
    id: &str,
    fields: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM advisor_fields WHERE advisor_id = ?1", id)
        .execute(&mut *conn)
        .await?;
    for (position, no) in fields.iter().enumerate() {
        let (position, no) = (position as i64, i64::from(*no));
        sqlx::query!(
            "INSERT INTO advisor_fields (advisor_id, field_no, position) VALUES (?1, ?2, ?3)",
            id,
            no,
            position
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sets whether the advisor takes new offers; false when there is no such advisor.
pub async fn set_available(
    pool: &SqlitePool,
    id: &str,
    available: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE advisors SET available = ?2 WHERE id = ?1",
        id,
        available
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Every advisor's workload, as routing weighs it for `consultation`.
pub async fn workloads(
    conn: &mut SqliteConnection,
    consultation: i64,
) -> Result<Vec<Workload>, sqlx::Error> {
    sqlx::query_as!(
        Workload,
        r#"SELECT a.id AS advisor_id, a.available AS "available: bool",
             (SELECT COUNT(*) FROM consultations c
              WHERE c.advisor_id = a.id AND c.state = 'assigned') AS "assigned!: i64",
             (SELECT COUNT(*) FROM consultation_offers o
              WHERE o.advisor_id = a.id AND o.state = 'open') AS "open_offers!: i64",
             (SELECT MAX(offered_at) FROM consultation_offers o
              WHERE o.advisor_id = a.id) AS "last_offered_at: i64",
             EXISTS (SELECT 1 FROM consultation_offers o
                     WHERE o.advisor_id = a.id AND o.consultation_id = ?1) AS "already_asked!: bool"
           FROM advisors a"#,
        consultation
    )
    .fetch_all(conn)
    .await
}

/// Gives each of `ids` a placeholder Discord id (`moving:ID`) before they are saved again, so
/// a file where two advisors swap accounts passes the one-account-one-advisor index, which
/// holds again once every row of the file is saved.
pub async fn release_user_ids(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query!(
            "UPDATE advisors SET discord_user_id = 'moving:' || id WHERE id = ?1",
            id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
