//! Login sessions, stored in the database so that every app server sees them.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{BeginWrite, Store, now, read, write};

fn backend_error(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn to_chrono(t: time::OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_else(now)
}

/// The key under which a session holds its logged-in user's id.
pub const USER_KEY: &str = "uid";
/// The key under which a session holds a short description of its browser.
pub const AGENT_KEY: &str = "agent";

/// The logged-in user a session record belongs to, if any.
fn owner(record: &Record) -> Option<Uuid> {
    record
        .data
        .get(USER_KEY)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// What stands for a session on pages and in forms: never the id itself (the id is the
/// secret that logs in), a digest of it.
pub fn handle(id: &str) -> String {
    let digest = Sha256::digest(id.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// id, record, created_at, expires_at.
type SessionRow = (String, String, Option<DateTime<Utc>>, DateTime<Utc>);

/// One of a person's live sessions.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub handle: String,
    pub created_at: Option<DateTime<Utc>>,
    /// When it ends if not used again (its last use plus the idle time).
    pub expires_at: DateTime<Utc>,
    pub agent: Option<String>,
}

impl Store {
    /// A person's live sessions, the most recently used first.
    pub async fn sessions_of(&self, user: Uuid) -> super::Result<Vec<SessionInfo>> {
        let rows: Vec<SessionRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, record, created_at, expires_at FROM sessions \
                 WHERE user_id = $1 AND expires_at > $2 ORDER BY expires_at DESC LIMIT 100",
            )
            .bind(user)
            .bind(now())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, record, created_at, expires_at)| {
                let agent = serde_json::from_str::<Record>(&record).ok().and_then(|r| {
                    r.data
                        .get(AGENT_KEY)
                        .and_then(|v| v.as_str().map(str::to_string))
                });
                SessionInfo {
                    handle: handle(&id),
                    created_at,
                    expires_at,
                    agent,
                }
            })
            .collect())
    }

    /// Ends the person's sessions whose handles are in `ends`, or, with `ends` empty,
    /// every session of theirs but `keep` (a handle). Returns how many ended.
    pub async fn end_sessions(
        &self,
        user: Uuid,
        ends: &[String],
        keep: &str,
    ) -> super::Result<u64> {
        write!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions WHERE user_id = $1")
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
            let mut ended = 0;
            for id in ids {
                let h = handle(&id);
                let chosen = if ends.is_empty() {
                    h != keep
                } else {
                    ends.contains(&h)
                };
                if chosen {
                    ended += sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
                        .bind(&id)
                        .bind(user)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(ended)
        })
        .map_err(Into::into)
    }

    /// Writes a session record with its owner; `on_conflict` says what becomes of a
    /// record already stored under the same id. Returns the rows written.
    async fn put_session(
        &self,
        record: &Record,
        on_conflict: &'static str,
    ) -> session_store::Result<u64> {
        let json = serde_json::to_string(&record).map_err(backend_error)?;
        let sql = format!(
            "INSERT INTO sessions (id, record, expires_at, user_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) {on_conflict}"
        );
        write!(self, |pool| {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(record.id.to_string())
                .bind(json.clone())
                .bind(to_chrono(record.expiry_date))
                .bind(owner(record))
                .bind(now())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(backend_error)
    }

    /// How many sessions are stored (live or not yet swept).
    pub async fn session_count(&self) -> super::Result<i64> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
                .fetch_one(pool)
                .await
        })?)
    }

    /// Removes expired sessions; called now and then by the server.
    pub async fn delete_expired_sessions(&self) -> super::Result<u64> {
        Ok(write!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?)
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; on the rare collision, draw another.
        while self.put_session(record, "ON CONFLICT DO NOTHING").await? != 1 {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.put_session(
            record,
            "ON CONFLICT (id) DO UPDATE SET record = excluded.record, \
             expires_at = excluded.expires_at, user_id = excluded.user_id",
        )
        .await
        .map(|_| ())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let json: Option<String> = read!(self, |pool| {
            sqlx::query_scalar("SELECT record FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now())
                .fetch_optional(pool)
                .await
        })
        .map_err(backend_error)?;
        // A record that no longer parses (an older format) is treated as no session.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        write!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE id = $1"
        )
        .bind(id.to_string())
        .execute(pool)
        .await
        .map(|_| ()))
        .map_err(backend_error)?;
        Ok(())
    }
}
