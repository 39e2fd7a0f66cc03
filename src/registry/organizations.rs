//! `organizations.csv` ↔ [`Organization`].

use sqlx::SqliteConnection;

use super::record::{join_numbers, yes_no, Record};
use super::table::{Problems, Row};
use crate::directory::organization::{self, Organization};
use crate::text::split_list;

impl Record for Organization {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "name_kana",
        "form",
        "fields",
        "area",
        "description",
        "keywords",
        "target",
        "recruiting",
        "contact",
        "name_en",
        "description_en",
    ];
    const KEY_COLUMN: &'static str = "id";

    fn key(&self) -> String {
        self.id.clone()
    }

    fn parse(row: &Row, problems: &mut Problems) -> Option<Self> {
        let id = row.required("id", problems);
        let name = row.required("name", problems);
        let area = row.required("area", problems);
        let recruiting = row.yes_no("recruiting", problems);
        let fields = match row.required("fields", problems) {
            Some(_) => row.number_list("fields", 1..=20, problems),
            None => None,
        };
        Some(Organization {
            id: id?,
            name: name?,
            name_kana: row.get("name_kana").to_string(),
            form: row.get("form").to_string(),
            fields: fields?.into_iter().map(|n| n as u8).collect(),
            area: area?,
            description: row.get("description").to_string(),
            keywords: split_list(row.get("keywords")),
            target: split_list(row.get("target")),
            recruiting: recruiting?,
            contact: row.get("contact").to_string(),
            name_en: row.get("name_en").to_string(),
            description_en: row.get("description_en").to_string(),
        })
    }

    fn to_row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.name_kana.clone(),
            self.form.clone(),
            join_numbers(&self.fields),
            self.area.clone(),
            self.description.clone(),
            self.keywords.join(";"),
            self.target.join(";"),
            yes_no(self.recruiting),
            self.contact.clone(),
            self.name_en.clone(),
            self.description_en.clone(),
        ]
    }

    async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Self>, sqlx::Error> {
        organization::load_all(conn).await
    }

    async fn save(conn: &mut SqliteConnection, record: &Self, now: i64) -> Result<(), sqlx::Error> {
        organization::save(conn, record, now).await
    }
}
