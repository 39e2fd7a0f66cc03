//! `search_misses`: the terms of searches that found nothing (terms and who, never messages).

use sqlx::SqlitePool;

/// Terms searched in `[from, to)` by at least `min_people` different people, most first, at
/// most `limit` (all with None).
pub async fn unmet_terms(
    pool: &SqlitePool,
    from: i64,
    to: i64,
    min_people: i64,
    limit: Option<i64>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT term, COUNT(DISTINCT user_id) AS people FROM search_misses WHERE at >= ?1 AND at < ?2
         GROUP BY term HAVING people >= ?3 ORDER BY people DESC, term LIMIT ?4",
    )
    .bind(from)
    .bind(to)
    .bind(min_people)
    .bind(limit.unwrap_or(-1))
    .fetch_all(pool)
    .await
}
