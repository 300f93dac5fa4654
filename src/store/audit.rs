//! The append-only audit log: who changed what, when, before and after.

use uuid::Uuid;

/// The audit log's columns, in the order [`append!`] and [`append_all!`] bind them.
macro_rules! columns {
    () => {
        "id, at, actor_id, village_id, entity, entity_id, action, before, after"
    };
}
pub(crate) use columns;

/// Appends one entry inside the caller's transaction, so the change and its record
/// commit or fail together. A macro rather than a function: the statement is the same on
/// both backends, only the executor's type differs.
macro_rules! append {
    ($executor:expr, actor: $actor:expr, village: $village:expr, entity: $entity:expr, id: $id:expr,
     action: $action:expr, before: $before:expr, after: $after:expr $(,)?) => {{
        let before: Option<&serde_json::Value> = $before;
        let after: Option<&serde_json::Value> = $after;
        let actor: Option<uuid::Uuid> = $actor;
        let village: Option<uuid::Uuid> = $village;
        sqlx::query(concat!(
            "INSERT INTO audit_log (",
            $crate::store::audit::columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind($crate::store::new_id())
        .bind($crate::store::now())
        .bind(actor)
        .bind(village)
        .bind($entity)
        .bind($id)
        .bind($action)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .execute($executor)
        .await
    }};
}
pub(crate) use append;

/// One entry of the audit log, as a change returns it to [`crate::store::change!`].
pub(crate) struct Entry {
    pub actor: Option<Uuid>,
    pub village: Option<Uuid>,
    pub entity: &'static str,
    pub id: String,
    pub action: &'static str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An [`Entry`], written as [`append!`] is: `entry!(actor: …, village: …, entity: …,
/// id: …, action: …, before: …, after: …)`, with `before` and `after` owned.
macro_rules! entry {
    (actor: $actor:expr, village: $village:expr, entity: $entity:expr, id: $id:expr,
     action: $action:expr, before: $before:expr, after: $after:expr $(,)?) => {
        $crate::store::audit::Entry {
            actor: $actor,
            village: $village,
            entity: $entity,
            id: $id,
            action: $action,
            before: $before,
            after: $after,
        }
    };
}
pub(crate) use entry;

/// Appends [`Entry`]s inside the caller's transaction with one statement, as [`append!`]
/// appends one: for writes done together (see [`crate::store::batches`]). Give it at most
/// a few hundred entries (nine values each).
macro_rules! append_all {
    ($executor:expr, $entries:expr) => {{
        let entries: Vec<$crate::store::audit::Entry> = $entries;
        let at = $crate::store::now();
        let mut q = sqlx::QueryBuilder::new(concat!(
            "INSERT INTO audit_log (",
            $crate::store::audit::columns!(),
            ") "
        ));
        let keep = $crate::store::batches::keep_prepared(entries.len());
        q.push_values(entries, |mut row, e| {
            row.push_bind($crate::store::new_id())
                .push_bind(at)
                .push_bind(e.actor)
                .push_bind(e.village)
                .push_bind(e.entity)
                .push_bind(e.id)
                .push_bind(e.action)
                .push_bind(e.before.map(|v| v.to_string()))
                .push_bind(e.after.map(|v| v.to_string()));
        });
        q.build().persistent(keep).execute($executor).await
    }};
}
pub(crate) use append_all;

/// Appends an [`Entry`] inside the caller's transaction.
macro_rules! record {
    ($executor:expr, $entry:expr) => {{
        let entry: $crate::store::audit::Entry = $entry;
        $crate::store::audit::append!($executor, actor: entry.actor, village: entry.village,
            entity: entry.entity, id: entry.id, action: entry.action,
            before: entry.before.as_ref(), after: entry.after.as_ref())
    }};
}
pub(crate) use record;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<Uuid>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl super::Store {
    /// The newest entries about one thing, newest first.
    pub async fn audit_for(&self, entity: &str, entity_id: &str) -> super::Result<Vec<AuditEntry>> {
        Ok(super::read!(self, |pool| {
            sqlx::query_as(
                "SELECT at, actor_id, entity, entity_id, action, before, after FROM audit_log \
                 WHERE entity = $1 AND entity_id = $2 ORDER BY at DESC, id DESC LIMIT 200",
            )
            .bind(entity)
            .bind(entity_id)
            .fetch_all(pool)
            .await
        })?)
    }
}
