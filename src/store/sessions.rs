//! Login sessions, stored in the database so that every app server sees them.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::{Store, now, read, write};

fn backend_error(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn to_chrono(t: time::OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_else(now)
}

impl Store {
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
        loop {
            let json = serde_json::to_string(&record).map_err(backend_error)?;
            let inserted = write!(self, |pool| {
                sqlx::query("INSERT INTO sessions (id, record, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(record.id.to_string())
                    .bind(json)
                    .bind(to_chrono(record.expiry_date))
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected())
            })
            .map_err(backend_error)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let json = serde_json::to_string(&record).map_err(backend_error)?;
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, record, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at",
            )
            .bind(record.id.to_string())
            .bind(json)
            .bind(to_chrono(record.expiry_date))
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(backend_error)?;
        Ok(())
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
