//! A citizen-activity group (市民活動団体) as the registry lists it, and its rows in the store.

use sqlx::SqliteConnection;

use super::fields::FieldLinks;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub name_kana: String,
    pub form: String,
    /// NPO-law activity field numbers (1–20), primary first.
    pub fields: Vec<u8>,
    pub area: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub target: Vec<String>,
    pub recruiting: bool,
    pub contact: String,
    pub name_en: String,
    pub description_en: String,
}

#[derive(sqlx::FromRow)]
struct OrganizationRow {
    id: String,
    name: String,
    name_kana: String,
    form: String,
    area: String,
    description: String,
    keywords: String,
    target: String,
    recruiting: bool,
    contact: String,
    name_en: String,
    description_en: String,
}

pub async fn count(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(conn)
        .await
}

/// Every group, ordered by id, with its fields.
pub async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Organization>, sqlx::Error> {
    let rows: Vec<OrganizationRow> = sqlx::query_as(
        "SELECT id, name, name_kana, form, area, description, keywords, target, recruiting,
                contact, name_en, description_en
         FROM organizations ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut fields = FieldLinks::Organization.load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|row| Organization {
            fields: fields.remove(&row.id).unwrap_or_default(),
            keywords: crate::text::split_list(&row.keywords),
            target: crate::text::split_list(&row.target),
            id: row.id,
            name: row.name,
            name_kana: row.name_kana,
            form: row.form,
            area: row.area,
            description: row.description,
            recruiting: row.recruiting,
            contact: row.contact,
            name_en: row.name_en,
            description_en: row.description_en,
        })
        .collect())
}
