//! Scans of the signed paper: photos or a PDF of the berita acara and daftar hadir as
//! signed in the meeting, attached to the finalized record and sealed beside it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Actor;
use super::meetings::{Meeting, lock_open, only_finalized};
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
    /// Attaches a scan to a meeting, in one transaction. On a finalized meeting it is
    /// sealed at once beside the record; before that (a photo of the sheet signed in the
    /// hall) it waits, unsealed, and the finalization seals it after the record.
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
            // The meeting's row lock: a finalization running now is waited for, and then
            // this scan is sealed as an annex.
            let open = sqlx::query(
                "UPDATE meetings SET updated_at = $1 WHERE id = $2 AND status <> 'finalized'",
            )
            .bind(at)
            .bind(meeting.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !open {
                only_finalized!(tx, meeting.id);
            }
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
            if !open {
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
            }
            let after = serde_json::json!({ "scan": id, "label": label.code(), "content_type": content_type,
                "sha256": sha, "size": bytes.len(), "sealed": !open });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "scan", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Removes a scan attached before finalization (the wrong sheet, a blurred photo);
    /// once the meeting is finalized its scans are sealed and stay.
    pub async fn remove_scan(&self, meeting: &Meeting, scan: Uuid, by: &Actor) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let removed: Option<(String, String)> = sqlx::query_as(
                "DELETE FROM meeting_scans WHERE id = $1 AND meeting_id = $2 RETURNING label, sha256",
            )
            .bind(scan)
            .bind(meeting.id)
            .fetch_optional(&mut *tx)
            .await?;
            let (label, sha) = removed.ok_or(StoreError::NotFound)?;
            let before = serde_json::json!({ "scan": scan, "label": label, "sha256": sha });
            let entry = audit::entry!(actor: Some(by.id), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "scan_removed", before: Some(before), after: None);
            ((), entry)
        })
    }

    /// A meeting's scans, oldest first (before finalization: those waiting for its seal).
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
