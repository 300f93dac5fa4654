//! The villages' seal chains (see `domain::seal`): appending an entry inside the
//! transaction that seals a record, reading entries back, and checking records, chains
//! and the whole installation.
//!
//! The keyring lives outside the database (a key file) and is handed to the store at
//! start; the database holds only entries, which anyone can read and nobody without the
//! key can forge.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{BeginWrite, Result, Store, StoreError, now, read, write};
use crate::domain::seal::{self, Entry, Keyring, Kind, Problem};

const ENTRY_COLUMNS: &str = "village_id, seq, kind, subject_id, parent_id, content_hash, \
                             prev_hash, entry_hash, key_id, signature, sealed_at";

#[derive(sqlx::FromRow)]
struct Row {
    village_id: Uuid,
    seq: i64,
    kind: String,
    subject_id: Uuid,
    parent_id: Option<Uuid>,
    content_hash: String,
    prev_hash: String,
    entry_hash: String,
    key_id: String,
    signature: String,
    sealed_at: DateTime<Utc>,
}

impl From<Row> for Entry {
    fn from(r: Row) -> Entry {
        Entry {
            village_id: r.village_id,
            seq: r.seq,
            kind: r.kind,
            subject_id: r.subject_id,
            parent_id: r.parent_id,
            content_hash: r.content_hash,
            prev_hash: r.prev_hash,
            entry_hash: r.entry_hash,
            key_id: r.key_id,
            signature: r.signature,
            sealed_at: r.sealed_at,
        }
    }
}

/// Appends a signed entry for `$content` to the village's chain inside `$tx`. The chain is
/// locked first (SQLite's write lock is already held; on PostgreSQL an advisory lock per
/// village), so two seals at the same moment take consecutive places.
macro_rules! append_seal {
    ($tx:expr, $store:expr, village: $village:expr, kind: $kind:expr, subject: $subject:expr,
     parent: $parent:expr, content: $content:expr, at: $at:expr $(,)?) => {{
        let keys = $store.keys()?;
        let village: uuid::Uuid = $village;
        if $store.backend_name() == "postgres" {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 13))")
                .bind(village.to_string())
                .execute(&mut *$tx)
                .await?;
        }
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, entry_hash FROM seals WHERE village_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(village)
        .fetch_optional(&mut *$tx)
        .await?;
        let (seq, prev) = last.map_or((1, $crate::domain::seal::GENESIS.to_string()), |(s, h)| (s + 1, h));
        let entry = keys.seal(village, seq, $kind, ($subject, $parent), $content, &prev, $at);
        sqlx::query(
            "INSERT INTO seals (village_id, seq, kind, subject_id, parent_id, content_hash, prev_hash, entry_hash, key_id, signature, sealed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(entry.village_id)
        .bind(entry.seq)
        .bind(&entry.kind)
        .bind(entry.subject_id)
        .bind(entry.parent_id)
        .bind(&entry.content_hash)
        .bind(&entry.prev_hash)
        .bind(&entry.entry_hash)
        .bind(&entry.key_id)
        .bind(&entry.signature)
        .bind(entry.sealed_at)
        .execute(&mut *$tx)
        .await?;
        entry
    }};
}
pub(crate) use append_seal;

/// A sealed record as the pages show it: its entry (when there is one) and what is wrong.
#[derive(Debug, Clone, Default)]
pub struct SealCheck {
    pub entry: Option<Entry>,
    pub problems: Vec<Problem>,
}

impl SealCheck {
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A record the installation holds as sealed: its kind, id, village and exact bytes.
struct Sealable {
    kind: Kind,
    id: Uuid,
    parent: Option<Uuid>,
    village: Uuid,
    at: DateTime<Utc>,
    content: Vec<u8>,
}

impl Store {
    /// The keyring, or a plain error when this store was opened without one.
    pub fn keys(&self) -> Result<Keyring> {
        self.keys
            .as_ref()
            .and_then(|k| k.read().ok().map(|k| k.clone()))
            .ok_or_else(|| {
                StoreError::Config("no signing key: records cannot be sealed or checked".into())
            })
    }

    /// This store, sealing and checking with `keys`.
    pub fn with_keys(self, keys: Keyring) -> Store {
        let mut parts = std::sync::Arc::unwrap_or_clone(self.0);
        parts.keys = Some(std::sync::Arc::new(std::sync::RwLock::new(keys)));
        Store(std::sync::Arc::new(parts))
    }

    /// Trusts `more` public keys from now on (those that sealed an imported village); the
    /// caller keeps them in the key file for the next start.
    pub fn trust(&self, more: &[seal::PublicKey]) -> Result<Keyring> {
        let lock = self.keys.as_ref().ok_or_else(|| {
            StoreError::Config("no signing key: records cannot be sealed or checked".into())
        })?;
        let mut keys = lock
            .write()
            .map_err(|_| StoreError::Config("keyring poisoned".into()))?;
        *keys = seal::trusting(&keys, more);
        Ok(keys.clone())
    }

    /// The entry that seals `subject`, if any.
    pub async fn seal_of(&self, kind: Kind, subject: Uuid) -> Result<Option<Entry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM seals WHERE kind = $1 AND subject_id = $2");
        let row: Option<Row> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(kind.code())
                .bind(subject)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(Entry::from))
    }

    async fn entry_at(&self, village: Uuid, seq: i64) -> Result<Option<Entry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM seals WHERE village_id = $1 AND seq = $2");
        let row: Option<Row> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(village)
                .bind(seq)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(Entry::from))
    }

    /// A village's chain in order (all villages with `None`).
    pub async fn chain(&self, village: Option<Uuid>) -> Result<Vec<Entry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM seals WHERE ($1 IS NULL OR village_id = $1) ORDER BY village_id, seq"
        );
        let rows: Vec<Row> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(village)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(Entry::from).collect())
    }

    /// Checks a sealed record as it is stored now: its entry, its bytes, and its links to
    /// the entries either side. What every page showing sealed content calls.
    pub async fn check_seal(&self, kind: Kind, subject: Uuid, content: &[u8]) -> Result<SealCheck> {
        let keys = self.keys()?;
        let entry = self.seal_of(kind, subject).await?;
        let (before, after) = match &entry {
            Some(e) => (
                self.entry_at(e.village_id, e.seq - 1).await?,
                self.entry_at(e.village_id, e.seq + 1).await?,
            ),
            None => (None, None),
        };
        // The signature is checked once per entry as stored: a changed row is a new key
        // here, so it is checked afresh.
        let known = match &entry {
            Some(e) => {
                let remembered = format!("{}:{}:{}", e.entry_hash, e.key_id, e.signature);
                match self.verified.get(&remembered).await {
                    Some(p) => p,
                    None => {
                        let p = keys.entry_problem(e);
                        self.verified.insert(remembered, p).await;
                        p
                    }
                }
            }
            None => None,
        };
        let problems = seal::check_record(
            |_| known,
            entry.as_ref(),
            content,
            before.as_ref(),
            after.as_ref(),
        );
        Ok(SealCheck { entry, problems })
    }

    /// Every record that should be sealed, with its exact bytes (all villages with `None`).
    async fn sealables(&self, village: Option<Uuid>) -> Result<Vec<Sealable>> {
        type Found = (Uuid, Uuid, Option<DateTime<Utc>>, Option<String>);
        let frozen: [(Kind, &'static str); 2] = [
            (
                Kind::Meeting,
                "SELECT id, village_id, finalized_at, record FROM meetings \
                 WHERE status = 'finalized' AND ($1 IS NULL OR village_id = $1)",
            ),
            (
                Kind::Plan,
                "SELECT id, village_id, adopted_at, record FROM plans \
                 WHERE status = 'adopted' AND ($1 IS NULL OR village_id = $1)",
            ),
        ];
        let mut out = Vec::new();
        for (kind, sql) in frozen {
            let rows: Vec<Found> = read!(self, |pool| {
                sqlx::query_as(sql).bind(village).fetch_all(pool).await
            })?;
            for (id, village, at, record) in rows {
                out.push(Sealable {
                    kind,
                    id,
                    parent: None,
                    village,
                    at: at.unwrap_or_else(now),
                    content: record.unwrap_or_default().into_bytes(),
                });
            }
        }
        type Addendum = (Uuid, Uuid, Uuid, String, String, DateTime<Utc>);
        let addenda: Vec<Addendum> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.id, m.village_id, a.meeting_id, a.body, a.author_name, a.created_at \
                 FROM meeting_addenda a JOIN meetings m ON m.id = a.meeting_id \
                 WHERE ($1 IS NULL OR m.village_id = $1)",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?;
        for (id, village, meeting, body, author, at) in addenda {
            out.push(Sealable {
                kind: Kind::Addendum,
                id,
                parent: Some(meeting),
                village,
                at,
                content: seal::addendum_bytes(meeting, id, &body, &author, at),
            });
        }
        // Scans: the file as stored now is hashed, so changed bytes are caught here.
        type ScanRow = (
            Uuid,
            Uuid,
            Uuid,
            String,
            String,
            Vec<u8>,
            String,
            DateTime<Utc>,
        );
        let scans: Vec<ScanRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT s.id, m.village_id, s.meeting_id, s.label, s.content_type, s.bytes, s.uploaded_by_name, \
                 s.created_at FROM meeting_scans s JOIN meetings m ON m.id = s.meeting_id \
                 WHERE m.status = 'finalized' AND ($1 IS NULL OR m.village_id = $1)",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?;
        for (id, village, meeting, label, content_type, bytes, by, at) in scans {
            let sha = seal::sha256_hex(&bytes);
            out.push(Sealable {
                kind: Kind::Scan,
                id,
                parent: Some(meeting),
                village,
                at,
                content: seal::scan_bytes(meeting, id, &label, &content_type, &sha, &by, at),
            });
        }
        // In the order they were sealed (a meeting before its addenda).
        out.sort_by_key(|s| (s.at, s.kind != Kind::Meeting, s.id));
        Ok(out)
    }

    /// Seals, in order, every sealed record that has no entry yet. Run once for the
    /// records that existed before seals did, and by `generate` for what it wrote; never
    /// on its own for a record that turned up unsealed later.
    pub async fn seal_unsealed(&self, village: Option<Uuid>) -> Result<usize> {
        let sealed: std::collections::HashSet<(String, Uuid)> = self
            .chain(village)
            .await?
            .into_iter()
            .map(|e| (e.kind, e.subject_id))
            .collect();
        let pending: Vec<Sealable> = self
            .sealables(village)
            .await?
            .into_iter()
            .filter(|s| !sealed.contains(&(s.kind.code().to_string(), s.id)))
            .collect();
        let count = pending.len();
        write!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for s in &pending {
                append_seal!(tx, self, village: s.village, kind: s.kind, subject: s.id,
                    parent: s.parent, content: &s.content, at: s.at);
            }
            let villages: std::collections::BTreeSet<Uuid> =
                pending.iter().map(|s| s.village).collect();
            for v in villages {
                super::revised!(&mut *tx, v)?;
            }
            tx.commit().await?;
            Ok(count)
        })
    }

    /// Seals the records that existed before seals did, once per installation (the first
    /// start with a key after the migration).
    pub async fn backfill_seals(&self) -> Result<()> {
        let done: i64 = read!(self, |pool| {
            sqlx::query_scalar("SELECT COALESCE(MAX(done), 1) FROM seal_backfill")
                .fetch_one(pool)
                .await
        })?;
        if done != 0 {
            return Ok(());
        }
        let n = self.seal_unsealed(None).await?;
        write!(self, |pool| {
            sqlx::query("UPDATE seal_backfill SET done = 1")
                .execute(pool)
                .await?;
            Ok::<(), StoreError>(())
        })?;
        if n > 0 {
            tracing::info!(records = n, "sealed the records made before seals existed");
        }
        Ok(())
    }

    /// Checks every signature, every chain and every sealed record of one village (all
    /// with `None`): each problem with what it concerns, none when everything holds.
    pub async fn verify_seals(
        &self,
        village: Option<Uuid>,
    ) -> Result<Vec<(Uuid, String, Problem)>> {
        let keys = self.keys()?;
        let entries = self.chain(village).await?;
        let mut problems = Vec::new();
        let mut chains: BTreeMap<Uuid, Vec<Entry>> = BTreeMap::new();
        for e in entries {
            chains.entry(e.village_id).or_default().push(e);
        }
        let mut by_subject: BTreeMap<(String, Uuid), Entry> = BTreeMap::new();
        for (v, chain) in &chains {
            for (seq, p) in seal::check_chain(&keys, chain) {
                problems.push((*v, format!("seq {seq}"), p));
            }
            for e in chain {
                by_subject.insert((e.kind.clone(), e.subject_id), e.clone());
            }
        }
        for s in self.sealables(village).await? {
            let what = format!("{} {}", s.kind.code(), s.id);
            match by_subject.remove(&(s.kind.code().to_string(), s.id)) {
                None => problems.push((s.village, what, Problem::Unsealed)),
                Some(e) if e.content_hash != seal::sha256_hex(&s.content) => {
                    problems.push((s.village, what, Problem::ContentChanged))
                }
                Some(_) => {}
            }
        }
        for ((kind, id), e) in by_subject {
            problems.push((e.village_id, format!("{kind} {id}"), Problem::RecordMissing));
        }
        Ok(problems)
    }
}

/// The seals of a finalized meeting and of its annexes (addenda and scans of the signed
/// paper), checked as stored now.
#[derive(Debug, Clone, Default)]
pub struct RecordSeals {
    pub record: SealCheck,
    pub addenda: Vec<(Uuid, SealCheck)>,
    /// Sealed annexes whose rows are gone.
    pub missing: usize,
}

impl RecordSeals {
    /// Every problem found, each once.
    pub fn problems(&self) -> Vec<Problem> {
        let mut all: Vec<Problem> = self.record.problems.clone();
        for (_, c) in &self.addenda {
            all.extend(c.problems.iter().copied());
        }
        if self.missing > 0 {
            all.push(Problem::RecordMissing);
        }
        let mut seen = Vec::new();
        all.retain(|p| {
            let new = !seen.contains(p);
            seen.push(*p);
            new
        });
        all
    }
    pub fn holds(&self) -> bool {
        self.problems().is_empty()
    }
    /// The key that sealed the record.
    pub fn key_id(&self) -> Option<&str> {
        self.record.entry.as_ref().map(|e| e.key_id.as_str())
    }
}

impl Store {
    /// Checks a finalized meeting's record and addenda against their seals; an addendum
    /// inserted without a seal, changed, or deleted from under its seal is caught.
    pub async fn check_meeting_seals(&self, meeting: Uuid) -> Result<RecordSeals> {
        let (text, _) = self.frozen_record(meeting).await?;
        let record = self
            .check_seal(Kind::Meeting, meeting, text.as_bytes())
            .await?;
        type Row = (Uuid, String, String, DateTime<Utc>);
        let rows: Vec<Row> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, body, author_name, created_at FROM meeting_addenda WHERE meeting_id = $1",
            )
            .bind(meeting)
            .fetch_all(pool)
            .await
        })?;
        let mut addenda = Vec::with_capacity(rows.len());
        for (id, body, author, at) in &rows {
            let bytes = seal::addendum_bytes(meeting, *id, body, author, *at);
            addenda.push((*id, self.check_seal(Kind::Addendum, *id, &bytes).await?));
        }
        // Scans are checked by what their seal covers (the file's hash as recorded); the
        // file itself is checked against that hash whenever it is served, and by `verify`.
        let scans = self.scans(meeting).await?;
        for scan in &scans {
            let bytes = scan.sealed_bytes(meeting);
            addenda.push((scan.id, self.check_seal(Kind::Scan, scan.id, &bytes).await?));
        }
        let sealed: Vec<Uuid> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT subject_id FROM seals WHERE kind IN ('addendum', 'scan') AND parent_id = $1",
            )
            .bind(meeting)
            .fetch_all(pool)
            .await
        })?;
        let missing = sealed
            .iter()
            .filter(|s| !rows.iter().any(|r| r.0 == **s) && !scans.iter().any(|c| c.id == **s))
            .count();
        Ok(RecordSeals {
            record,
            addenda,
            missing,
        })
    }
}

impl Store {
    /// An adopted plan's frozen record as stored now.
    pub async fn plan_record(&self, plan: Uuid) -> Result<String> {
        let record: Option<Option<String>> = read!(self, |pool| {
            sqlx::query_scalar("SELECT record FROM plans WHERE id = $1")
                .bind(plan)
                .fetch_optional(pool)
                .await
        })?;
        record.flatten().ok_or(StoreError::NotFound)
    }

    /// Checks an adopted plan as stored now against its seal.
    pub async fn plan_seal(&self, plan: Uuid) -> Result<SealCheck> {
        let record = self.plan_record(plan).await?;
        self.check_seal(Kind::Plan, plan, record.as_bytes()).await
    }
}

impl Store {
    /// When each key first sealed something here.
    pub async fn key_first_use(&self) -> Result<Vec<(String, DateTime<Utc>)>> {
        Ok(read!(self, |pool| {
            sqlx::query_as("SELECT key_id, MIN(sealed_at) FROM seals GROUP BY key_id")
                .fetch_all(pool)
                .await
        })?)
    }
}
