//! Rate-limit counters kept in the database.
//!
//! Why not an in-memory limiter: several stateless app servers share one database, and a
//! per-process limiter would let an attacker multiply the limit by the number of servers.

use chrono::{DateTime, Utc};

use super::{Result, now, read, write};

impl super::Store {
    /// How many hits `key` has in `bucket` since `since`.
    pub async fn throttle_count(
        &self,
        bucket: &str,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<i64> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM throttle_hits WHERE bucket = $1 AND key = $2 AND at > $3",
            )
            .bind(bucket)
            .bind(key)
            .bind(since)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Records one hit, and forgets hits older than a day now and then.
    pub async fn throttle_hit(&self, bucket: &str, key: &str) -> Result<()> {
        let at = now();
        write!(self, |pool| {
            sqlx::query("INSERT INTO throttle_hits (bucket, key, at) VALUES ($1, $2, $3)")
                .bind(bucket)
                .bind(key)
                .bind(at)
                .execute(pool)
                .await?;
            if rand::random::<u8>() == 0 {
                sqlx::query("DELETE FROM throttle_hits WHERE at < $1")
                    .bind(at - chrono::Duration::days(1))
                    .execute(pool)
                    .await?;
            }
            Ok(())
        })
    }

    /// Forgets the hits of `key` (a successful login clears its failures).
    pub async fn throttle_clear(&self, bucket: &str, key: &str) -> Result<()> {
        write!(self, |pool| {
            sqlx::query("DELETE FROM throttle_hits WHERE bucket = $1 AND key = $2")
                .bind(bucket)
                .bind(key)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}
