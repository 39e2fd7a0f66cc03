//! `plan_actions`, `plan_visions` and `plan_action_related`: the plan's actions, the vision
//! each serves, and the actions each relates to (in order).

use sqlx::{SqliteConnection, SqlitePool};

/// One action with its vision's title.
pub struct ActionRow {
    pub no: i64,
    pub title: String,
    pub vision_no: i64,
    pub vision_title: String,
    pub need: String,
}

/// Every action, by number.
pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<ActionRow>, sqlx::Error> {
    sqlx::query_as!(
        ActionRow,
        r#"SELECT a.no AS "no!: i64", a.title, a.vision_no AS "vision_no: i64",
                  v.title AS vision_title, a.need
           FROM plan_actions a JOIN plan_visions v ON v.no = a.vision_no ORDER BY a.no"#
    )
    .fetch_all(conn)
    .await
}

/// Every (action, related action) link, by action and position.
pub async fn related_links(conn: &mut SqliteConnection) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT action_no AS "action_no: i64", related_no AS "related_no: i64"
           FROM plan_action_related ORDER BY action_no, position"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.action_no, r.related_no))
        .collect())
}

/// True when action `no` exists.
pub async fn exists(pool: &SqlitePool, no: i64) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(
        r#"SELECT no AS "no: i64" FROM plan_actions WHERE no = ?1"#,
        no
    )
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// One action to write, with its vision and related actions (in order).
pub struct ActionWrite<'a> {
    pub no: i64,
    pub title: &'a str,
    pub vision_no: i64,
    pub vision_title: &'a str,
    pub need: &'a str,
    pub related: Vec<i64>,
}

/// Inserts or replaces the action, its vision's title and its related actions.
pub async fn upsert(
    conn: &mut SqliteConnection,
    action: &ActionWrite<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO plan_visions (no, title) VALUES (?1, ?2)
         ON CONFLICT (no) DO UPDATE SET title = ?2",
        action.vision_no,
        action.vision_title
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO plan_actions (no, title, vision_no, need, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (no) DO UPDATE SET title = ?2, vision_no = ?3, need = ?4, updated_at = ?5",
        action.no,
        action.title,
        action.vision_no,
        action.need,
        now
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM plan_action_related WHERE action_no = ?1",
        action.no
    )
    .execute(&mut *conn)
    .await?;
    for (position, other) in action.related.iter().enumerate() {
        let position = position as i64;
        sqlx::query!(
            "INSERT INTO plan_action_related (action_no, related_no, position) VALUES (?1, ?2, ?3)",
            action.no,
            other,
            position
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
