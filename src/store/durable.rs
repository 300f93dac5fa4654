//! Group commit for SQLite: what makes an acknowledged write survive a power cut without
//! one disk flush per transaction.
//!
//! The writer commits with `synchronous=NORMAL`: a commit appends its pages to the
//! write-ahead log and returns without waiting for the disk. Before a request that wrote
//! is answered, it waits at the [`Barrier`]: one `fdatasync` of the log that *started
//! after* its commits returned. Requests that arrive while a flush is running queue
//! behind it and share the next one, so a burst of submissions costs a few flushes, not
//! one (or four) each. SQLite replays every committed frame of a flushed log after a
//! crash, and flushes the log itself before each checkpoint, so nothing answered with a
//! 303 is lost (`tests/it/servers.rs` kills a server mid-write to check the order).

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// Flushes shared by everyone who arrives while one runs.
pub struct Barrier<F> {
    /// How many flushes have started.
    started: AtomicU64,
    /// The number of the last flush that completed; held while one runs.
    completed: tokio::sync::Mutex<u64>,
    flush: F,
}

impl<F> std::fmt::Debug for Barrier<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Barrier")
            .field("started", &self.started)
            .finish_non_exhaustive()
    }
}

impl<F, Fut> Barrier<F>
where
    F: Fn() -> Fut,
    Fut: Future<Output = std::io::Result<()>>,
{
    pub fn new(flush: F) -> Barrier<F> {
        Barrier {
            started: AtomicU64::new(0),
            completed: tokio::sync::Mutex::new(0),
            flush,
        }
    }

    /// Returns once a flush that started after this call has completed: everything the
    /// caller wrote before calling is then on disk.
    pub async fn wait(&self) -> std::io::Result<()> {
        // Any flush numbered above `seen` starts after this load, so after the caller's
        // writes.
        let seen = self.started.load(Ordering::SeqCst);
        let mut completed = self.completed.lock().await;
        if *completed > seen {
            return Ok(());
        }
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        (self.flush)().await?;
        *completed = number;
        Ok(())
    }
}

/// The flush of one SQLite database's write-ahead log.
pub type WalBarrier = Barrier<Box<dyn Fn() -> WalFlush + Send + Sync>>;
type WalFlush = std::pin::Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>;

/// A barrier over the log beside `database` (`<file>-wal`).
pub fn wal_barrier(database: PathBuf) -> WalBarrier {
    let mut wal = database.into_os_string();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    Barrier::new(Box::new(move || -> WalFlush {
        let wal = wal.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || match std::fs::File::open(&wal) {
                // Opened afresh each time: a checkpoint may have reset the log.
                Ok(f) => f.sync_data(),
                // No log: the last connection checkpointed it into the database (and
                // flushed that) before removing it.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e),
            })
            .await
            .map_err(std::io::Error::other)?
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    /// A pretend disk: `written` counts writes made, `durable` how many of them a flush
    /// has covered; a flush takes a little time, as a real one does.
    #[derive(Default)]
    struct Disk {
        written: AtomicUsize,
        durable: AtomicUsize,
        flushes: AtomicUsize,
    }

    fn barrier(
        disk: Arc<Disk>,
    ) -> Barrier<impl Fn() -> std::pin::Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>>
    {
        Barrier::new(move || {
            let disk = disk.clone();
            Box::pin(async move {
                let covered = disk.written.load(Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                disk.durable.fetch_max(covered, Ordering::SeqCst);
                disk.flushes.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }) as std::pin::Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn every_write_is_durable_when_its_wait_returns_and_flushes_are_shared() {
        let disk = Arc::new(Disk::default());
        let barrier = Arc::new(barrier(disk.clone()));
        let mut tasks = Vec::new();
        for i in 0..200u64 {
            let (disk, barrier) = (disk.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_micros(i * 37 % 3000)).await;
                let mine = disk.written.fetch_add(1, Ordering::SeqCst) + 1;
                barrier.wait().await.unwrap();
                // Acknowledged: the write must be covered by a completed flush.
                assert!(disk.durable.load(Ordering::SeqCst) >= mine);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let flushes = disk.flushes.load(Ordering::SeqCst);
        assert!(
            flushes < 100,
            "200 concurrent writers took {flushes} flushes"
        );
    }

    #[tokio::test]
    async fn a_flush_begun_before_the_write_does_not_count() {
        let disk = Arc::new(Disk::default());
        let barrier = Arc::new(barrier(disk.clone()));
        // A flush is running (it saw no writes) when the write lands.
        let early = tokio::spawn({
            let barrier = barrier.clone();
            async move { barrier.wait().await }
        });
        tokio::time::sleep(std::time::Duration::from_micros(500)).await;
        disk.written.fetch_add(1, Ordering::SeqCst);
        barrier.wait().await.unwrap();
        assert_eq!(disk.durable.load(Ordering::SeqCst), 1);
        early.await.unwrap().unwrap();
        assert_eq!(disk.flushes.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_missing_log_needs_no_flush_and_a_present_one_is_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let barrier = wal_barrier(db.clone());
        barrier.wait().await.unwrap();
        std::fs::write(dir.path().join("x.db-wal"), b"frames").unwrap();
        barrier.wait().await.unwrap();
    }
}
