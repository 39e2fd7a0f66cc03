//! `actions.csv` ↔ [`Action`].

use std::collections::{HashMap, HashSet};

use sqlx::SqliteConnection;

use super::cells::{MAX_LONG_TEXT, MAX_SHORT_TEXT};
use super::record::{join_numbers, Record};
use super::table::{Problems, Row};
use crate::plan::action::{self, Action};

/// The plan's four visions (未来像); an action belongs to one of them.
const VISIONS: i64 = 4;

impl Record for Action {
    const COLUMNS: &'static [&'static str] =
        &["no", "title", "vision", "vision_title", "need", "related"];
    const KEY_COLUMN: &'static str = "no";

    fn key(&self) -> String {
        self.no.to_string()
    }

    fn parse(row: &Row, problems: &mut Problems) -> Option<Self> {
        let no = row.number("no", 1..=999, problems);
        let title = row.required_text("title", MAX_SHORT_TEXT, problems);
        let vision = row.number("vision", 1..=VISIONS, problems);
        let vision_title = row.required_text("vision_title", MAX_SHORT_TEXT, problems);
        let need = row.text("need", MAX_LONG_TEXT, problems);
        let related = row.number_list("related", 1..=999, 999, problems);
        Some(Action {
            no: no? as u32,
            title: title?,
            vision: vision? as u32,
            vision_title: vision_title?,
            need: need?,
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

    /// Related actions must exist, and one vision has one title: the file agrees with itself
    /// and with the stored actions it does not list (a new title would rename their vision).
    fn check_together(rows: &[(u64, Self)], stored: &[Self], problems: &mut Problems) {
        let known: HashSet<u32> = rows
            .iter()
            .map(|(_, a)| a.no)
            .chain(stored.iter().map(|a| a.no))
            .collect();
        let in_file: HashSet<u32> = rows.iter().map(|(_, a)| a.no).collect();
        let mut outside: HashMap<u32, (&str, Vec<u32>)> = HashMap::new();
        for action in stored.iter().filter(|a| !in_file.contains(&a.no)) {
            let entry = outside
                .entry(action.vision)
                .or_insert((&action.vision_title, Vec::new()));
            entry.1.push(action.no);
        }
        let mut vision_titles: HashMap<u32, (&str, u64)> = HashMap::new();
        for (line, action) in rows {
            for other in &action.related {
                if *other == action.no {
                    problems.add(*line, "related", "an action cannot be related to itself");
                } else if !known.contains(other) {
                    problems.add(*line, "related", format!("action {other} does not exist"));
                }
            }
            if let Some((title, others)) = outside.get(&action.vision) {
                if *title != action.vision_title {
                    problems.add(
                        *line,
                        "vision_title",
                        format!(
                            "vision {} is titled \"{title}\" for actions {} not in this file; use that title, or list those actions with the new one",
                            action.vision,
                            join_numbers(others)
                        ),
                    );
                    continue;
                }
            }
            match vision_titles.get(&action.vision) {
                Some((title, first)) if *title != action.vision_title => problems.add(
                    *line,
                    "vision_title",
                    format!(
                        "vision {} is already titled \"{title}\" (line {first})",
                        action.vision
                    ),
                ),
                _ => {
                    vision_titles.insert(action.vision, (&action.vision_title, *line));
                }
            }
        }
    }

    async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Self>, sqlx::Error> {
        action::load_all(conn).await
    }

    async fn save_all(
        conn: &mut SqliteConnection,
        records: &[Self],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        for record in records {
            action::save(conn, record, now).await?;
        }
        Ok(())
    }
}
