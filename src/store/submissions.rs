//! One-time submission keys: what makes a double click or a retried POST harmless.

use chrono::Duration;

use super::{Store, now, write};

/// What the first POST with a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this request does the work.
    Fresh,
    /// Another request with the key is still at work.
    Pending,
    /// The key was answered with a redirect to this location.
    Done(String),
}

/// How long a key is remembered.
const KEEP: i64 = 2;

impl Store {
    /// Claims `digest` for this request, or says who has it.
    pub async fn claim_submission(&self, digest: &str) -> super::Result<Claim> {
        let at = now();
        let claimed = write!(self, |pool| {
            if rand::random::<u8>() == 0 {
                sqlx::query("DELETE FROM submission_keys WHERE created_at < $1")
                    .bind(at - Duration::days(KEEP))
                    .execute(pool)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO submission_keys (digest, location, created_at) VALUES ($1, NULL, $2) \
                 ON CONFLICT (digest) DO NOTHING",
            )
            .bind(digest)
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
        })?;
        if claimed {
            return Ok(Claim::Fresh);
        }
        self.submission_state(digest).await
    }

    /// Where an earlier request with `digest` was sent, if it is done.
    async fn submission_state(&self, digest: &str) -> super::Result<Claim> {
        // Read from the writer: on SQLite the readers may lag a commit behind.
        let location: Option<(Option<String>,)> = write!(self, |pool| {
            sqlx::query_as("SELECT location FROM submission_keys WHERE digest = $1")
                .bind(digest)
                .fetch_optional(pool)
                .await
        })?;
        Ok(match location {
            Some((Some(l),)) => Claim::Done(l),
            Some((None,)) => Claim::Pending,
            // Released meanwhile (the other request was refused): the next claim takes it.
            None => Claim::Pending,
        })
    }

    /// Remembers that the request holding `digest` was answered with a redirect.
    pub async fn complete_submission(&self, digest: &str, location: &str) -> super::Result<()> {
        write!(self, |pool| {
            sqlx::query("UPDATE submission_keys SET location = $2 WHERE digest = $1")
                .bind(digest)
                .bind(location)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Lets the key go: the request was refused (a form with mistakes is sent again with
    /// the same key once corrected), so nothing was done that a retry could repeat.
    pub async fn release_submission(&self, digest: &str) -> super::Result<()> {
        write!(self, |pool| {
            sqlx::query("DELETE FROM submission_keys WHERE digest = $1 AND location IS NULL")
                .bind(digest)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}
