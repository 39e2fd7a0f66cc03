//! `advisors.csv` ↔ [`Advisor`].

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::record::{join_numbers, yes_no, Record};
use super::table::{Problems, Row};
use crate::consult::advisor::{self, Advisor, Serves};
use crate::text::split_list;

impl Record for Advisor {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "discord_user_id",
        "serves",
        "fields",
        "specialties",
        "languages",
        "capacity",
        "active",
    ];
    const KEY_COLUMN: &'static str = "id";

    fn key(&self) -> String {
        self.id.clone()
    }

    fn parse(row: &Row, problems: &mut Problems) -> Option<Self> {
        let id = row.required("id", problems);
        let name = row.required("name", problems);
        let user = row.required("discord_user_id", problems).and_then(|user| {
            let snowflake = user.len() >= 15 && user.chars().all(|c| c.is_ascii_digit());
            if !snowflake {
                problems.add(
                    row.line,
                    "discord_user_id",
                    format!("\"{user}\" is not a Discord user id (15 or more digits)"),
                );
            }
            snowflake.then_some(user)
        });
        let serves = row.required("serves", problems).and_then(|value| {
            let serves = Serves::parse(&value);
            if serves.is_none() {
                problems.add(
                    row.line,
                    "serves",
                    format!("\"{value}\" is not citizen, staff or both"),
                );
            }
            serves
        });
        let fields = row.number_list("fields", 1..=20, problems);
        let languages = row.required("languages", problems).and_then(|value| {
            let codes: Vec<String> = split_list(&value)
                .into_iter()
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let bad: Vec<&String> = codes
                .iter()
                .filter(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_lowercase()))
                .collect();
            if !bad.is_empty() {
                problems.add(
                    row.line,
                    "languages",
                    format!("{bad:?} are not ISO 639-1 codes such as ja or en"),
                );
                return None;
            }
            Some(codes)
        });
        let capacity = row.number("capacity", 0..=1000, problems);
        let active = row.yes_no("active", problems);
        Some(Advisor {
            id: id?,
            name: name?,
            chat_user_id: user?,
            serves: serves?,
            fields: fields?.into_iter().map(|n| n as u8).collect(),
            specialties: split_list(row.get("specialties")),
            languages: languages?,
            capacity: capacity? as u32,
            active: active?,
        })
    }

    fn to_row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.chat_user_id.clone(),
            self.serves.as_str().to_string(),
            join_numbers(&self.fields),
            self.specialties.join(";"),
            self.languages.join(";"),
            self.capacity.to_string(),
            yes_no(self.active),
        ]
    }

    /// One Discord account is one advisor: two rows with the same user would split their offers.
    fn check_together(rows: &[(u64, Self)], stored: &[Self], problems: &mut Problems) {
        let mut owners: HashMap<&str, &str> = stored
            .iter()
            .filter(|a| !rows.iter().any(|(_, r)| r.id == a.id))
            .map(|a| (a.chat_user_id.as_str(), a.id.as_str()))
            .collect();
        for (line, advisor) in rows {
            match owners.get(advisor.chat_user_id.as_str()) {
                Some(other) if *other != advisor.id => problems.add(
                    *line,
                    "discord_user_id",
                    format!("already belongs to advisor {other}"),
                ),
                _ => {
                    owners.insert(&advisor.chat_user_id, &advisor.id);
                }
            }
        }
    }

    async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Self>, sqlx::Error> {
        advisor::load_all(conn).await
    }

    async fn save(conn: &mut SqliteConnection, record: &Self, now: i64) -> Result<(), sqlx::Error> {
        advisor::save(conn, record, now).await
    }
}
