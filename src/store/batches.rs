//! Writes made together: the same small write from many requests at once, in one
//! transaction with one statement per table.
//!
//! On SQLite every statement is a hand-over to the connection's thread and back, and one
//! connection writes; a burst of submissions would each wait for the others' hand-overs.
//! So a write that arrives while others of its kind are being written waits in a queue,
//! and the next transaction writes everything waiting (up to [`Batch::MOST`]). A write
//! alone is written at once, as a batch of one: there is one path, whatever the load.
//!
//! Each request still gets its own answer, after the commit that holds its write. Should a
//! batch fail as a whole, each of its writes is made again alone, so one request's error
//! never becomes another's. The batches are written by a task of their own, not by one of
//! the waiting requests: a request whose client goes away leaves the others' work alone.

use std::future::Future;
use std::sync::Mutex;

use tokio::sync::oneshot;

use super::{Result, Store, StoreError};

/// A kind of write made together.
pub(crate) trait Batch: Sized + Send + Sync + 'static {
    type Answer: Send + 'static;
    /// The most writes one transaction makes.
    const MOST: usize;
    /// The queue of this kind in `store`.
    fn queue(store: &Store) -> &Batches<Self>;
    /// One transaction for all of `jobs`: each one's answer, in order, or the error that
    /// undid them all.
    fn write(
        store: &Store,
        jobs: &[Self],
    ) -> impl Future<Output = Result<Vec<Result<Self::Answer>>>> + Send;
}

/// The writes of one kind waiting, and whether a task is writing them.
pub(crate) struct Batches<J: Batch> {
    queue: Mutex<Queue<J>>,
}

impl<J: Batch> Default for Batches<J> {
    fn default() -> Self {
        Batches {
            queue: Mutex::new(Queue {
                waiting: Vec::new(),
                writing: false,
            }),
        }
    }
}

impl<J: Batch> std::fmt::Debug for Batches<J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches").finish_non_exhaustive()
    }
}

struct Queue<J: Batch> {
    waiting: Vec<(J, oneshot::Sender<Result<J::Answer>>)>,
    writing: bool,
}

type Waiting<J> = Vec<(J, oneshot::Sender<Result<<J as Batch>::Answer>>)>;

impl<J: Batch> Batches<J> {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue<J>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `job`; true when no task is writing, so the caller must start one.
    fn push(&self, job: J, answer: oneshot::Sender<Result<J::Answer>>) -> bool {
        let mut queue = self.queue();
        queue.waiting.push((job, answer));
        !std::mem::replace(&mut queue.writing, true)
    }

    /// The next batch, in order of arrival; `None` (and no task writing any more) when
    /// nothing waits.
    fn next(&self) -> Option<Waiting<J>> {
        let mut queue = self.queue();
        if queue.waiting.is_empty() {
            queue.writing = false;
            return None;
        }
        let n = queue.waiting.len().min(J::MOST);
        Some(queue.waiting.drain(..n).collect())
    }
}

/// Makes `job` with the writes of its kind waiting meanwhile; answers once it is
/// committed (or refused).
pub(crate) async fn together<J: Batch>(store: &Store, job: J) -> Result<J::Answer> {
    let (answer, answered) = oneshot::channel();
    if J::queue(store).push(job, answer) {
        let store = store.clone();
        tokio::spawn(async move { write_waiting::<J>(store).await });
    }
    answered.await.map_err(|_| StoreError::Unanswered)?
}

/// Whether a batch's statement of `rows` rows is kept prepared on its connection. Its text
/// differs with the batch's size, so only the one-row shape is: kept at every size, up to
/// 64 shapes a table would cycle through the connection's statement cache (100 statements)
/// and push every other write's statement out of it. Writing a batch in a few pieces of
/// fixed sizes instead was measured slower than preparing its statements anew.
pub(crate) fn keep_prepared(rows: usize) -> bool {
    rows == 1
}

/// Lets a later write start a new task should this one panic.
struct Writing<'a, J: Batch>(&'a Batches<J>);

impl<J: Batch> Drop for Writing<'_, J> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.queue().writing = false;
        }
    }
}

/// Writes what waits, a batch at a time, until nothing does.
async fn write_waiting<J: Batch>(store: Store) {
    let batches = J::queue(&store);
    let _writing = Writing(batches);
    while let Some(waiting) = batches.next() {
        let (jobs, answers): (Vec<J>, Vec<_>) = waiting.into_iter().unzip();
        let results = match J::write(&store, &jobs).await {
            Ok(results) => results,
            Err(_) if jobs.len() > 1 => {
                let mut results = Vec::with_capacity(jobs.len());
                for job in &jobs {
                    results.push(match J::write(&store, std::slice::from_ref(job)).await {
                        Ok(mut one) => one.pop().unwrap_or(Err(StoreError::NotFound)),
                        Err(e) => Err(e),
                    });
                }
                results
            }
            Err(e) => vec![Err(e)],
        };
        for (answer, result) in answers.into_iter().zip(results) {
            // A request that went away no longer listens; its write stands.
            let _ = answer.send(result);
        }
    }
}
