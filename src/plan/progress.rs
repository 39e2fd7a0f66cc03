//! Progress updates of the plan's actions: status, note, who and when.

use sqlx::SqlitePool;

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

pub async fn record(pool: &SqlitePool, update: &Update) -> Result<(), ProgressError> {
    let known: Option<i64> = sqlx::query_scalar("SELECT no FROM plan_actions WHERE no = ?1")
        .bind(i64::from(update.action_no))
        .fetch_optional(pool)
        .await?;
    if known.is_none() {
        return Err(ProgressError::UnknownAction(update.action_no));
    }
    let mut conn = pool.acquire().await?;
    crate::db::progress_updates::insert(&mut conn, update).await?;
    Ok(())
}

/// An action's updates, newest first (at most 20).
pub async fn history(pool: &SqlitePool, action: u32) -> Result<Vec<Update>, ProgressError> {
    Ok(crate::db::progress_updates::history(pool, action, 20).await?)
}

/// Each action's latest update at or before `at`.
pub async fn latest(pool: &SqlitePool, at: i64) -> Result<Vec<Update>, ProgressError> {
    Ok(crate::db::progress_updates::latest(pool, at).await?)
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
