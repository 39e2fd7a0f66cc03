//! `search_index`: the built search index of one directory version (a cache; see
//! `directory::search::persist`).

use sqlx::SqliteConnection;

/// The stored blob, if it was built for `directory_version` by `build`.
pub async fn get(
    conn: &mut SqliteConnection,
    directory_version: i64,
    build: &str,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT data FROM search_index WHERE id = 1 AND directory_version = ?1 AND build = ?2",
        directory_version,
        build
    )
    .fetch_optional(&mut *conn)
    .await
}

/// Stores `data` as the index of `directory_version`, replacing any other.
pub async fn put(
    conn: &mut SqliteConnection,
    directory_version: i64,
    build: &str,
    data: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO search_index (id, directory_version, build, data) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET directory_version = excluded.directory_version,
                                        build = excluded.build, data = excluded.data",
        directory_version,
        build,
        data
    )
    .execute(&mut *conn)
    .await
    .map(drop)
}
