//! Progress updates of the plan's actions: status, note, who and when.

use sqlx::{SqliteConnection, SqlitePool};

use crate::db::{self, progress_updates, progress_updates::ProgressRow};

use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    Delayed,
    Reviewing,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Delayed,
        Status::Reviewing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Delayed => "delayed",
            Status::Reviewing => "reviewing",
        }
    }

    /// The words staff write, in Japanese (the progress table's own) or English.
    pub fn parse(word: &str) -> Option<Status> {
        let word = crate::text::normalize(word).replace([' ', '-', '_'], "");
        Some(match word.as_str() {
            "未着手" | "notstarted" | "todo" => Status::NotStarted,
            "実施中" | "進行中" | "inprogress" | "ongoing" => Status::InProgress,
            "完了" | "done" | "completed" | "complete" => Status::Done,
            "遅れ" | "遅延" | "delayed" | "late" => Status::Delayed,
            "見直し" | "reviewing" | "review" | "underreview" => Status::Reviewing,
            _ => return None,
        })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::NotStarted, Lang::Ja) => "未着手",
            (Status::InProgress, Lang::Ja) => "実施中",
            (Status::Done, Lang::Ja) => "完了",
            (Status::Delayed, Lang::Ja) => "遅れ",
            (Status::Reviewing, Lang::Ja) => "見直し",
            (Status::NotStarted, Lang::En) => "not started",
            (Status::InProgress, Lang::En) => "in progress",
            (Status::Done, Lang::En) => "done",
            (Status::Delayed, Lang::En) => "delayed",
            (Status::Reviewing, Lang::En) => "under review",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub action_no: u32,
    pub fiscal_year: i32,
    pub status: Status,
    pub note: String,
    pub author_id: String,
    pub created_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("there is no action {0}")]
    UnknownAction(u32),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}

impl From<ProgressRow> for Update {
    fn from(row: ProgressRow) -> Update {
        Update {
            action_no: row.action_no as u32,
            fiscal_year: row.fiscal_year as i32,
            // The table's CHECK admits only these statuses.
            status: Status::ALL
                .into_iter()
                .find(|s| s.as_str() == row.status)
                .unwrap_or(Status::NotStarted),
            note: row.note,
            author_id: row.author_id,
            created_at: row.created_at,
        }
    }
}

impl From<&Update> for ProgressRow {
    fn from(update: &Update) -> ProgressRow {
        ProgressRow {
            action_no: i64::from(update.action_no),
            fiscal_year: i64::from(update.fiscal_year),
            status: update.status.as_str().to_string(),
            note: update.note.clone(),
            author_id: update.author_id.clone(),
            created_at: update.created_at,
        }
    }
}

fn updates(rows: Vec<ProgressRow>) -> Vec<Update> {
    rows.into_iter().map(Update::from).collect()
}

pub async fn record(pool: &SqlitePool, update: &Update) -> Result<(), ProgressError> {
    if !action_exists(pool, update.action_no).await? {
        return Err(ProgressError::UnknownAction(update.action_no));
    }
    let mut conn = pool.acquire().await?;
    insert(&mut conn, update).await?;
    Ok(())
}

async fn action_exists(pool: &SqlitePool, action: u32) -> Result<bool, sqlx::Error> {
    db::plan_actions::exists(pool, i64::from(action)).await
}

/// Adds one update (its action must exist).
pub async fn insert(conn: &mut SqliteConnection, update: &Update) -> Result<(), sqlx::Error> {
    progress_updates::insert(conn, &ProgressRow::from(update)).await
}

/// An action's updates, newest first (at most 20).
pub async fn history(pool: &SqlitePool, action: u32) -> Result<Vec<Update>, ProgressError> {
    Ok(updates(
        progress_updates::history(pool, i64::from(action), 20).await?,
    ))
}

/// Each action's latest update at or before `at`.
pub async fn latest(pool: &SqlitePool, at: i64) -> Result<Vec<Update>, sqlx::Error> {
    Ok(updates(progress_updates::latest(pool, at).await?))
}

/// Every update of fiscal year `from_fy` or later, by action, year and time.
pub async fn since_year(
    conn: &mut SqliteConnection,
    from_fy: i32,
) -> Result<Vec<Update>, sqlx::Error> {
    Ok(updates(
        progress_updates::since_year(conn, i64::from(from_fy)).await?,
    ))
}

/// How many updates each action had in fiscal year `fy`.
pub async fn counts_in_year(pool: &SqlitePool, fy: i32) -> Result<Vec<(u32, i64)>, sqlx::Error> {
    let rows = progress_updates::counts_in_year(pool, i64::from(fy)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(no, n)| Some((u32::try_from(no).ok()?, n)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_in_either_language() {
        assert_eq!(Status::parse("実施中"), Some(Status::InProgress));
        assert_eq!(Status::parse("In Progress"), Some(Status::InProgress));
        assert_eq!(Status::parse("見直し"), Some(Status::Reviewing));
        assert_eq!(Status::parse("ＤＯＮＥ"), Some(Status::Done));
        assert_eq!(Status::parse("maybe"), None);
    }
}
