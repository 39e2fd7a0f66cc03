//! `actions.csv` ↔ [`Action`].

use std::collections::{HashMap, HashSet};

use sqlx::SqliteConnection;

use super::record::{join_numbers, Record};
use super::table::{Problems, Row};
use crate::plan::action::{self, Action};

impl Record for Action {
    const COLUMNS: &'static [&'static str] =
        &["no", "title", "vision", "vision_title", "need", "related"];
    const KEY_COLUMN: &'static str = "no";

    fn key(&self) -> String {
        self.no.to_string()
    }

    fn parse(row: &Row, problems: &mut Problems) -> Option<Self> {
        let no = row.number("no", 1..=999, problems);
        let title = row.required("title", problems);
        let vision = row.number("vision", 1..=99, problems);
        let vision_title = row.required("vision_title", problems);
        let related = row.number_list("related", 1..=999, problems);
        Some(Action {
            no: no? as u32,
            title: title?,
            vision: vision? as u32,
            vision_title: vision_title?,
            need: row.get("need").to_string(),
            related: related?.into_iter().map(|n| n as u32).collect(),
        })
    }

    fn to_row(&self) -> Vec<String> {
        vec![
            self.no.to_string(),
            self.title.clone(),
            self.vision.to_string(),
            self.vision_title.clone(),
            self.need.clone(),
            join_numbers(&self.related),
        ]
    }

    /// Related actions must exist, and one vision has one title.
    fn check_together(rows: &[(u64, Self)], stored: &[Self], problems: &mut Problems) {
        let known: HashSet<u32> = rows
            .iter()
            .map(|(_, a)| a.no)
            .chain(stored.iter().map(|a| a.no))
            .collect();
        let mut vision_titles: HashMap<u32, &str> = HashMap::new();
        for (line, action) in rows {
            for other in &action.related {
                if *other == action.no {
                    problems.add(*line, "related", "an action cannot be related to itself");
                } else if !known.contains(other) {
                    problems.add(*line, "related", format!("action {other} does not exist"));
                }
            }
            match vision_titles.get(&action.vision) {
                Some(title) if *title != action.vision_title => problems.add(
                    *line,
                    "vision_title",
                    format!("vision {} is already titled \"{title}\"", action.vision),
                ),
                _ => {
                    vision_titles.insert(action.vision, &action.vision_title);
                }
            }
        }
    }

    async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Self>, sqlx::Error> {
        action::load_all(conn).await
    }

    async fn save(conn: &mut SqliteConnection, record: &Self, now: i64) -> Result<(), sqlx::Error> {
        action::save(conn, record, now).await
    }
}
