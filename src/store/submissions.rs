//! One-time submission keys: what makes a double click or a retried POST harmless.
//!
//! A request carrying a key runs inside [`with_key`]. Its first change (see
//! [`change!`](super::change)) claims the key in the change's own transaction, so the key
//! is taken if and only if the work is done: a repeat that reaches a change after that
//! finds it taken ([`StoreError::Repeated`](super::StoreError::Repeated)) and writes
//! nothing. Claiming costs no commit of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Duration;

use super::batches::{Batch, Batches, keep_prepared, together};
use super::{BeginWrite, Store, now, read, write};

tokio::task_local! {
    static HELD: Arc<Held>;
}

/// The key a request carries, until a change claims it.
struct Held {
    digest: String,
    claimed: AtomicBool,
}

/// Runs `work` holding `digest` for its first change to claim; answers its output and
/// whether a change claimed the key (and committed).
pub async fn with_key<F: std::future::Future>(digest: &str, work: F) -> (F::Output, bool) {
    let held = Arc::new(Held {
        digest: digest.to_string(),
        claimed: AtomicBool::new(false),
    });
    let out = HELD.scope(held.clone(), work).await;
    (out, held.claimed.load(Ordering::Acquire))
}

/// The key this change should claim: the request's, when no change claimed it yet.
pub(crate) fn unclaimed() -> Option<String> {
    HELD.try_with(|h| (!h.claimed.load(Ordering::Acquire)).then(|| h.digest.clone()))
        .ok()
        .flatten()
}

/// The change that claimed the key committed.
pub(crate) fn claimed() {
    let _ = HELD.try_with(|h| h.claimed.store(true, Ordering::Release));
}

/// Claims `$digest` inside the change's transaction `$tx`; a key already taken ends the
/// change with [`StoreError::Repeated`](crate::store::StoreError::Repeated).
macro_rules! claim {
    ($tx:expr, $digest:expr) => {{
        let taken = sqlx::query(
            "INSERT INTO submission_keys (digest, location, created_at) VALUES ($1, NULL, $2) \
             ON CONFLICT (digest) DO NOTHING",
        )
        .bind($digest)
        .bind($crate::store::now())
        .execute($tx)
        .await?
        .rows_affected()
            == 0;
        if taken {
            return Err($crate::store::StoreError::Repeated);
        }
    }};
}
pub(crate) use claim;

/// What became of a key that a request took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Its work is done and its answer not yet remembered (or never will be: the server
    /// stopped in between).
    Pending,
    /// The key was answered with a redirect to this location.
    Done(String),
}

/// Where the request holding a key was sent, to be remembered.
#[derive(Debug)]
pub(crate) struct Completion {
    digest: String,
    location: String,
}

impl Batch for Completion {
    type Answer = ();
    const MOST: usize = 256;

    fn queue(store: &Store) -> &Batches<Self> {
        &store.completions
    }

    fn write(
        store: &Store,
        done: &[Self],
    ) -> impl std::future::Future<Output = super::Result<Vec<super::Result<()>>>> + Send {
        store.write_completions(done)
    }
}

/// How long a key is remembered.
const KEEP: i64 = 2;

/// Where the request that took a key was sent (`NULL` while unknown).
const LOCATION: &str = "SELECT location FROM submission_keys WHERE digest = $1";

fn state((location,): (Option<String>,)) -> Claim {
    match location {
        Some(l) => Claim::Done(l),
        None => Claim::Pending,
    }
}

impl Store {
    /// What became of `digest`: `None` when no request took it. Read from the readers;
    /// a commit a moment old may not show yet there, which only costs the repeat the run up
    /// to its change (where the key is found taken).
    pub async fn submission_seen(&self, digest: &str) -> super::Result<Option<Claim>> {
        let location: Option<(Option<String>,)> = read!(self, |pool| {
            sqlx::query_as(LOCATION)
                .bind(digest)
                .fetch_optional(pool)
                .await
        })?;
        Ok(location.map(state))
    }

    /// What became of `digest`, read from the writer: as of the last commit.
    pub async fn submission_state(&self, digest: &str) -> super::Result<Option<Claim>> {
        let location: Option<(Option<String>,)> = write!(self, |pool| {
            sqlx::query_as(LOCATION)
                .bind(digest)
                .fetch_optional(pool)
                .await
        })?;
        Ok(location.map(state))
    }

    /// Remembers a key whose request was answered with a redirect without a change (so
    /// none claimed it): a repeat is sent there too.
    pub async fn remember_submission(&self, digest: &str, location: &str) -> super::Result<()> {
        let at = now();
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO submission_keys (digest, location, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (digest) DO NOTHING",
            )
            .bind(digest)
            .bind(location)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Remembers that the request holding `digest` was answered with a redirect, with
    /// the other requests' answers of the moment (see [`super::batches`]).
    pub async fn complete_submission(&self, digest: &str, location: &str) -> super::Result<()> {
        let done = Completion {
            digest: digest.to_string(),
            location: location.to_string(),
        };
        together(self, done).await
    }

    /// Writes where `done`'s requests were sent, in one statement. Old keys are let go
    /// now and then.
    async fn write_completions(
        &self,
        done: &[Completion],
    ) -> super::Result<Vec<super::Result<()>>> {
        write!(self, |pool| {
            let mut tx = BeginWrite::begin_write(pool).await?;
            if rand::random::<u8>() == 0 {
                sqlx::query("DELETE FROM submission_keys WHERE created_at < $1")
                    .bind(now() - Duration::days(KEEP))
                    .execute(&mut *tx)
                    .await?;
            }
            // A VALUES list's columns are column1, column2, … on both databases.
            let mut q =
                sqlx::QueryBuilder::new("UPDATE submission_keys SET location = v.column2 FROM (");
            q.push_values(done, |mut row, d| {
                row.push_bind(d.digest.clone())
                    .push_bind(d.location.clone());
            });
            q.push(") AS v WHERE submission_keys.digest = v.column1");
            q.build()
                .persistent(keep_prepared(done.len()))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.iter().map(|_| Ok(())).collect())
        })
    }

    /// Lets the key go: the request was answered without a redirect (a form refused for
    /// its mistakes is sent again with the same key once corrected).
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
