//! Scans of the signed paper: photos or a PDF of the berita acara and daftar hadir as
//! signed in the meeting, attached to the finalized record and sealed beside it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Actor;
use super::meetings::{Meeting, only_finalized};
use super::seals::append_seal;
use super::{Result, StoreError, audit, change, new_id, now, read};
use crate::domain::meeting::ScanLabel;
use crate::domain::seal::{self, Kind as SealKind};

/// A scan as listed: everything but its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Scan {
    pub id: Uuid,
    pub label: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub uploaded_by_name: String,
    pub created_at: DateTime<Utc>,
}

impl Scan {
    /// The bytes its seal covers.
    pub fn sealed_bytes(&self, meeting: Uuid) -> Vec<u8> {
        seal::scan_bytes(
            meeting,
            self.id,
            &self.label,
            &self.content_type,
            &self.sha256,
            &self.uploaded_by_name,
            self.created_at,
        )
    }
}

impl super::Store {
    /// Attaches a scan to a finalized meeting and seals it, in one transaction; a meeting
    /// not (yet) finalized is refused (its record is corrected, not annexed).
    pub async fn add_scan(
        &self,
        meeting: &Meeting,
        label: ScanLabel,
        content_type: &str,
        bytes: &[u8],
        by: &Actor,
    ) -> Result<Uuid> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let id = new_id();
        let at = now();
        let sha = seal::sha256_hex(bytes);
        change!(self, |tx| {
            only_finalized!(tx, meeting.id);
            sqlx::query(
                "INSERT INTO meeting_scans (id, meeting_id, label, content_type, bytes, sha256, \
                 uploaded_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(meeting.id)
            .bind(label.code())
            .bind(content_type)
            .bind(bytes)
            .bind(&sha)
            .bind(actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let sealed = seal::scan_bytes(
                meeting.id,
                id,
                label.code(),
                content_type,
                &sha,
                actor_name,
                at,
            );
            append_seal!(tx, self, village: meeting.village_id, kind: SealKind::Scan, subject: id,
                parent: Some(meeting.id), content: &sealed, at: at);
            let after = serde_json::json!({ "scan": id, "label": label.code(), "content_type": content_type,
                "sha256": sha, "size": bytes.len() });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "scan", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// A finalized meeting's scans, oldest first.
    pub async fn scans(&self, meeting: Uuid) -> Result<Vec<Scan>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, label, content_type, sha256, CAST(LENGTH(bytes) AS BIGINT) AS size, uploaded_by_name, created_at \
                 FROM meeting_scans WHERE meeting_id = $1 ORDER BY created_at, id LIMIT 100",
            )
            .bind(meeting)
            .fetch_all(pool)
            .await
        })?)
    }

    /// One scan's type and bytes, and whether the bytes still hash to what was sealed.
    pub async fn scan_file(&self, meeting: Uuid, scan: Uuid) -> Result<(String, Vec<u8>, bool)> {
        let row: Option<(String, Vec<u8>, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT content_type, bytes, sha256 FROM meeting_scans WHERE meeting_id = $1 AND id = $2",
            )
            .bind(meeting)
            .bind(scan)
            .fetch_optional(pool)
            .await
        })?;
        let (content_type, bytes, sha) = row.ok_or(StoreError::NotFound)?;
        let intact = seal::sha256_hex(&bytes) == sha;
        Ok((content_type, bytes, intact))
    }
}
