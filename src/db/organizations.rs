//! `organizations` and `organization_fields`: the registry import's bulk upsert. Rows go in
//! as multi-row statements (a few hundred rows each), so a 100,000-group file holds the write
//! lock for about a second instead of half a million single statements.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::directory::organization::Organization;

/// Rows per statement: 13 values each stays far below SQLite's 32,766 bound parameters.
const CHUNK: usize = 500;

/// Inserts or replaces `groups` and their fields (primary field first), inside the caller's
/// transaction.
pub async fn upsert_many(
    conn: &mut SqliteConnection,
    groups: &[Organization],
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in groups.chunks(CHUNK) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO organizations (id, name, name_kana, form, area, description, keywords,
             target, recruiting, contact, name_en, description_en, updated_at) ",
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
        insert.push(
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_kana = excluded.name_kana,
             form = excluded.form, area = excluded.area, description = excluded.description,
             keywords = excluded.keywords, target = excluded.target,
             recruiting = excluded.recruiting, contact = excluded.contact,
             name_en = excluded.name_en, description_en = excluded.description_en,
             updated_at = excluded.updated_at",
        );
        insert.build().execute(&mut *conn).await?;

        let mut delete: QueryBuilder<Sqlite> =
            QueryBuilder::new("DELETE FROM organization_fields WHERE organization_id IN (");
        let mut ids = delete.separated(", ");
        for org in chunk {
            ids.push_bind(&org.id);
        }
        delete.push(")");
        delete.build().execute(&mut *conn).await?;

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
                "INSERT INTO organization_fields (organization_id, field_no, position) ",
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
