//! `directory_version`: one counter raised by every import that changes the registry, so a
//! running bot (another process) knows to rebuild its search index.

use sqlx::SqliteConnection;

pub async fn get(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT version AS "version: i64" FROM directory_version WHERE id = 1"#)
        .fetch_one(&mut *conn)
        .await
}

pub async fn bump(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE directory_version SET version = version + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await
        .map(drop)
}
