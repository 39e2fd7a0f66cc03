//! Unit tests' direct SQL (arranging rows, reading back what the code wrote), kept in the
//! data layer. Runtime queries: a test may set up any state, checked or not.

use sqlx::{Sqlite, SqliteConnection, SqlitePool};

/// Runs one statement on the pool.
pub async fn exec(pool: &SqlitePool, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(pool).await.map(drop)
}

/// Runs one statement on a connection.
pub async fn exec_on(conn: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(conn).await.map(drop)
}

/// The first column of the first row.
pub async fn scalar<T>(pool: &SqlitePool, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Send + Unpin,
{
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The first column of the first row, on a connection.
pub async fn scalar_on<T>(conn: &mut SqliteConnection, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Send + Unpin,
{
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap()
}

/// The first column of every row.
pub async fn column<T>(conn: &mut SqliteConnection, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Send + Unpin,
{
    sqlx::query_scalar(sql).fetch_all(conn).await.unwrap()
}

/// Every row as a tuple.
pub async fn rows<T>(pool: &SqlitePool, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    sqlx::query_as(sql).fetch_all(pool).await.unwrap()
}
