//! `search_misses`: the terms of searches that found nothing, with who searched (for counting
//! people, never shown), for the digest's "searched for but not found".

use sqlx::{SqliteConnection, SqlitePool};

/// Remembers up to five terms of one unmet search (terms only, never the message).
pub async fn record(
    pool: &SqlitePool,
    terms: &[String],
    user_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    for term in terms.iter().take(5) {
        sqlx::query!(
            "INSERT INTO search_misses (term, user_id, at) VALUES (?1, ?2, ?3)",
            term,
            user_id,
            at
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Deletes misses recorded at or before `before`.
pub async fn purge(conn: &mut SqliteConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM search_misses WHERE at <= ?1", before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Terms searched in `[from, to)` by at least `min_people` different people, most first, at
/// most `limit` (all with None).
pub async fn unmet_terms(
    pool: &SqlitePool,
    from: i64,
    to: i64,
    min_people: i64,
    limit: Option<i64>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let limit = limit.unwrap_or(-1);
    let rows = sqlx::query!(
        r#"SELECT term, COUNT(DISTINCT user_id) AS "people!: i64" FROM search_misses
           WHERE at >= ?1 AND at < ?2
           GROUP BY term HAVING COUNT(DISTINCT user_id) >= ?3
           ORDER BY 2 DESC, term LIMIT ?4"#,
        from,
        to,
        min_people,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.term, r.people)).collect())
}
