//! The stakeholder map (`/desa/{slug}/jejaring`): relations, a server-drawn map, who
//! bridges whom, and prompts for the facilitator.

use super::visit::InVillage;
use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::network::{self, Node, RelationForm, Tie};
use crate::store::Store;
use crate::store::groups::GroupSummary;
use crate::store::network::Relation;
use crate::store::villages::Village;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::NETWORK, get(show).post(add))
        .route(crate::web::paths::NETWORK_REMOVE, post(remove))
}

/// The drawing's square, in its own units.
const SIZE: f64 = 320.0;

pub struct MapNode {
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub outside: bool,
    pub x: i64,
    pub y: i64,
    pub colour: &'static str,
    pub degree: usize,
    /// Betweenness in hundredths, shown as `0,25`.
    pub betweenness: i64,
}

pub struct MapEdge {
    pub x1: i64,
    pub y1: i64,
    pub x2: i64,
    pub y2: i64,
    pub competes: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "network/show.html")]
struct NetworkPage {
    ctx: Ctx,
    village: Village,
    nodes: Vec<MapNode>,
    edges: Vec<MapEdge>,
    isolated: Vec<String>,
    cut_off: Vec<String>,
    relations: Vec<Relation>,
    today: chrono::NaiveDate,
    groups: Vec<GroupSummary>,
    may_edit: bool,
    form: RelationForm,
    errors: FieldErrors,
}

impl NetworkPage {
    fn stances(&self) -> &'static [&'static str] {
        &network::STANCES
    }
    fn forms(&self) -> &'static [&'static str] {
        &network::FORMS
    }
    fn outside_kinds(&self) -> &'static [&'static str] {
        &network::OUTSIDE_KINDS
    }
    fn b(&self, value: &i64) -> String {
        super::stats::decimal(self.ctx.lang, *value, 100)
    }
    /// One entry per colour family present, for the legend.
    fn legend(&self) -> Vec<(&'static str, &'static str)> {
        let mut seen: Vec<(&'static str, &'static str)> = Vec::new();
        for n in &self.nodes {
            if !seen.iter().any(|(c, _)| *c == n.colour) {
                seen.push((n.colour, family(n.colour)));
            }
        }
        seen
    }
}

/// The catalogue key naming a colour family.
fn family(colour: &str) -> &'static str {
    match colour {
        "#6b3fa0" => "network.family.leaders",
        "#2e7d32" => "network.family.livelihood",
        "#b35900" => "network.family.vulnerable",
        "#1f4e9c" => "network.family.institutions",
        "#00707a" => "network.family.religious_youth",
        _ => "network.family.other",
    }
}

/// The map's parties and ties: the village's groups first, then outside parties by name.
fn graph(groups: &[GroupSummary], relations: &[Relation]) -> (Vec<Node>, Vec<Tie>) {
    let mut nodes: Vec<Node> = groups
        .iter()
        .map(|g| Node {
            key: g.id.to_string(),
            name: g.name.clone(),
            kind: g.kind.clone(),
            vulnerable: g.vulnerable,
            outside: false,
        })
        .collect();
    let mut ties = Vec::new();
    for r in relations {
        let Some(a) = nodes.iter().position(|n| n.key == r.from_group.to_string()) else {
            continue;
        };
        let b = match (&r.to_group, &r.outside_name) {
            (Some(g), _) => nodes.iter().position(|n| n.key == g.to_string()),
            (None, Some(name)) => {
                let key = format!("outside:{}", name.to_lowercase());
                Some(nodes.iter().position(|n| n.key == key).unwrap_or_else(|| {
                    nodes.push(Node {
                        key,
                        name: name.clone(),
                        kind: r.outside_kind.clone().unwrap_or_else(|| "lainnya".into()),
                        vulnerable: false,
                        outside: true,
                    });
                    nodes.len() - 1
                }))
            }
            (None, None) => None,
        };
        if let Some(b) = b
            && r.stance != "none"
        {
            ties.push(Tie {
                a,
                b,
                competes: r.stance == "competes",
            });
        }
    }
    (nodes, ties)
}

async fn page(
    store: &Store,
    ctx: Ctx,
    village: Village,
    form: RelationForm,
    errors: FieldErrors,
) -> AppResult<NetworkPage> {
    let groups = store.list_groups(village.id).await?;
    let relations = store.relations(village.id).await?;
    let today = village.today();
    // A coalition past its end is listed, but no longer ties anyone on the map.
    let holding: Vec<Relation> = relations
        .iter()
        .filter(|r| r.holds(&today))
        .cloned()
        .collect();
    let (nodes, ties) = graph(&groups, &holding);
    let f = network::figures(&nodes, &ties);
    let at = network::layout(nodes.len(), &ties, SIZE);
    let names = |idx: &[usize]| idx.iter().map(|i| nodes[*i].name.clone()).collect();
    let isolated = names(&f.isolated);
    let cut_off = names(&f.vulnerable_cut_off);
    let point = |i: usize| (at[i].0.round() as i64, at[i].1.round() as i64);
    let edges = ties
        .iter()
        .map(|t| {
            let ((x1, y1), (x2, y2)) = (point(t.a), point(t.b));
            MapEdge {
                x1,
                y1,
                x2,
                y2,
                competes: t.competes,
            }
        })
        .collect();
    let nodes = nodes
        .into_iter()
        .enumerate()
        .map(|(i, n)| MapNode {
            colour: network::colour(&n.kind),
            x: point(i).0,
            y: point(i).1,
            degree: f.degree[i],
            betweenness: f.betweenness[i],
            name: n.name,
            kind: n.kind,
            vulnerable: n.vulnerable,
            outside: n.outside,
        })
        .collect();
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    Ok(NetworkPage {
        ctx,
        village,
        nodes,
        edges,
        isolated,
        cut_off,
        relations,
        today,
        groups,
        may_edit,
        form,
        errors,
    })
}

async fn show(visit: InVillage) -> AppResult<NetworkPage> {
    page(
        &visit.store,
        visit.ctx,
        visit.village,
        RelationForm::default(),
        FieldErrors::new(),
    )
    .await
}

async fn add(visit: InVillage, Form(form): Form<RelationForm>) -> AppResult<Response> {
    let actor = visit.actor(Action::RecordMeetings)?.id;
    let (store, ctx, village) = visit.into_parts();
    let ids = store.group_ids(village.id).await?;
    let relation = match form.validate(&ids, village.this_year()) {
        Ok(r) => r,
        Err(errors) => {
            let page = page(&store, ctx, village, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store.add_relation(village.id, &relation, actor).await?;
    ctx.flash("network.saved");
    Ok(Redirect::to(&relations_href(&village)).into_response())
}

async fn remove(visit: InVillage, Path((_, id)): Path<(String, String)>) -> AppResult<Response> {
    let actor = visit.actor(Action::RecordMeetings)?.id;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let village = &visit.village;
    visit.store.remove_relation(village.id, id, actor).await?;
    visit.ctx.flash("network.removed");
    Ok(Redirect::to(&relations_href(village)).into_response())
}

/// The network page at its list of relations.
fn relations_href(village: &Village) -> String {
    format!("{}#hubungan", crate::web::paths::network(&village.slug))
}
