//! `demo_rows`: which directory rows the built-in demo loaded (see migrations/0006), and the
//! deletes that take them out again.

use sqlx::{SqliteConnection, SqlitePool};

/// How many groups, advisors and actions the directory holds (the demo loads only into an
/// empty one).
pub async fn directory_counts(conn: &mut SqliteConnection) -> Result<(i64, i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT (SELECT COUNT(*) FROM organizations) AS "groups!: i64",
                  (SELECT COUNT(*) FROM advisors) AS "advisors!: i64",
                  (SELECT COUNT(*) FROM plan_actions) AS "actions!: i64""#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.groups, row.advisors, row.actions))
}

/// Records every row of the directory as the demo's (right after the demo filled an empty one).
pub async fn record_all(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT OR IGNORE INTO demo_rows (kind, id)
         SELECT 'organizations', id FROM organizations
         UNION ALL SELECT 'advisors', id FROM advisors
         UNION ALL SELECT 'actions', CAST(no AS TEXT) FROM plan_actions"
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records one row of `kind` ('organizations', 'advisors', 'actions') as the demo's.
pub async fn record(conn: &mut SqliteConnection, kind: &str, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT OR IGNORE INTO demo_rows (kind, id) VALUES (?1, ?2)",
        kind,
        id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The demo's ids of `kind`, in id order.
pub async fn ids(conn: &mut SqliteConnection, kind: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM demo_rows WHERE kind = ?1 ORDER BY id", kind)
        .fetch_all(&mut *conn)
        .await
}

/// Forgets the demo marks of `kind` (its rows were removed, or kept as the office's).
pub async fn forget(conn: &mut SqliteConnection, kind: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM demo_rows WHERE kind = ?1", kind)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many demo rows the directory holds.
pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM demo_rows"#)
        .fetch_one(pool)
        .await
}

/// Deletes the row `id` of `kind` (its fields and links go with it). `Ok(false)`: something
/// else refers to it (a consultation, a progress update), so it stays.
pub async fn delete_row(
    conn: &mut SqliteConnection,
    kind: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let deleted = match kind {
        "organizations" => {
            sqlx::query!("DELETE FROM organizations WHERE id = ?1", id)
                .execute(&mut *conn)
                .await
        }
        "advisors" => {
            sqlx::query!("DELETE FROM advisors WHERE id = ?1", id)
                .execute(&mut *conn)
                .await
        }
        _ => {
            sqlx::query!(
                "DELETE FROM plan_actions WHERE no = CAST(?1 AS INTEGER)",
                id
            )
            .execute(&mut *conn)
            .await
        }
    };
    match deleted {
        Ok(_) => {}
        Err(sqlx::Error::Database(error))
            if error.kind() == sqlx::error::ErrorKind::ForeignKeyViolation =>
        {
            return Ok(false)
        }
        Err(error) => return Err(error),
    }
    if kind == "actions" {
        // Other actions' links to it are checked only at commit (deferred): they go now.
        sqlx::query!(
            "DELETE FROM plan_action_related WHERE related_no = CAST(?1 AS INTEGER)",
            id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// An advisor that must stay (consultations refer to them) gets no more offers.
pub async fn deactivate_advisor(conn: &mut SqliteConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE advisors SET active = 0, available = 0 WHERE id = ?1",
        id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Organisations (id, name) and advisors (id, name, chat id) as stored, to recognise the
/// demo's in a database older than migration 0006.
pub async fn stored_names(
    conn: &mut SqliteConnection,
) -> Result<(Vec<(String, String)>, Vec<(String, String, String)>), sqlx::Error> {
    let groups = sqlx::query!(r#"SELECT id AS "id!", name FROM organizations"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let advisors = sqlx::query!(r#"SELECT id AS "id!", name, discord_user_id FROM advisors"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name, r.discord_user_id))
        .collect();
    Ok((groups, advisors))
}
