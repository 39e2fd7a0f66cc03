//! One of the collaboration plan's actions (アクションプラン), under one of its visions (未来像).

use std::collections::HashMap;

use sqlx::SqliteConnection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub no: u32,
    pub title: String,
    pub vision: u32,
    pub vision_title: String,
    pub need: String,
    pub related: Vec<u32>,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    no: i64,
    title: String,
    vision_no: i64,
    vision_title: String,
    need: String,
}

pub async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Action>, sqlx::Error> {
    let rows: Vec<ActionRow> = sqlx::query_as(
        "SELECT a.no, a.title, a.vision_no, v.title AS vision_title, a.need
         FROM plan_actions a JOIN plan_visions v ON v.no = a.vision_no ORDER BY a.no",
    )
    .fetch_all(&mut *conn)
    .await?;
    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT action_no, related_no FROM plan_action_related ORDER BY action_no, position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut related: HashMap<i64, Vec<u32>> = HashMap::new();
    for (action, other) in links {
        related.entry(action).or_default().push(other as u32);
    }
    Ok(rows
        .into_iter()
        .map(|row| Action {
            related: related.remove(&row.no).unwrap_or_default(),
            no: row.no as u32,
            title: row.title,
            vision: row.vision_no as u32,
            vision_title: row.vision_title,
            need: row.need,
        })
        .collect())
}

pub async fn save(
    conn: &mut SqliteConnection,
    action: &Action,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plan_visions (no, title) VALUES (?1, ?2)
         ON CONFLICT (no) DO UPDATE SET title = ?2",
    )
    .bind(i64::from(action.vision))
    .bind(&action.vision_title)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO plan_actions (no, title, vision_no, need, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (no) DO UPDATE SET title = ?2, vision_no = ?3, need = ?4, updated_at = ?5",
    )
    .bind(i64::from(action.no))
    .bind(&action.title)
    .bind(i64::from(action.vision))
    .bind(&action.need)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM plan_action_related WHERE action_no = ?1")
        .bind(i64::from(action.no))
        .execute(&mut *conn)
        .await?;
    for (position, other) in action.related.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_action_related (action_no, related_no, position) VALUES (?1, ?2, ?3)",
        )
        .bind(i64::from(action.no))
        .bind(i64::from(*other))
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
