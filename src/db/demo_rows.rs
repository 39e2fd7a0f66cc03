//! `demo_rows`: which directory rows the built-in demo loaded (see migrations/0006), and the
//! deletes that take them out again.

use sqlx::{SqliteConnection, SqlitePool};

/// Records every row of the directory as the demo's (right after the demo filled an empty one).
pub async fn record_all(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO demo_rows (kind, id)
         SELECT 'organizations', id FROM organizations
         UNION ALL SELECT 'advisors', id FROM advisors
         UNION ALL SELECT 'actions', CAST(no AS TEXT) FROM plan_actions",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records one row of `kind` ('organizations', 'advisors', 'actions') as the demo's.
pub async fn record(conn: &mut SqliteConnection, kind: &str, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO demo_rows (kind, id) VALUES (?1, ?2)")
        .bind(kind)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The demo's ids of `kind`, in id order.
pub async fn ids(conn: &mut SqliteConnection, kind: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM demo_rows WHERE kind = ?1 ORDER BY id")
        .bind(kind)
        .fetch_all(&mut *conn)
        .await
}

/// Forgets the demo marks of `kind` (its rows were removed, or kept as the office's).
pub async fn forget(conn: &mut SqliteConnection, kind: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM demo_rows WHERE kind = ?1")
        .bind(kind)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many demo rows the directory holds.
pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM demo_rows")
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
    let sql = match kind {
        "organizations" => "DELETE FROM organizations WHERE id = ?1",
        "advisors" => "DELETE FROM advisors WHERE id = ?1",
        _ => "DELETE FROM plan_actions WHERE no = CAST(?1 AS INTEGER)",
    };
    match sqlx::query(sql).bind(id).execute(&mut *conn).await {
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
        sqlx::query("DELETE FROM plan_action_related WHERE related_no = CAST(?1 AS INTEGER)")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// An advisor that must stay (consultations refer to them) gets no more offers.
pub async fn deactivate_advisor(conn: &mut SqliteConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE advisors SET active = 0, available = 0 WHERE id = ?1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Organisations (id, name) and advisors (id, name, chat id) as stored, to recognise the
/// demo's in a database older than migration 0006.
pub async fn stored_names(
    conn: &mut SqliteConnection,
) -> Result<(Vec<(String, String)>, Vec<(String, String, String)>), sqlx::Error> {
    let groups = sqlx::query_as("SELECT id, name FROM organizations")
        .fetch_all(&mut *conn)
        .await?;
    let advisors = sqlx::query_as("SELECT id, name, discord_user_id FROM advisors")
        .fetch_all(&mut *conn)
        .await?;
    Ok((groups, advisors))
}
