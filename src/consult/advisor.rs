//! A collaboration advisor (協働アドバイザー): who they serve, what they know, how much they take.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::db;

/// Which consultation route an advisor takes: citizens' (action 10), staff's (action 22), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serves {
    Citizen,
    Staff,
    Both,
}

impl Serves {
    pub fn as_str(self) -> &'static str {
        match self {
            Serves::Citizen => "citizen",
            Serves::Staff => "staff",
            Serves::Both => "both",
        }
    }

    pub fn parse(value: &str) -> Option<Serves> {
        match value.trim().to_ascii_lowercase().as_str() {
            "citizen" => Some(Serves::Citizen),
            "staff" => Some(Serves::Staff),
            "both" => Some(Serves::Both),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisor {
    pub id: String,
    pub name: String,
    /// The advisor's chat account, as a plain id (a Discord snowflake in production).
    pub chat_user_id: String,
    pub serves: Serves,
    pub fields: Vec<u8>,
    pub specialties: Vec<String>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub capacity: u32,
    pub active: bool,
}

/// Every advisor, by id, with their fields in the registry's order.
pub async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Advisor>, sqlx::Error> {
    let rows = db::advisors::all(conn).await?;
    let mut fields: HashMap<String, Vec<u8>> = HashMap::new();
    for (id, field) in db::advisors::field_links(conn).await? {
        fields.entry(id).or_default().push(field as u8);
    }
    Ok(rows
        .into_iter()
        .map(|row| Advisor {
            fields: fields.remove(&row.id).unwrap_or_default(),
            // The CHECK constraint keeps other values out of the table.
            serves: Serves::parse(&row.serves).unwrap_or(Serves::Citizen),
            specialties: crate::text::split_list(&row.specialties),
            languages: crate::text::split_list(&row.languages),
            capacity: row.capacity.max(0) as u32,
            id: row.id,
            name: row.name,
            chat_user_id: row.discord_user_id,
            active: row.active,
        })
        .collect())
}

/// One advisor by id. Errors: `UnknownAdvisor`, `Store`.
pub async fn find(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Advisor, super::settings::ConsultError> {
    load_all(conn)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(super::settings::ConsultError::UnknownAdvisor)
}

/// Inserts or updates an advisor and their fields.
pub async fn save(
    conn: &mut SqliteConnection,
    advisor: &Advisor,
    now: i64,
) -> Result<(), sqlx::Error> {
    let row = db::advisors::AdvisorRow {
        id: advisor.id.clone(),
        name: advisor.name.clone(),
        discord_user_id: advisor.chat_user_id.clone(),
        serves: advisor.serves.as_str().to_string(),
        specialties: advisor.specialties.join(";"),
        languages: advisor.languages.join(";"),
        capacity: i64::from(advisor.capacity),
        active: advisor.active,
    };
    db::advisors::upsert(conn, &row, now).await?;
    db::advisors::replace_fields(conn, &advisor.id, &advisor.fields).await
}
