//! `organizations.csv` ↔ [`Organization`].

use sqlx::SqliteConnection;

use super::cells::{MAX_ID, MAX_LONG_TEXT, MAX_SHORT_TEXT};
use super::record::{join_numbers, yes_no, Record};
use super::table::{Problems, Row};
use crate::directory::organization::Organization;
use crate::text::split_list;

/// The legal forms the registry's `form` column takes (data/README.md), as written there.
pub const FORMS: &[&str] = &[
    "任意団体",
    "NPO法人",
    "自治会・町内会",
    "一般社団法人",
    "社会福祉法人",
    "学校・教育機関",
    "事業者",
    "その他",
];

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
        let id = row.required_text("id", MAX_ID, problems);
        let name = row.required_text("name", MAX_SHORT_TEXT, problems);
        let name_kana = row.text("name_kana", MAX_SHORT_TEXT, problems);
        let form = row.choice("form", FORMS, problems);
        let area = row.required_text("area", MAX_SHORT_TEXT, problems);
        let description = row.text("description", MAX_LONG_TEXT, problems);
        let keywords = row.text("keywords", MAX_LONG_TEXT, problems);
        let target = row.text("target", MAX_LONG_TEXT, problems);
        let recruiting = row.yes_no("recruiting", problems);
        let contact = row.text("contact", MAX_SHORT_TEXT, problems);
        let name_en = row.text("name_en", MAX_SHORT_TEXT, problems);
        let description_en = row.text("description_en", MAX_LONG_TEXT, problems);
        let fields = match row.required("fields", problems) {
            Some(_) => row.number_list("fields", 1..=20, 3, problems),
            None => None,
        };
        Some(Organization {
            id: id?,
            name: name?,
            name_kana: name_kana?,
            form: form?,
            fields: fields?.into_iter().map(|n| n as u8).collect(),
            area: area?,
            description: description?,
            keywords: split_list(&keywords?),
            target: split_list(&target?),
            recruiting: recruiting?,
            contact: contact?,
            name_en: name_en?,
            description_en: description_en?,
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
        crate::db::organizations::load_all(conn).await
    }

    async fn stage(
        conn: &mut SqliteConnection,
        records: &[Self],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        crate::db::organizations::stage(conn, records, now).await
    }

    async fn clear_staged(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        crate::db::organizations::clear_staged(conn).await
    }

    async fn save_all(
        conn: &mut SqliteConnection,
        _records: &[Self],
        _now: i64,
    ) -> Result<(), sqlx::Error> {
        crate::db::organizations::apply_staged(conn).await
    }
}
