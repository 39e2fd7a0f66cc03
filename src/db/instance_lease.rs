//! `instance_lease`: which running instance is the active one, until when.

use sqlx::SqlitePool;

/// Takes the lease `name` for `holder` until `expires_at` (Unix ms) if it is free, expired at
/// `now`, or already `holder`'s (a renewal). True when `holder` holds it afterwards.
pub async fn take(
    pool: &SqlitePool,
    name: &str,
    holder: &str,
    now: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO instance_lease (name, holder, expires_at) VALUES (?1, ?2, ?4)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE instance_lease.holder = excluded.holder OR instance_lease.expires_at <= ?3",
        name,
        holder,
        now,
        expires_at
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Gives the lease up, if `holder` has it (a clean shutdown: the standby need not wait).
pub async fn release(pool: &SqlitePool, name: &str, holder: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM instance_lease WHERE name = ?1 AND holder = ?2",
        name,
        holder
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_until_it_expires_or_is_released() {
        let pool = crate::store::open_in_memory().await.unwrap();
        assert!(take(&pool, "discord", "a", 0, 1000).await.unwrap());
        assert!(!take(&pool, "discord", "b", 500, 1500).await.unwrap());
        assert!(
            take(&pool, "discord", "a", 600, 1600).await.unwrap(),
            "renewal"
        );
        assert!(!take(&pool, "discord", "b", 1599, 2599).await.unwrap());
        assert!(
            take(&pool, "discord", "b", 1600, 2600).await.unwrap(),
            "expired"
        );
        assert!(!take(&pool, "discord", "a", 1700, 2700).await.unwrap());
        release(&pool, "discord", "b").await.unwrap();
        assert!(take(&pool, "discord", "a", 1800, 2800).await.unwrap());
    }
}
