//! Stakeholder groups of a village.

use uuid::Uuid;

use super::{BeginWrite, Result, audit, duplicate_on, new_id, now, read, write};

/// A group as the public sees it: no contact details.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupSummary {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub members: Option<i64>,
}

/// What is needed to record a new group.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub contact_name: Option<String>,
    pub members: Option<i64>,
    pub since_year: Option<i64>,
    pub relation: String,
    pub roles: Vec<String>,
}

impl super::Store {
    pub async fn create_group(
        &self,
        village: Uuid,
        g: &NewGroup,
        actor: Option<Uuid>,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        write!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO stakeholder_groups (id, village_id, name, kind, vulnerable, contact_name, members, \
                 since_year, relation, roles, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
            )
            .bind(id)
            .bind(village)
            .bind(&g.name)
            .bind(&g.kind)
            .bind(g.vulnerable)
            .bind(&g.contact_name)
            .bind(g.members)
            .bind(g.since_year)
            .bind(&g.relation)
            .bind(g.roles.join(","))
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["name"]))?;
            let after =
                serde_json::json!({ "name": g.name, "kind": g.kind, "vulnerable": g.vulnerable });
            audit::append!(&mut *tx, actor: actor, village: Some(village), entity: "group", id: id.to_string(),
                action: "create", before: None, after: Some(&after))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The village's groups by name, without contact details.
    pub async fn list_groups(&self, village: Uuid) -> Result<Vec<GroupSummary>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, kind, vulnerable, members FROM stakeholder_groups WHERE village_id = $1 \
                 ORDER BY name LIMIT 500",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }
}
