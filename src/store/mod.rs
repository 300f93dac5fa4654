//! The only place with SQL: one `Store`, two backends (SQLite embedded, PostgreSQL for many villages).
//!
//! Most statements are written once and run on both backends: both accept `$1`
//! placeholders, `RETURNING` and `ON CONFLICT`, and sqlx encodes UUIDs, times and
//! integers for each. Only what truly differs (connection setup, migrations, backups,
//! full-text search) is written per backend.

pub mod accounts;
pub mod audit;
mod batches;
pub mod bulk;
pub mod cadres;
pub mod dana_desa;
pub mod du_rkp;
pub mod durable;
pub mod feedback;
pub mod follow_ups;
pub mod groups;
pub mod implementation;
mod intake;
pub mod ladder;
pub mod mapping;
pub mod meetings;
pub mod metrics;
pub mod needs;
pub mod network;
pub mod planning_dates;
pub mod plans;
pub mod portable;
pub mod programmes;
pub mod proposals;
pub mod ratings;
pub mod reach;
pub mod residents;
pub mod rpjm;
pub mod scans;
pub mod seals;
pub mod sessions;
pub mod standing;
pub mod submissions;
pub mod surveys;
pub mod throttle;
pub mod tim;
pub mod villages;
pub mod worklist;

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// What went wrong below the domain, in terms the web layer can answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique rule was broken; the value names the field (`slug`, `email`, …).
    #[error("already exists: {0}")]
    Duplicate(&'static str),
    /// The row changed since the form was loaded.
    #[error("changed by someone else")]
    Stale,
    /// The meeting is finalized: its record never changes again.
    #[error("meeting is finalized")]
    Finalized,
    /// A step asked out of its turn, as the meeting stands now; the message key says why.
    #[error("out of turn: {0}")]
    OutOfTurn(&'static str),
    /// The domain's rules refused the change as it stands in the database now.
    #[error("invalid: {0:?}")]
    Invalid(crate::domain::FieldErrors),
    /// The request's one-time key was taken by an earlier request with it: the work is
    /// done already, and nothing was written again.
    #[error("submitted already")]
    Repeated,
    /// A write made together with others (see [`batches`]) got no answer: the task
    /// writing it ended before answering. Whether it was stored is not known.
    #[error("the write's answer was lost")]
    Unanswered,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Config(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
enum Backend {
    /// One writer connection beside a pool of readers: writes queue in the application
    /// instead of failing with "database is locked", reads never wait for writes (WAL).
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
        /// Where a request that wrote waits until its commits are on disk.
        durable: std::sync::Arc<durable::WalBarrier>,
    },
    Postgres(PgPool),
}

/// The storage the application holds; cheap to clone (one reference count: every
/// middleware layer and handler of a request takes a copy).
#[derive(Clone, Debug)]
pub struct Store(std::sync::Arc<Parts>);

impl std::ops::Deref for Store {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.0
    }
}

/// What a [`Store`] holds.
#[derive(Clone, Debug)]
pub struct Parts {
    backend: Backend,
    /// The installation's signing keys (from outside the database), for sealing.
    keys: Option<std::sync::Arc<std::sync::RwLock<crate::domain::seal::Keyring>>>,
    /// Signature checks already made, by entry as stored (see `seals::check_seal`).
    verified: moka::future::Cache<String, Option<crate::domain::seal::Problem>>,
    /// The proposals each frozen plan places in the RKP Desa, by plan and content hash:
    /// a frozen record never changes, and reading one (a megabyte for a big village) on
    /// every proposal page cost more than the rest of the page.
    rkp_placed: ladder::PlacedCache,
    /// Proposal submissions waiting to be written together (see [`intake`]).
    intake: std::sync::Arc<batches::Batches<intake::Job>>,
    /// Where keyed requests were sent, waiting to be remembered together.
    completions: std::sync::Arc<batches::Batches<submissions::Completion>>,
}

/// Who does a write, as the timeline and the audit log name them: the person's account
/// and the name they go by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: uuid::Uuid,
    pub name: String,
}

impl Actor {
    pub fn new(id: uuid::Uuid, name: &str) -> Actor {
        Actor {
            id,
            name: name.to_string(),
        }
    }
}

/// Runs `$body` with `$pool` bound to a pool for reading, on whichever backend is in use.
/// The body is compiled once per backend, so the same SQL serves both.
macro_rules! read {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite { reader: $pool, .. } => $body,
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}

/// Like [`read!`], with the pool that may write (on SQLite, the single writer).
macro_rules! write {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite { writer: $pool, .. } => $body,
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}

pub(crate) use {read, write};

/// One change to the records, whole or not at all: a write transaction bound to `$tx`
/// first claims the request's one-time key (see [`submissions`]; a key already taken ends
/// the change with [`StoreError::Repeated`]), then runs `$body`, which ends with
/// `(value, entry)`: the [`audit::Entry`] is appended to the audit log (`None` when the
/// body found nothing to change) and the transaction committed, and the change answers
/// `Ok(value)`. A `?`
/// or `return Err(…)` in the body (a stale version, a closed record, a refused rule) ends
/// it with nothing written: the transaction is dropped, not committed.
macro_rules! change {
    ($store:expr, |$tx:ident| $body:expr) => {
        $crate::store::write!($store, |pool| {
            let mut $tx = $crate::store::BeginWrite::begin_write(pool).await?;
            let key = $crate::store::submissions::unclaimed();
            if let Some(digest) = &key {
                $crate::store::submissions::claim!(&mut *$tx, digest);
            }
            let (value, entry) = $body;
            let entry: Option<$crate::store::audit::Entry> = entry.into();
            if let Some(entry) = entry {
                $crate::store::audit::record!(&mut *$tx, entry)?;
            }
            $tx.commit().await?;
            if key.is_some() {
                $crate::store::submissions::claimed();
            }
            Ok::<_, $crate::store::StoreError>(value)
        })
    };
}
pub(crate) use change;

/// Counts up a village's revision inside `$tx`, for a write that records no audit entry
/// (whose insert counts it; see the migration `0050_village_revision`).
macro_rules! revised {
    ($tx:expr, $village:expr) => {{
        let village: uuid::Uuid = $village;
        sqlx::query("UPDATE villages SET revision = revision + 1 WHERE id = $1")
            .bind(village)
            .execute($tx)
            .await
    }};
}
pub(crate) use revised;

/// The timeline's columns, in the order [`timeline!`] and [`timeline_all!`] bind them.
macro_rules! timeline_columns {
    () => {
        "id, proposal_id, at, actor_id, actor_name, kind, from_value, to_value, note, meeting_id"
    };
}
pub(crate) use timeline_columns;

/// A line of a proposal's timeline, for [`timeline_all!`]; [`timeline!`]'s arguments, owned.
pub(crate) struct Line {
    pub proposal: uuid::Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: Option<uuid::Uuid>,
    pub name: String,
    pub kind: crate::domain::proposal::EventKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
    pub meeting: Option<uuid::Uuid>,
}

/// Appends [`Line`]s to proposals' timelines inside the caller's transaction with one
/// statement, as [`timeline!`] appends one: for writes done together (see [`batches`]).
/// Give it at most a few hundred lines (ten values each).
macro_rules! timeline_all {
    ($tx:expr, $lines:expr) => {{
        let lines: Vec<$crate::store::Line> = $lines;
        let mut q = sqlx::QueryBuilder::new(concat!(
            "INSERT INTO proposal_events (",
            $crate::store::timeline_columns!(),
            ") "
        ));
        let keep = $crate::store::batches::keep_prepared(lines.len());
        q.push_values(lines, |mut row, l| {
            row.push_bind($crate::store::new_id())
                .push_bind(l.proposal)
                .push_bind(l.at)
                .push_bind(l.actor)
                .push_bind(l.name)
                .push_bind(l.kind.code())
                .push_bind(l.from)
                .push_bind(l.to)
                .push_bind(l.note)
                .push_bind(l.meeting);
        });
        q.build().persistent(keep).execute($tx).await
    }};
}
pub(crate) use timeline_all;

/// Appends one line to a proposal's public timeline inside the caller's transaction.
/// With `meeting:`, the line is about that meeting and links to it.
macro_rules! timeline {
    ($tx:expr, proposal: $proposal:expr, at: $at:expr, actor: $actor:expr, name: $name:expr, kind: $kind:expr,
     from: $from:expr, to: $to:expr, note: $note:expr $(,)?) => {
        $crate::store::timeline!($tx, proposal: $proposal, at: $at, actor: $actor, name: $name, kind: $kind,
            from: $from, to: $to, note: $note, meeting: None)
    };
    ($tx:expr, proposal: $proposal:expr, at: $at:expr, actor: $actor:expr, name: $name:expr, kind: $kind:expr,
     from: $from:expr, to: $to:expr, note: $note:expr, meeting: $meeting:expr $(,)?) => {{
        let meeting: Option<uuid::Uuid> = $meeting;
        let actor: Option<uuid::Uuid> = $actor;
        let name: &str = $name;
        let kind: $crate::domain::proposal::EventKind = $kind;
        let from: Option<&str> = $from;
        let to: Option<&str> = $to;
        let note: Option<&str> = $note;
        sqlx::query(concat!(
            "INSERT INTO proposal_events (",
            $crate::store::timeline_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind($crate::store::new_id())
        .bind($proposal)
        .bind($at)
        .bind(actor)
        .bind(name)
        .bind(kind.code())
        .bind(from)
        .bind(to)
        .bind(note)
        .bind(meeting)
        .execute($tx)
        .await
    }};
}
pub(crate) use timeline;

/// The versioned update's check. Every change to a record someone edits in a form ends
/// its `UPDATE` with `AND version = $n` (the version the person saw) and bumps the
/// version; `.or_stale()?` on the result ends the transaction with [`StoreError::Stale`]
/// when no row changed, because someone else changed it first. Nothing is written then:
/// the transaction is dropped, not committed.
pub(crate) trait OrStale {
    fn or_stale(self) -> Result<()>;
}

impl OrStale for sqlx::sqlite::SqliteQueryResult {
    fn or_stale(self) -> Result<()> {
        stale_unless(self.rows_affected())
    }
}

impl OrStale for sqlx::postgres::PgQueryResult {
    fn or_stale(self) -> Result<()> {
        stale_unless(self.rows_affected())
    }
}

fn stale_unless(changed: u64) -> Result<()> {
    if changed == 0 {
        Err(StoreError::Stale)
    } else {
        Ok(())
    }
}

/// Starts a write transaction. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): a transaction that read first and then tried to write would fail
/// at once with "database is locked" when another process writes, whatever the busy
/// timeout; taking the lock at the start makes it wait its turn instead.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send
    {
        self.begin()
    }
}

/// The tables that hold the villages' records (not the sessions, login throttles and
/// submission keys that only serve the running site).
pub const RECORD_TABLES: &[&str] = &[
    "villages",
    "hamlets",
    "users",
    "memberships",
    "audit_log",
    "stakeholder_groups",
    "proposal_counters",
    "proposals",
    "proposal_events",
    "feedback",
    "feedback_answers",
    "proposal_updates",
    "proposal_photos",
    "proposal_ratings",
    "meetings",
    "meeting_invitations",
    "meeting_attendance",
    "meeting_agenda",
    "meeting_addenda",
    "meeting_agenda_removals",
    "proposal_partnerships",
    "proposal_alternatives",
    "group_relations",
    "group_history",
    "group_villages",
    "plans",
    "plan_criteria",
    "plan_ceilings",
    "plan_items",
    "plan_scores",
    "seals",
    "needs",
    "proposal_needs",
    "need_measures",
    "follow_ups",
    "cadres",
    "proposal_drivers",
    "channel_reach",
    "channel_reach_hamlets",
    "channel_reach_groups",
    "meeting_ratings",
    "surveys",
    "survey_questions",
    "survey_responses",
    "survey_answers",
];

/// SQLite keeps statistics of its memory by default, counting every allocation under one
/// mutex for the whole process: the reader connections, each on a thread of its own,
/// took it in turn for every row (a sixth of their time went to locking under the
/// harness's logged-in pages). Nothing reads those statistics. They can only be turned
/// off before SQLite starts, so this runs before the first connection opens; later it
/// changes nothing (SQLite refuses the call, and the statistics stay on).
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. No connection is open yet (this
        // runs once, before the first); if SQLite had started, it answers SQLITE_MISUSE
        // and changes nothing.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}

/// Remembered signature checks: a few megabytes at most.
fn verified_cache() -> moka::future::Cache<String, Option<crate::domain::seal::Problem>> {
    moka::future::Cache::new(50_000)
}

/// The embedded default when no URL is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://musdes.db";

impl Store {
    /// How many rows each of [`RECORD_TABLES`] holds: what a check compares before and
    /// after something that must not have written (a refused request, a backup).
    pub async fn row_counts(&self) -> Result<std::collections::BTreeMap<&'static str, i64>> {
        // One round trip; the names are this module's constants, never input.
        let sql = RECORD_TABLES
            .iter()
            .map(|t| format!("SELECT '{t}' AS name, COUNT(*) AS n FROM {t}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<(String, i64)> = write!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await
        })?;
        Ok(RECORD_TABLES
            .iter()
            .filter_map(|t| {
                rows.iter()
                    .find(|(name, _)| name == t)
                    .map(|(_, n)| (*t, *n))
            })
            .collect())
    }

    /// Opens the database named by `url` (`sqlite://…` or `postgres://…`); an SQLite
    /// file is created when missing. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            sqlite_without_memory_statistics();
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid SQLite URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // NORMAL: a commit returns once in the log, not yet on disk; what a 303
                // acknowledges is flushed first by `Store::sync` (group commit, see
                // `durable`), one flush shared by every request waiting at the time.
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory");
            let file = options.get_filename().to_path_buf();
            // No ping before each use: the database lives in this process and cannot hang
            // up, and every ping is one more trip to the connection's thread.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options.clone())
                .await?;
            let readers = std::thread::available_parallelism()
                .map_or(4, |n| n.get() as u32 * 2)
                .max(4);
            let reader = SqlitePoolOptions::new()
                .max_connections(readers)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options.read_only(true))
                .await?;
            let durable = std::sync::Arc::new(durable::wal_barrier(file));
            Ok(Store(std::sync::Arc::new(Parts {
                backend: Backend::Sqlite {
                    writer,
                    reader,
                    durable,
                },
                keys: None,
                verified: verified_cache(),
                rkp_placed: ladder::placed_cache(),
                intake: std::sync::Arc::default(),
                completions: std::sync::Arc::default(),
            })))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
            let max = std::env::var("MUSDES_DB_POOL")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10);
            let pool = PgPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Store(std::sync::Arc::new(Parts {
                backend: Backend::Postgres(pool),
                keys: None,
                verified: verified_cache(),
                rkp_placed: ladder::placed_cache(),
                intake: std::sync::Arc::default(),
                completions: std::sync::Arc::default(),
            })))
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL {url:?}: use sqlite://FILE or postgres://…"
            )))
        }
    }

    /// Applies pending migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite { writer, .. } => {
                sqlx::migrate!("migrations/sqlite").run(writer).await?
            }
            Backend::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Returns once everything this process committed before the call is on disk: what a
    /// request that wrote waits for before it is answered. On SQLite, one flush of the
    /// write-ahead log shared by all who wait at the time (group commit); PostgreSQL's
    /// commits are on disk when they return.
    pub async fn sync(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite { durable, .. } => durable
                .wait()
                .await
                .map_err(|e| StoreError::Config(format!("cannot flush the database log: {e}"))),
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// True when the database answers a trivial query.
    pub async fn healthy(&self) -> bool {
        read!(self, |pool| sqlx::query_scalar::<_, i32>("SELECT 1")
            .fetch_one(pool)
            .await)
        .is_ok()
    }

    /// Folds SQLite's write-ahead log into the database file and empties it: after a bulk
    /// load, so that the next start does not read gigabytes of log. Nothing to do on
    /// PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Backend::Sqlite { writer, .. } = &self.backend {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(writer)
                .await?;
        }
        Ok(())
    }

    /// A consistent copy of the whole database while it is in use (SQLite: `VACUUM INTO`).
    pub async fn backup(&self, out: &std::path::Path) -> Result<()> {
        match &self.backend {
            Backend::Sqlite { reader, .. } => {
                let path = out
                    .to_str()
                    .ok_or_else(|| StoreError::Config("backup path is not UTF-8".into()))?;
                if out.exists() {
                    return Err(StoreError::Config(format!("{path} already exists")));
                }
                sqlx::query("VACUUM INTO $1")
                    .bind(path)
                    .execute(reader)
                    .await?;
                Ok(())
            }
            Backend::Postgres(_) => Err(StoreError::Config(
                "backup of PostgreSQL is done with pg_dump; this command copies SQLite databases"
                    .into(),
            )),
        }
    }

    /// SQLite's own check of the whole file (`PRAGMA integrity_check`: "ok" when sound);
    /// `None` on PostgreSQL, which checks its pages itself.
    pub async fn integrity_check(&self) -> Result<Option<String>> {
        match &self.backend {
            Backend::Sqlite { writer, .. } => {
                let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(writer)
                    .await?;
                Ok(Some(lines.join("\n")))
            }
            Backend::Postgres(_) => Ok(None),
        }
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { writer, reader, .. } => {
                reader.close().await;
                writer.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

/// The current instant, truncated to microseconds so that what is stored and what is
/// read back compare equal on both backends.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}

/// A new time-ordered id.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Turns a unique-constraint violation on `column` into [`StoreError::Duplicate`].
pub(crate) fn duplicate_on(err: sqlx::Error, columns: &[&'static str]) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // PostgreSQL names the constraint (`villages_slug_key`); SQLite names the
        // column in its message (`UNIQUE constraint failed: villages.slug`).
        let haystack = format!("{} {}", db.constraint().unwrap_or_default(), db.message());
        for column in columns {
            if haystack.contains(&format!("_{column}_")) || haystack.contains(&format!(".{column}"))
            {
                return StoreError::Duplicate(column);
            }
        }
        return StoreError::Duplicate("");
    }
    StoreError::Db(err)
}
