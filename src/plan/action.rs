//! One of the collaboration plan's actions (アクションプラン), under one of its visions (未来像).

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::db;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub no: u32,
    pub title: String,
    pub vision: u32,
    pub vision_title: String,
    pub need: String,
    pub related: Vec<u32>,
}

pub async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Action>, sqlx::Error> {
    let rows = db::plan_actions::all(&mut *conn).await?;
    let links = db::plan_actions::related_links(&mut *conn).await?;
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
    let write = db::plan_actions::ActionWrite {
        no: i64::from(action.no),
        title: &action.title,
        vision_no: i64::from(action.vision),
        vision_title: &action.vision_title,
        need: &action.need,
        related: action.related.iter().map(|&no| i64::from(no)).collect(),
    };
    db::plan_actions::upsert(conn, &write, now).await
}
