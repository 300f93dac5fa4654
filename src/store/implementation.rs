//! Progress reports with photos, and residents' ratings of a finished proposal.

use crate::domain::proposal::EventKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Actor;
use super::{Result, StoreError, audit, change, new_id, now, read, timeline};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Update {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub author_name: String,
    pub progress: i64,
    pub note: String,
    /// A resident's observation, not the village's own report.
    pub by_resident: bool,
    /// `pending` (a resident's, waiting for the staff), `published` or `hidden`.
    pub status: String,
    #[sqlx(skip)]
    pub photos: Vec<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Rating {
    pub author_name: String,
    pub rating: i64,
    pub reflection: String,
    pub at: DateTime<Utc>,
}

impl super::Store {
    /// One progress report with its photos (`(content type, bytes)`), in one transaction.
    /// A resident's observation waits unpublished (`by_resident`): no timeline line until
    /// the staff publish it.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_progress(
        &self,
        village: Uuid,
        proposal: Uuid,
        by: &Actor,
        progress: i64,
        note: &str,
        photos: &[(&'static str, Vec<u8>)],
        by_resident: bool,
    ) -> Result<()> {
        let (author, author_name) = (by.id, by.name.as_str());
        let id = new_id();
        let at = now();
        let status = if by_resident { "pending" } else { "published" };
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO proposal_updates (id, proposal_id, at, author_id, author_name, progress, note, \
                 by_resident, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(proposal)
            .bind(at)
            .bind(author)
            .bind(author_name)
            .bind(progress)
            .bind(note)
            .bind(by_resident)
            .bind(status)
            .execute(&mut *tx)
            .await?;
            for (content_type, bytes) in photos {
                sqlx::query("INSERT INTO proposal_photos (id, update_id, content_type, bytes) VALUES ($1, $2, $3, $4)")
                    .bind(new_id())
                    .bind(id)
                    .bind(*content_type)
                    .bind(bytes.as_slice())
                    .execute(&mut *tx)
                    .await?;
            }
            if !by_resident {
                timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(author), name: author_name, kind: EventKind::Progress,
                    from: None, to: Some(&format!("{progress}%")), note: Some(note))?;
            }
            let after = serde_json::json!({
                "progress": progress, "note": note, "photos": photos.len(), "by_resident": by_resident,
            });
            let entry = audit::entry!(actor: Some(author), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "progress", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Progress reports, newest first, each with the ids of its photos.
    pub async fn progress_updates(&self, proposal: Uuid) -> Result<Vec<Update>> {
        let (mut updates, photos): (Vec<Update>, Vec<(Uuid, Uuid)>) = read!(self, |pool| {
            let updates = sqlx::query_as(
                "SELECT id, at, author_name, progress, note, by_resident, status FROM proposal_updates \
                 WHERE proposal_id = $1 ORDER BY at DESC, id DESC LIMIT 200",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            let photos = sqlx::query_as(
                "SELECT f.update_id, f.id FROM proposal_photos f JOIN proposal_updates u ON u.id = f.update_id \
                 WHERE u.proposal_id = $1 ORDER BY f.id",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((updates, photos))
        })?;
        for (update, photo) in photos {
            if let Some(u) = updates.iter_mut().find(|u| u.id == update) {
                u.photos.push(photo);
            }
        }
        Ok(updates)
    }

    /// A photo of this proposal: content type and bytes. One of an observation not (yet)
    /// published is found only for the staff (`staff`).
    pub async fn photo(
        &self,
        proposal: Uuid,
        photo: Uuid,
        staff: bool,
    ) -> Result<(String, Vec<u8>)> {
        let row: Option<(String, Vec<u8>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.content_type, f.bytes FROM proposal_photos f JOIN proposal_updates u ON u.id = f.update_id \
                 WHERE f.id = $1 AND u.proposal_id = $2 AND (u.status = 'published' OR $3)",
            )
            .bind(photo)
            .bind(proposal)
            .bind(staff)
            .fetch_optional(pool)
            .await
        })?;
        row.ok_or(StoreError::NotFound)
    }

    /// Publishes a resident's waiting observation (on the timeline, under the resident's
    /// name) or hides it with the reason. One already decided is stale.
    pub async fn moderate_observation(
        &self,
        village: Uuid,
        proposal: Uuid,
        update: Uuid,
        hidden_reason: Option<&str>,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        let status = if hidden_reason.is_some() {
            "hidden"
        } else {
            "published"
        };
        change!(self, |tx| {
            let row: Option<(String, i64, String)> = sqlx::query_as(
                "SELECT author_name, progress, note FROM proposal_updates \
                 WHERE id = $1 AND proposal_id = $2 AND by_resident AND status = 'pending'",
            )
            .bind(update)
            .bind(proposal)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((author_name, progress, note)) = row else {
                return Err(StoreError::Stale);
            };
            sqlx::query(
                "UPDATE proposal_updates SET status = $1, moderated_by_name = $2, moderated_at = $3, \
                 hidden_reason = $4 WHERE id = $5",
            )
            .bind(status)
            .bind(actor_name)
            .bind(at)
            .bind(hidden_reason)
            .bind(update)
            .execute(&mut *tx)
            .await?;
            if hidden_reason.is_none() {
                let said = format!("Pengamatan warga: {note}");
                timeline!(&mut *tx, proposal: proposal, at: at, actor: None, name: author_name.as_str(),
                    kind: EventKind::Progress, from: None, to: Some(&format!("{progress}%")), note: Some(said.as_str()))?;
            }
            let after =
                serde_json::json!({ "update": update, "status": status, "reason": hidden_reason });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "observation", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// A resident's rating (one per person; a second one replaces the first). The first
    /// rating of a completed proposal moves it to `evaluated`.
    pub async fn rate(
        &self,
        village: Uuid,
        proposal: Uuid,
        by: &Actor,
        rating: i64,
        reflection: &str,
    ) -> Result<()> {
        let (author, author_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO proposal_ratings (proposal_id, author_id, author_name, rating, reflection, at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (proposal_id, author_id) DO UPDATE SET \
                 rating = excluded.rating, reflection = excluded.reflection, at = excluded.at",
            )
            .bind(proposal)
            .bind(author)
            .bind(author_name)
            .bind(rating)
            .bind(reflection)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let moved = sqlx::query(
                "UPDATE proposals SET status = 'evaluated', version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND status = 'completed'",
            )
            .bind(at)
            .bind(proposal)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 1 {
                timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(author), name: author_name,
                    kind: EventKind::StatusChanged, from: Some("completed"), to: Some("evaluated"), note: None)?;
            }
            let after = serde_json::json!({ "rating": rating, "reflection": reflection });
            let entry = audit::entry!(actor: Some(author), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "rate", before: None, after: Some(after));
            ((), entry)
        })
    }

    pub async fn ratings(&self, proposal: Uuid) -> Result<Vec<Rating>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT author_name, rating, reflection, at FROM proposal_ratings WHERE proposal_id = $1 \
                 ORDER BY at DESC LIMIT 500",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?)
    }
}

/// Where one proposal stands in its implementation: status, latest report, ratings.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Standing {
    pub proposal_id: Uuid,
    pub status: String,
    pub progress: Option<i64>,
    pub note: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub ratings: i64,
    pub rating_sum: i64,
}

impl super::Store {
    /// The implementation of each of `proposals` (at most 2,000), for the evaluation of a
    /// year's plan.
    pub async fn standings(&self, proposals: &[Uuid]) -> Result<Vec<Standing>> {
        let mut out = Vec::new();
        for chunk in proposals.chunks(500).take(4) {
            let rows: Vec<Standing> = read!(self, |pool| {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT p.id AS proposal_id, p.status, \
                     (SELECT u.progress FROM proposal_updates u WHERE u.proposal_id = p.id AND NOT u.by_resident ORDER BY u.at DESC, u.id DESC LIMIT 1) AS progress, \
                     (SELECT u.note FROM proposal_updates u WHERE u.proposal_id = p.id AND NOT u.by_resident ORDER BY u.at DESC, u.id DESC LIMIT 1) AS note, \
                     (SELECT u.at FROM proposal_updates u WHERE u.proposal_id = p.id AND NOT u.by_resident ORDER BY u.at DESC, u.id DESC LIMIT 1) AS reported_at, \
                     (SELECT COUNT(*) FROM proposal_ratings r WHERE r.proposal_id = p.id) AS ratings, \
                     (SELECT CAST(COALESCE(SUM(r.rating), 0) AS BIGINT) FROM proposal_ratings r WHERE r.proposal_id = p.id) AS rating_sum \
                     FROM proposals p WHERE p.id IN (",
                );
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }
}
