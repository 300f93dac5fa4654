//! Rate-limit counters kept in the database.
//!
//! Why not an in-memory limiter: several stateless app servers share one database, and a
//! per-process limiter would let an attacker multiply the limit by the number of servers.
//!
//! Why count and decide in one write transaction: a limit read before slow work (a
//! password check) and written after it lets a burst through whole — every request of
//! the burst reads the same count. [`Store::throttle_take`] counts the attempt before the
//! work, under a lock held per counter (SQLite's write lock, taken up front; a PostgreSQL
//! advisory lock on the counter's name), so of any burst at most the limit gets through,
//! across every server on the database.

use chrono::{DateTime, Duration, Utc};

use super::{BeginWrite, Result, now, read, write};

/// The answer of [`Store::throttle_take`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Counted; go ahead.
    Allowed,
    /// The limit is reached: not counted; the oldest counted attempt leaves the window in
    /// this many seconds (at least 1).
    Refused { retry_after: u64 },
}

impl super::Store {
    /// Counts one attempt of `key` in `bucket` if fewer than `limit` were counted within
    /// `window`, atomically; otherwise refuses it and says when to come back.
    pub async fn throttle_take(
        &self,
        bucket: &str,
        key: &str,
        window: Duration,
        limit: i64,
    ) -> Result<Throttle> {
        let at = now();
        let since = at - window;
        let postgres = self.backend_name() == "postgres";
        write!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if postgres {
                // Held to the end of the transaction: the next attempt on this counter
                // reads the count only after this one is committed.
                sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7))")
                    .bind(bucket)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
            let counted: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM throttle_hits WHERE bucket = $1 AND key = $2 AND at > $3",
            )
            .bind(bucket)
            .bind(key)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
            if counted >= limit {
                // The attempt that must leave the window before one more fits.
                let freeing: Option<DateTime<Utc>> = sqlx::query_scalar(
                    "SELECT at FROM throttle_hits WHERE bucket = $1 AND key = $2 AND at > $3 \
                     ORDER BY at LIMIT 1 OFFSET $4",
                )
                .bind(bucket)
                .bind(key)
                .bind(since)
                .bind(counted - limit)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                let wait = freeing.map_or(window, |t| t + window - at);
                let retry_after = u64::try_from(wait.num_seconds() + 1).unwrap_or(1).max(1);
                return Ok(Throttle::Refused { retry_after });
            }
            sqlx::query("INSERT INTO throttle_hits (bucket, key, at) VALUES ($1, $2, $3)")
                .bind(bucket)
                .bind(key)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            if rand::random::<u8>() == 0 {
                sqlx::query("DELETE FROM throttle_hits WHERE at < $1")
                    .bind(at - Duration::days(1))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(Throttle::Allowed)
        })
    }

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

    /// Records one hit without a limit (a failure remembered for a slower path).
    pub async fn throttle_hit(&self, bucket: &str, key: &str) -> Result<()> {
        let at = now();
        write!(self, |pool| {
            sqlx::query("INSERT INTO throttle_hits (bucket, key, at) VALUES ($1, $2, $3)")
                .bind(bucket)
                .bind(key)
                .bind(at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Gives back the latest hit of `key` (an attempt that turned out to be legitimate,
    /// such as a successful login, does not count against the people sharing an address).
    pub async fn throttle_refund(&self, bucket: &str, key: &str) -> Result<()> {
        write!(self, |pool| {
            sqlx::query(
                "DELETE FROM throttle_hits WHERE bucket = $1 AND key = $2 AND at = \
                 (SELECT MAX(at) FROM throttle_hits WHERE bucket = $1 AND key = $2)",
            )
            .bind(bucket)
            .bind(key)
            .execute(pool)
            .await?;
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
