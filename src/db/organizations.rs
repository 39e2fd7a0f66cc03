//! `organizations` and `organization_fields`: the registry import's bulk upsert, in two steps
//! so a 100,000-group file holds the write lock only for SQLite's own copying:
//! [`stage`] writes the rows into TEMP tables of the connection (no lock on the database file),
//! then [`apply_staged`], inside the caller's write transaction, moves them over in three
//! statements. Both steps must run on the same connection (TEMP tables are per connection).
//! The staging statements stay runtime queries: sqlx cannot check TEMP tables or a bulk
//! `VALUES` list built to the chunk's length against the schema.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::directory::organization::Organization;

/// Rows per staging statement: 13 values each stays far below SQLite's 32,766 parameters.
const CHUNK: usize = 500;

/// Writes `groups` and their fields (primary field first) into this connection's staging tables,
/// replacing what was staged before. Give them sorted by id: the copy under the write lock then
/// fills the directory's indexes in order, without sorting.
pub async fn stage(
    conn: &mut SqliteConnection,
    groups: &[Organization],
    now: i64,
) -> Result<(), sqlx::Error> {
    for statement in [
        "DROP TABLE IF EXISTS temp.staged_organizations",
        "DROP TABLE IF EXISTS temp.staged_organization_fields",
        "CREATE TEMP TABLE staged_organizations AS SELECT * FROM main.organizations WHERE 0",
        "CREATE TEMP TABLE staged_organization_fields AS SELECT * FROM main.organization_fields WHERE 0",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    for chunk in groups.chunks(CHUNK) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO temp.staged_organizations (id, name, name_kana, form, area, description,
             keywords, target, recruiting, contact, name_en, description_en, updated_at) ",
        );
        insert.push_values(chunk, |mut row, org| {
            row.push_bind(&org.id)
                .push_bind(&org.name)
                .push_bind(&org.name_kana)
                .push_bind(&org.form)
                .push_bind(&org.area)
                .push_bind(&org.description)
                .push_bind(org.keywords.join(";"))
                .push_bind(org.target.join(";"))
                .push_bind(org.recruiting)
                .push_bind(&org.contact)
                .push_bind(&org.name_en)
                .push_bind(&org.description_en)
                .push_bind(now);
        });
        insert.build().execute(&mut *conn).await?;

        let links: Vec<(&str, u8, usize)> = chunk
            .iter()
            .flat_map(|org| {
                org.fields
                    .iter()
                    .enumerate()
                    .map(|(position, field)| (org.id.as_str(), *field, position))
            })
            .collect();
        for links in links.chunks(CHUNK * 3) {
            let mut fields: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO temp.staged_organization_fields (organization_id, field_no, position) ",
            );
            fields.push_values(links, |mut row, (id, field, position)| {
                row.push_bind(*id)
                    .push_bind(i64::from(*field))
                    .push_bind(*position as i64);
            });
            fields.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Moves the staged groups into the directory (insert or replace, fields replaced), inside the
/// caller's transaction.
pub async fn apply_staged(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    for statement in [
        // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT.
        "INSERT INTO main.organizations (id, name, name_kana, form, area, description, keywords,
             target, recruiting, contact, name_en, description_en, updated_at)
         SELECT id, name, name_kana, form, area, description, keywords, target, recruiting,
             contact, name_en, description_en, updated_at
         FROM temp.staged_organizations WHERE true
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_kana = excluded.name_kana,
             form = excluded.form, area = excluded.area, description = excluded.description,
             keywords = excluded.keywords, target = excluded.target,
             recruiting = excluded.recruiting, contact = excluded.contact,
             name_en = excluded.name_en, description_en = excluded.description_en,
             updated_at = excluded.updated_at",
        "DELETE FROM main.organization_fields
         WHERE organization_id IN (SELECT id FROM temp.staged_organizations)",
        "INSERT INTO main.organization_fields (organization_id, field_no, position)
         SELECT organization_id, field_no, position FROM temp.staged_organization_fields",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Drops the staging tables (after the write transaction, so not while holding the lock).
pub async fn clear_staged(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    for statement in [
        "DROP TABLE IF EXISTS temp.staged_organizations",
        "DROP TABLE IF EXISTS temp.staged_organization_fields",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Every group, ordered by id, with its fields (primary first).
pub async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Organization>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, name_kana, form, area, description, keywords, target,
                  recruiting AS "recruiting: bool", contact, name_en, description_en
           FROM organizations ORDER BY id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut fields = field_links(conn).await?;
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

/// Every group's activity fields (NPO-law numbers 1–20), primary first.
pub async fn field_links(
    conn: &mut SqliteConnection,
) -> Result<HashMap<String, Vec<u8>>, sqlx::Error> {
    let links = sqlx::query!(
        r#"SELECT organization_id, field_no AS "field_no: i64" FROM organization_fields
           ORDER BY organization_id, position"#
    )
    .fetch_all(conn)
    .await?;
    let mut fields: HashMap<String, Vec<u8>> = HashMap::new();
    for link in links {
        fields
            .entry(link.organization_id)
            .or_default()
            .push(link.field_no as u8);
    }
    Ok(fields)
}
