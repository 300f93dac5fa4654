//! `musdes export` / `musdes import`: all of one village's records as one JSON document,
//! the same from either backend, and loaded into either backend in one transaction.
//!
//! Every table is listed here with its columns and their kinds, so a value travels
//! exactly: UUIDs and times as text (times in UTC with microseconds), integers and
//! booleans as JSON numbers and booleans, photos as base64. Rows are sorted by their JSON,
//! so the same records always give the same bytes. Berita acara and adopted plans keep
//! their frozen record and hash as they were, so they still verify after the move.

use std::collections::BTreeSet;

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use sqlx::Row;
use uuid::Uuid;

use super::{BeginWrite, Result, Store, StoreError, read, write};
use crate::domain::seal;

/// What the document says it is.
pub const FORMAT: &str = "musdes-village-export";
/// Bumped when the document's shape changes.
pub const FORMAT_VERSION: i64 = 1;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Uuid,
    Text,
    Int,
    Bool,
    Time,
    /// A calendar day (`YYYY-MM-DD`).
    Day,
    Bytes,
}

/// A table: its name, its columns as `name:kind` (u uuid, t text, i integer, b boolean,
/// d time, D day, x bytes), and the condition that picks the village's rows (`$1` is its id).
struct Table {
    name: &'static str,
    columns: &'static str,
    rows_of_village: &'static str,
}

const OF_SURVEYS: &str = "survey_id IN (SELECT id FROM surveys WHERE village_id = $1)";
const OF_PROPOSALS: &str = "proposal_id IN (SELECT id FROM proposals WHERE village_id = $1)";
const OF_MEETINGS: &str = "meeting_id IN (SELECT id FROM meetings WHERE village_id = $1)";
const OF_PLANS: &str = "plan_id IN (SELECT id FROM plans WHERE village_id = $1)";

/// In the order they are loaded: every row after the rows it refers to.
const TABLES: &[Table] = &[
    Table {
        name: "villages",
        columns: "id:u slug:t name:t code:t kecamatan:t kabupaten:t provinsi:t population:i \
                  households:i timezone:t version:i created_at:d updated_at:d \
                  women_minimum_percent:i ladder_consult_feedback:i ladder_consult_voices:i \
                  ladder_involve_groups:i auto_empower:b quorum_rule:t majority_rule:t kepala_desa:t",
        rows_of_village: "id = $1",
    },
    Table {
        name: "hamlets",
        columns: "id:u village_id:u position:i name:t rw:t rt:t population:i",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "users",
        columns: "id:u email:t phone:t name:t password_hash:t is_admin:b disabled:b created_at:d updated_at:d",
        // Filled in from the members and from every person the other rows name.
        rows_of_village: "",
    },
    Table {
        name: "memberships",
        columns: "user_id:u village_id:u role:t created_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "resident_requests",
        columns: "id:u user_id:u village_id:u hamlet:t created_at:d decided_at:d decided_by:u accepted:b",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "stakeholder_groups",
        columns: "id:u village_id:u name:t kind:t vulnerable:b contact_name:t contact_phone:t \
                  members:i since_year:i relation:t roles:t version:i created_at:d updated_at:d \
                  motive:t gains:t bonds:t bond_note:t acts_beyond:t other_matters:t relation_reason:t",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "proposal_counters",
        columns: "village_id:u year:i last_seq:i",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "proposals",
        columns: "id:u village_id:u year:i seq:i number:t title:t problem:t description:t \
                  bidang:t sub_bidang:t location:t hamlet:t volume:t estimated_cost:i \
                  funding_source:t channel:t proposer_user_id:u proposer_name:t \
                  proposer_group_id:u proposer_phone:t entered_by:u submitted_from:t status:t \
                  level:i supports:i merged_into:u version:i created_at:d updated_at:d \
                  implementer_group_id:u tracking_hash:t",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "proposal_events",
        columns: "id:u proposal_id:u at:d actor_id:u actor_name:t kind:t from_value:t \
                  to_value:t note:t evidence:t meeting_id:u",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "feedback",
        columns: "id:u proposal_id:u kind:t author_id:u author_name:t group_id:u body:t \
                  hidden_at:d hidden_by:u hidden_reason:t created_at:d",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "feedback_answers",
        columns: "id:u feedback_id:u author_id:u author_name:t body:t created_at:d",
        rows_of_village: "feedback_id IN (SELECT f.id FROM feedback f JOIN proposals p \
                          ON p.id = f.proposal_id WHERE p.village_id = $1)",
    },
    Table {
        name: "proposal_updates",
        columns: "id:u proposal_id:u at:d author_id:u author_name:t progress:i note:t by_resident:b \
                  status:t moderated_by_name:t moderated_at:d hidden_reason:t",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "proposal_photos",
        columns: "id:u update_id:u content_type:t bytes:x",
        rows_of_village: "update_id IN (SELECT u.id FROM proposal_updates u JOIN proposals p \
                          ON p.id = u.proposal_id WHERE p.village_id = $1)",
    },
    Table {
        name: "proposal_ratings",
        columns: "proposal_id:u author_id:u author_name:t rating:i reflection:t at:d",
        rows_of_village: OF_PROPOSALS,
    },
    // Before the agenda, whose decisions name the alternative chosen.
    Table {
        name: "proposal_alternatives",
        columns: "id:u proposal_id:u group_id:u title:t cost:i trade_offs:t created_by:u \
                  created_by_name:t created_at:d",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "meetings",
        columns: "id:u village_id:u kind:t title:t scheduled_at:d place:t chair:t note_taker:t \
                  invited_count:i quorum_rule:t status:t quorum_note:t record:t content_hash:t \
                  verification_code:t finalized_at:d finalized_by:u version:i created_by:u \
                  created_at:d updated_at:d majority_rule:t representative:t postponed_at:d \
                  postpone_note:t postponed_by_name:t rescheduled_from:u rescheduled_to:u \
                  rating_code:t",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "meeting_invitations",
        columns: "meeting_id:u group_id:u created_at:d",
        rows_of_village: OF_MEETINGS,
    },
    Table {
        name: "meeting_attendance",
        columns: "id:u meeting_id:u name:t gender:t group_id:u role:t hamlet:t created_at:d voter:b",
        rows_of_village: OF_MEETINGS,
    },
    Table {
        name: "meeting_agenda",
        columns: "meeting_id:u proposal_id:u position:i minutes:t decision:t method:t \
                  votes_for:i votes_against:i votes_abstain:i created_at:d alternative_id:u \
                  alternative_reason:t",
        rows_of_village: OF_MEETINGS,
    },
    Table {
        name: "meeting_addenda",
        columns: "id:u meeting_id:u body:t author_id:u author_name:t created_at:d",
        rows_of_village: OF_MEETINGS,
    },
    Table {
        name: "meeting_scans",
        columns: "id:u meeting_id:u label:t content_type:t bytes:x sha256:t uploaded_by_name:t created_at:d",
        rows_of_village: OF_MEETINGS,
    },
    Table {
        name: "meeting_agenda_removals",
        columns: "id:u meeting_id:u proposal_id:u reason:t removed_by_name:t removed_at:d",
        rows_of_village: OF_MEETINGS,
    },
    Table {
        name: "meeting_ratings",
        columns: "id:u meeting_id:u score:i heard:t trust:i comment:t hamlet:t group_id:u \
                  channel:t rater:t entered_by:u created_at:d",
        rows_of_village: "meeting_id IN (SELECT id FROM meetings WHERE village_id = $1)",
    },
    Table {
        name: "proposal_partnerships",
        columns: "id:u proposal_id:u group_id:u contribution:t amount:i note:t created_by:u \
                  created_at:d delivery:t delivery_note:t delivery_by_name:t delivery_at:d",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "group_relations",
        columns: "id:u village_id:u from_group:u to_group:u outside_name:t outside_kind:t \
                  stance:t form:t since_year:i note:t created_at:d reason:t coordinator:t ends_on:D",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "group_history",
        columns: "id:u village_id:u group_id:u year:i change:t what:t why:t members:i created_by:u \
                  created_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "group_villages",
        columns: "id:u village_id:u group_id:u name:t kecamatan:t created_by:u created_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "needs",
        columns: "id:u village_id:u title:t description:t hamlet:t affects:t affected_count:i \
                  affected_unit:t since_year:i meeting_id:u raised_by:t created_by:u version:i \
                  created_at:d updated_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "proposal_needs",
        columns: "need_id:u proposal_id:u created_by:u created_at:d",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "need_measures",
        columns: "id:u need_id:u count:i measured_on:D note:t recorded_by:u created_at:d",
        rows_of_village: "need_id IN (SELECT n.id FROM needs n WHERE n.village_id = $1)",
    },
    Table {
        name: "surveys",
        columns: "id:u village_id:u title:t intro:t group_id:u created_by:u created_at:d closed_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "survey_questions",
        columns: "id:u survey_id:u position:i text:t choices:t",
        rows_of_village: OF_SURVEYS,
    },
    Table {
        name: "survey_responses",
        columns: "id:u survey_id:u respondent:t hamlet:t group_id:u channel:t entered_by:u created_at:d",
        rows_of_village: OF_SURVEYS,
    },
    Table {
        name: "survey_answers",
        columns: "response_id:u question_id:u choice:i",
        rows_of_village: "response_id IN (SELECT r.id FROM survey_responses r JOIN surveys s ON s.id = r.survey_id \
                          WHERE s.village_id = $1)",
    },
    Table {
        name: "plans",
        columns: "id:u village_id:u year:i status:t meeting_id:u adopted_at:d adopted_by:u \
                  record:t content_hash:t version:i created_at:d updated_at:d agreed_in:u \
                  tabled:t agreed_at:d perdes_number:t perdes_date:D revision:i amends:u \
                  superseded_by:u amend_ground:t amend_reason:t",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "plan_criteria",
        columns: "id:u plan_id:u position:i name:t weight:i max_score:i",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "plan_ceilings",
        columns: "plan_id:u source:t amount:i",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "plan_items",
        columns: "plan_id:u proposal_id:u cost:i source:t pattern:t volume:t beneficiaries:t \
                  start_month:i end_month:i version:i updated_at:d authority:t placed:t focus:t \
                  men:i women:i poor:i pelaksana:t tpk:b shares:t rab:t kegiatan:t",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "du_rkp_answers",
        columns: "plan_id:u proposal_id:u answer:t reason:t kecamatan:t answered_by:u \
                  answered_by_name:t answered_at:d",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "plan_scores",
        columns: "plan_id:u proposal_id:u criterion_id:u score:i",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "plan_programmes",
        columns: "id:u plan_id:u name:t giver:t agency:t amount:i location:t created_at:d",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "tim_penyusun",
        columns: "plan_id:u sk_number:t sk_date:D members:t version:i updated_at:d",
        rows_of_village: OF_PLANS,
    },
    Table {
        name: "standing_items",
        columns: "id:u village_id:u sub_bidang:t kegiatan:t volume:t cost:i source:t focus:t pelaksana:t \
                  from_year:i to_year:i version:i created_at:d updated_at:d code:t",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "rpjm",
        columns: "id:u village_id:u start_year:i end_year:i vision:t mission:t perdes_number:t \
                  perdes_date:D version:i created_at:d updated_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "rpjm_items",
        columns: "id:u rpjm_id:u year:i bidang:t sub_bidang:t kegiatan:t location:t volume:t cost:i \
                  source:t proposal_id:u created_by_name:t created_at:d",
        rows_of_village: "rpjm_id IN (SELECT id FROM rpjm WHERE village_id = $1)",
    },
    Table {
        name: "seals",
        columns: "village_id:u seq:i kind:t subject_id:u parent_id:u content_hash:t prev_hash:t \
                  entry_hash:t key_id:t signature:t sealed_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "audit_log",
        columns: "id:u at:d actor_id:u village_id:u entity:t entity_id:t action:t before:t after:t",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "follow_ups",
        columns: "id:u proposal_id:u feedback_id:u decision_meeting_id:u done_on:D actor:t change:t \
                  update_id:u plan_id:u evidence_meeting_id:u recorded_by:u created_at:d",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "cadres",
        columns: "id:u village_id:u name:t role:t hamlet:t group_id:u since_year:i started:t created_by:u \
                  version:i created_at:d updated_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "proposal_drivers",
        columns: "proposal_id:u cadre_id:u created_by:u created_at:d",
        rows_of_village: OF_PROPOSALS,
    },
    Table {
        name: "channel_reach",
        columns: "id:u village_id:u proposal_id:u meeting_id:u channel:t reach:i note:t created_by:u \
                  created_by_name:t created_at:d",
        rows_of_village: "village_id = $1",
    },
    Table {
        name: "channel_reach_hamlets",
        columns: "reach_id:u hamlet:t",
        rows_of_village: "reach_id IN (SELECT id FROM channel_reach WHERE village_id = $1)",
    },
    Table {
        name: "channel_reach_groups",
        columns: "reach_id:u group_id:u",
        rows_of_village: "reach_id IN (SELECT id FROM channel_reach WHERE village_id = $1)",
    },
];

/// One table's rows as they will be loaded: the table, its columns, the rows.
type Load<'a> = (
    &'static Table,
    Vec<(&'static str, Kind)>,
    Vec<&'a Map<String, Value>>,
);

/// Columns that name a person (an account): those people travel with the village.
const PERSON_COLUMNS: &[&str] = &[
    "user_id",
    "proposer_user_id",
    "entered_by",
    "actor_id",
    "author_id",
    "hidden_by",
    "finalized_by",
    "created_by",
    "adopted_by",
    "answered_by",
    "decided_by",
];

fn columns(table: &Table) -> Vec<(&'static str, Kind)> {
    table
        .columns
        .split_whitespace()
        .map(|c| {
            let (name, kind) = c.split_once(':').expect("name:kind");
            let kind = match kind {
                "u" => Kind::Uuid,
                "t" => Kind::Text,
                "i" => Kind::Int,
                "b" => Kind::Bool,
                "d" => Kind::Time,
                "D" => Kind::Day,
                "x" => Kind::Bytes,
                other => panic!("unknown column kind {other}"),
            };
            (name, kind)
        })
        .collect()
}

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads one column of a row as JSON, on whichever backend the row came from.
macro_rules! cell {
    ($row:expr, $name:expr, $kind:expr) => {{
        let r = &$row;
        let name: &str = $name;
        match $kind {
            Kind::Uuid => r
                .try_get::<Option<Uuid>, _>(name)?
                .map(|u| json!(u.to_string())),
            Kind::Text => r.try_get::<Option<String>, _>(name)?.map(Value::from),
            Kind::Int => r.try_get::<Option<i64>, _>(name)?.map(Value::from),
            Kind::Bool => r.try_get::<Option<bool>, _>(name)?.map(Value::from),
            Kind::Time => r
                .try_get::<Option<DateTime<Utc>>, _>(name)?
                .map(|t| json!(time_text(t))),
            Kind::Day => r
                .try_get::<Option<chrono::NaiveDate>, _>(name)?
                .map(|d| json!(d.to_string())),
            Kind::Bytes => r
                .try_get::<Option<Vec<u8>>, _>(name)?
                .map(|b| json!(base64::engine::general_purpose::STANDARD.encode(b))),
        }
        .unwrap_or(Value::Null)
    }};
}

/// A document that cannot be loaded, said plainly.
fn refused(message: impl Into<String>) -> StoreError {
    StoreError::Config(message.into())
}

impl Store {
    /// The rows of `table` that `condition` picks (`$1` is `id`), as JSON objects.
    async fn rows_where(&self, table: &Table, condition: &str, id: Uuid) -> Result<Vec<Value>> {
        let cols = columns(table);
        let list = cols.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT {list} FROM {} WHERE {condition}", table.name);
        read!(self, |pool| {
            let found = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_all(pool)
                .await?;
            let mut rows = Vec::with_capacity(found.len());
            for r in &found {
                let mut obj = Map::new();
                for (name, kind) in &cols {
                    obj.insert(name.to_string(), cell!(r, name, *kind));
                }
                rows.push(Value::Object(obj));
            }
            Ok(rows)
        })
    }

    /// All of the village's records, with everyone they name.
    pub async fn export_village(&self, slug: &str) -> Result<Value> {
        let village = self.village_by_slug(slug).await?;
        let mut tables = Map::new();
        let mut people: BTreeSet<Uuid> = BTreeSet::new();
        for table in TABLES.iter().filter(|t| !t.rows_of_village.is_empty()) {
            let rows = self
                .rows_where(table, table.rows_of_village, village.id)
                .await?;
            for row in &rows {
                for c in PERSON_COLUMNS {
                    if let Some(id) = row[c].as_str().and_then(|s| s.parse().ok()) {
                        people.insert(id);
                    }
                }
            }
            tables.insert(table.name.to_string(), sorted(rows));
        }
        let users = TABLES.iter().find(|t| t.name == "users").expect("users");
        let mut rows = Vec::new();
        for id in people {
            rows.extend(self.rows_where(users, "id = $1", id).await?);
        }
        tables.insert("users".into(), sorted(rows));
        let ordered: Map<String, Value> = TABLES
            .iter()
            .map(|t| {
                (
                    t.name.to_string(),
                    tables.remove(t.name).unwrap_or(json!([])),
                )
            })
            .collect();
        // The public keys that sealed the village's records, so that the new installation
        // can trust them and every seal still verifies after the move.
        let keys = self.keys()?;
        let used: BTreeSet<&str> = ordered["seals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["key_id"].as_str())
            .collect();
        let public_keys: Vec<Value> = keys
            .trusted()
            .iter()
            .filter(|k| used.contains(k.key_id.as_str()))
            .map(|k| json!({ "key_id": k.key_id, "public_key": k.encoded() }))
            .collect();
        Ok(json!({
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "village": village.slug,
            "public_keys": public_keys,
            "tables": ordered,
        }))
    }

    /// Loads an exported village, all or nothing. Refused when the village (its slug or
    /// id) is already here; people already here (same id and e-mail) are kept as they are.
    pub async fn import_village(&self, doc: &Value) -> Result<String> {
        if doc["format"] != FORMAT {
            return Err(refused(format!("not a {FORMAT} document")));
        }
        if doc["version"].as_i64() != Some(FORMAT_VERSION) {
            return Err(refused(format!(
                "export format version {} is not supported (this version reads {FORMAT_VERSION})",
                doc["version"]
            )));
        }
        let slug = doc["village"]
            .as_str()
            .ok_or_else(|| refused("the document names no village"))?
            .to_string();
        match self.village_by_slug(&slug).await {
            Ok(_) => return Err(refused(format!("village {slug} already exists here"))),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
        let tables = doc["tables"]
            .as_object()
            .ok_or_else(|| refused("the document holds no tables"))?;
        // Check every value's kind before anything is written.
        let mut plan: Vec<Load> = Vec::new();
        for table in TABLES {
            let cols = columns(table);
            let rows = match tables.get(table.name) {
                None => Vec::new(),
                Some(Value::Array(rows)) => rows
                    .iter()
                    .map(|r| {
                        r.as_object().ok_or_else(|| {
                            refused(format!("{}: a row is not an object", table.name))
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                Some(_) => return Err(refused(format!("{}: not a list of rows", table.name))),
            };
            // A file written before a column existed leaves it to its default.
            let cols: Vec<_> = cols
                .into_iter()
                .filter(|(name, _)| rows.first().is_none_or(|r| r.contains_key(*name)))
                .collect();
            for row in &rows {
                for (name, kind) in &cols {
                    check(
                        table.name,
                        name,
                        *kind,
                        row.get(*name).unwrap_or(&Value::Null),
                    )?;
                }
            }
            plan.push((table, cols, rows));
        }
        let doc_keys = public_keys(doc)?;
        let has_seals = tables
            .get("seals")
            .and_then(Value::as_array)
            .is_some_and(|rows| !rows.is_empty());
        if has_seals {
            check_doc_seals(tables, &seal::trusting(&self.keys()?, &doc_keys))?;
        }
        let village_id = tables["villages"]
            .as_array()
            .and_then(|v| v.first())
            .and_then(|v| v["id"].as_str())
            .and_then(|s| s.parse::<Uuid>().ok())
            .ok_or_else(|| refused("villages: the village row is missing"))?;
        write!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for (table, cols, rows) in &plan {
                let names = cols.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
                let marks = (1..=cols.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let conflict = if table.name == "users" {
                    " ON CONFLICT (id) DO NOTHING"
                } else {
                    ""
                };
                let sql = format!(
                    "INSERT INTO {} ({names}) VALUES ({marks}){conflict}",
                    table.name
                );
                for row in rows {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                    for (name, kind) in cols {
                        let v = row.get(*name).unwrap_or(&Value::Null);
                        // A merge points at another proposal that may come later: set after.
                        let v = if table.name == "proposals" && *name == "merged_into" {
                            &Value::Null
                        } else {
                            v
                        };
                        q = match kind {
                            Kind::Uuid => q.bind(v.as_str().and_then(|s| s.parse::<Uuid>().ok())),
                            Kind::Text => q.bind(v.as_str().map(str::to_string)),
                            Kind::Int => q.bind(v.as_i64()),
                            Kind::Bool => q.bind(v.as_bool()),
                            Kind::Time => q.bind(
                                v.as_str()
                                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                                    .map(|t| t.with_timezone(&Utc)),
                            ),
                            Kind::Day => {
                                q.bind(v.as_str().and_then(|s| s.parse::<chrono::NaiveDate>().ok()))
                            }
                            Kind::Bytes => q.bind(v.as_str().and_then(|s| {
                                base64::engine::general_purpose::STANDARD.decode(s).ok()
                            })),
                        };
                    }
                    q.execute(&mut *tx)
                        .await
                        .map_err(|e| refused(format!("{}: {e}", table.name)))?;
                }
                if table.name == "feedback" {
                    // Derived, not carried: each entry's village is its proposal's.
                    sqlx::query(
                        "UPDATE feedback SET village_id = $1 \
                         WHERE proposal_id IN (SELECT id FROM proposals WHERE village_id = $1)",
                    )
                    .bind(village_id)
                    .execute(&mut *tx)
                    .await?;
                }
                if table.name == "proposals" {
                    for row in rows {
                        let (Some(id), Some(into)) = (
                            row.get("id")
                                .and_then(Value::as_str)
                                .and_then(|s| s.parse::<Uuid>().ok()),
                            row.get("merged_into")
                                .and_then(Value::as_str)
                                .and_then(|s| s.parse::<Uuid>().ok()),
                        ) else {
                            continue;
                        };
                        sqlx::query("UPDATE proposals SET merged_into = $2 WHERE id = $1")
                            .bind(id)
                            .bind(into)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                if table.name == "users" {
                    // A person already here under the same id must be the same person.
                    for row in rows {
                        let id = row
                            .get("id")
                            .and_then(Value::as_str)
                            .and_then(|s| s.parse::<Uuid>().ok());
                        let email = row.get("email").and_then(Value::as_str).map(str::to_string);
                        let phone = row.get("phone").and_then(Value::as_str).map(str::to_string);
                        let same: Option<i64> = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM users WHERE id = $1 \
                             AND email IS NOT DISTINCT FROM $2 AND phone IS NOT DISTINCT FROM $3",
                        )
                        .bind(id)
                        .bind(&email)
                        .bind(&phone)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if same != Some(1) {
                            return Err(refused(format!(
                                "users: {} belongs to another account here",
                                email.or(phone).unwrap_or_default()
                            )));
                        }
                    }
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.trust(&doc_keys)?;
        if !has_seals {
            // An export made before seals existed: its records are sealed here, now.
            self.seal_unsealed(Some(village_id)).await?;
        }
        Ok(slug)
    }
}

/// The public keys an export carries.
/// Every table an export carries, with its columns (for the test that holds them to the
/// schema).
pub fn exported_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    TABLES
        .iter()
        .map(|t| (t.name, columns(t).into_iter().map(|(n, _)| n).collect()))
        .collect()
}

/// Tables that stay behind, and why: they belong to the installation, not to a village.
pub const NOT_EXPORTED: &[(&str, &str)] = &[
    ("sessions", "logins of this installation"),
    ("throttle_hits", "rate limits of this installation"),
    (
        "reset_codes",
        "one-time password codes, good for a day on the installation that issued them",
    ),
    (
        "oversight",
        "kecamatan accounts, held over an area rather than a village",
    ),
    (
        "dana_desa_rules",
        "the minister's rules, the same for every village of the installation",
    ),
    (
        "planning_dates",
        "a kabupaten's Perbup dates, the same for all its villages",
    ),
    (
        "signing_keys",
        "the installation's public keys travel in the document's own field",
    ),
    ("_sqlx_migrations", "the database's own schema history"),
    (
        "submission_keys",
        "one-time form keys of this installation's sessions",
    ),
    (
        "seal_backfill",
        "a one-time migration flag of this database",
    ),
    (
        "proposals_fts",
        "SQLite's search index, rebuilt from the proposals as they load",
    ),
    (
        "level_counts",
        "published proposals per ladder level, counted by the database as the proposals load",
    ),
    ("proposals_fts_config", "part of SQLite's search index"),
    ("proposals_fts_data", "part of SQLite's search index"),
    ("proposals_fts_docsize", "part of SQLite's search index"),
    ("proposals_fts_idx", "part of SQLite's search index"),
];

/// Columns that stay behind: derived from the others (by the database, or on import), or
/// counting this database's changes (a village's revision, counted up again as its
/// records load).
pub const NOT_EXPORTED_COLUMNS: &[(&str, &str)] = &[
    ("proposals", "search"),
    ("feedback", "village_id"),
    ("villages", "revision"),
];

pub fn public_keys(doc: &Value) -> Result<Vec<seal::PublicKey>> {
    doc["public_keys"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| {
            k["public_key"]
                .as_str()
                .and_then(seal::PublicKey::parse)
                .filter(|p| k["key_id"].as_str() == Some(p.key_id.as_str()))
                .ok_or_else(|| refused(format!("public_keys: {k} is not a public key")))
        })
        .collect()
}

/// Refuses a document whose seals do not hold: a broken chain, a bad signature, or a
/// sealed record whose content differs from what was sealed.
fn check_doc_seals(tables: &Map<String, Value>, keys: &seal::Keyring) -> Result<()> {
    let rows = |name: &str| {
        tables
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let uuid = |v: &Value, k: &str| v[k].as_str().and_then(|s| s.parse::<Uuid>().ok());
    let time = |v: &Value, k: &str| {
        v[k].as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    let mut entries = Vec::new();
    for r in rows("seals") {
        entries.push(seal::Entry {
            village_id: uuid(&r, "village_id").unwrap_or_default(),
            seq: r["seq"].as_i64().unwrap_or_default(),
            kind: text(&r, "kind"),
            subject_id: uuid(&r, "subject_id").unwrap_or_default(),
            parent_id: uuid(&r, "parent_id"),
            content_hash: text(&r, "content_hash"),
            prev_hash: text(&r, "prev_hash"),
            entry_hash: text(&r, "entry_hash"),
            key_id: text(&r, "key_id"),
            signature: text(&r, "signature"),
            sealed_at: time(&r, "sealed_at").unwrap_or_default(),
        });
    }
    entries.sort_by_key(|e| e.seq);
    if let Some((seq, problem)) = seal::check_chain(keys, &entries).first() {
        return Err(refused(format!(
            "seals: entry {seq} does not hold ({problem:?}); the export was altered"
        )));
    }
    let mut contents: Vec<(String, Uuid, Vec<u8>)> = Vec::new();
    for m in rows("meetings") {
        if let (Some(id), Some(record)) = (uuid(&m, "id"), m["record"].as_str()) {
            contents.push(("meeting".into(), id, record.as_bytes().to_vec()));
        }
    }
    for p in rows("plans") {
        if let (Some(id), Some(record)) = (uuid(&p, "id"), p["record"].as_str()) {
            contents.push(("plan".into(), id, record.as_bytes().to_vec()));
        }
    }
    for a in rows("meeting_addenda") {
        if let (Some(id), Some(meeting), Some(at)) = (
            uuid(&a, "id"),
            uuid(&a, "meeting_id"),
            time(&a, "created_at"),
        ) {
            let bytes =
                seal::addendum_bytes(meeting, id, &text(&a, "body"), &text(&a, "author_name"), at);
            contents.push(("addendum".into(), id, bytes));
        }
    }
    for c in rows("meeting_scans") {
        if let (Some(id), Some(meeting), Some(at)) = (
            uuid(&c, "id"),
            uuid(&c, "meeting_id"),
            time(&c, "created_at"),
        ) {
            let file = c["bytes"]
                .as_str()
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                .unwrap_or_default();
            let bytes = seal::scan_bytes(
                meeting,
                id,
                &text(&c, "label"),
                &text(&c, "content_type"),
                &seal::sha256_hex(&file),
                &text(&c, "uploaded_by_name"),
                at,
            );
            contents.push(("scan".into(), id, bytes));
        }
    }
    for (kind, id, bytes) in contents {
        let sealed = entries
            .iter()
            .find(|e| e.kind == kind && e.subject_id == id);
        match sealed {
            Some(e) if e.content_hash == seal::sha256_hex(&bytes) => {}
            _ => {
                return Err(refused(format!(
                    "seals: the {kind} {id} does not match its seal; the export was altered"
                )));
            }
        }
    }
    Ok(())
}

/// Rows in a stable order: by their JSON text.
fn sorted(mut rows: Vec<Value>) -> Value {
    rows.sort_by_cached_key(|r| r.to_string());
    Value::Array(rows)
}

/// Refuses a value of the wrong kind, naming the table and column.
fn check(table: &str, column: &str, kind: Kind, v: &Value) -> Result<()> {
    let ok = match (kind, v) {
        (_, Value::Null) => true,
        (Kind::Uuid, Value::String(s)) => s.parse::<Uuid>().is_ok(),
        (Kind::Text, Value::String(s)) => !s.contains('\0'),
        (Kind::Int, Value::Number(n)) => n.is_i64(),
        (Kind::Bool, Value::Bool(_)) => true,
        (Kind::Time, Value::String(s)) => DateTime::parse_from_rfc3339(s).is_ok(),
        (Kind::Day, Value::String(s)) => s.parse::<chrono::NaiveDate>().is_ok(),
        (Kind::Bytes, Value::String(s)) => {
            base64::engine::general_purpose::STANDARD.decode(s).is_ok()
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refused(format!(
            "{table}.{column}: {v} is not a valid {kind:?}"
        )))
    }
}
