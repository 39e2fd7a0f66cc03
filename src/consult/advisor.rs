//! A collaboration advisor (協働アドバイザー): who they serve, what they know, how much they take.

use sqlx::SqliteConnection;

use crate::directory::fields::FieldLinks;

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

#[derive(sqlx::FromRow)]
struct AdvisorRow {
    id: String,
    name: String,
    discord_user_id: String,
    serves: String,
    specialties: String,
    languages: String,
    capacity: i64,
    active: bool,
}

/// The advisor a chat account belongs to, if any.
pub async fn id_for_chat_user(
    pool: &sqlx::SqlitePool,
    chat_user_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM advisors WHERE discord_user_id = ?1")
        .bind(chat_user_id)
        .fetch_optional(pool)
        .await
}

pub async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Advisor>, sqlx::Error> {
    let rows: Vec<AdvisorRow> = sqlx::query_as(
        "SELECT id, name, discord_user_id, serves, specialties, languages, capacity, active
         FROM advisors ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut fields = FieldLinks::Advisor.load(conn).await?;
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

pub async fn save(
    conn: &mut SqliteConnection,
    advisor: &Advisor,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO advisors (id, name, discord_user_id, serves, specialties, languages,
             capacity, active, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = ?2, discord_user_id = ?3, serves = ?4,
             specialties = ?5, languages = ?6, capacity = ?7, active = ?8, updated_at = ?9",
    )
    .bind(&advisor.id)
    .bind(&advisor.name)
    .bind(&advisor.chat_user_id)
    .bind(advisor.serves.as_str())
    .bind(advisor.specialties.join(";"))
    .bind(advisor.languages.join(";"))
    .bind(i64::from(advisor.capacity))
    .bind(advisor.active)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    FieldLinks::Advisor
        .replace(conn, &advisor.id, &advisor.fields)
        .await
}
