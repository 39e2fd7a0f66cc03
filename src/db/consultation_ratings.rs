//! `consultation_ratings`: one satisfaction answer (score 1–5, optional comment) per
//! consultation. Reports read counts and averages only, never comments.

use sqlx::{SqliteConnection, SqlitePool};

/// Answers and their average score over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Satisfaction {
    pub count: i64,
    /// Mean score (1–5); None when nobody answered.
    pub average: Option<f64>,
}

/// Stores an answer; false (and nothing changed) when the consultation already has one.
pub async fn insert(
    conn: &mut SqliteConnection,
    consultation_id: i64,
    score: u8,
    comment: Option<&str>,
    rated_at: i64,
) -> Result<bool, sqlx::Error> {
    let score = i64::from(score);
    let done = sqlx::query!(
        "INSERT INTO consultation_ratings (consultation_id, score, comment, rated_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (consultation_id) DO NOTHING",
        consultation_id,
        score,
        comment,
        rated_at
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Answers given in `[from, to)` (unix seconds) about consultations of `route`.
pub async fn satisfaction(
    pool: &SqlitePool,
    route: &str,
    from: i64,
    to: i64,
) -> Result<Satisfaction, sqlx::Error> {
    sqlx::query_as!(
        Satisfaction,
        r#"SELECT COUNT(*) AS "count!: i64", AVG(r.score) AS "average: f64"
           FROM consultation_ratings r JOIN consultations c ON c.id = r.consultation_id
           WHERE c.route = ?1 AND r.rated_at >= ?2 AND r.rated_at < ?3"#,
        route,
        from,
        to
    )
    .fetch_one(pool)
    .await
}

/// Drops the comments of consultations purged by retention (the score stays, a figure).
pub async fn purge_comments(conn: &mut SqliteConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE consultation_ratings SET comment = NULL WHERE comment IS NOT NULL
           AND consultation_id IN (SELECT id FROM consultations WHERE purged_at IS NOT NULL)"
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Adds the requester's comment to their answer, once; false when there is no answer of
/// theirs without a comment.
pub async fn set_comment(
    pool: &SqlitePool,
    consultation_id: i64,
    requester_id: &str,
    comment: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE consultation_ratings SET comment = ?3
         WHERE consultation_id = ?1 AND comment IS NULL AND EXISTS (
             SELECT 1 FROM consultations c WHERE c.id = ?1 AND c.requester_id = ?2)",
        consultation_id,
        requester_id,
        comment
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
