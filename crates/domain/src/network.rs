//! The village's stakeholder network (seed 004): relations between groups and with
//! outside parties, who bridges whom, who is cut off, and a stable drawing of the map.

use rustworkx_core::centrality::betweenness_centrality;
use rustworkx_core::petgraph::graph::UnGraph;
use uuid::Uuid;

use super::validation::{self, FieldErrors};

/// How two parties stand toward each other.
pub const STANCES: [&str; 3] = ["supports", "competes", "none"];
/// The network models of seed 004: how the tie is organised.
pub const FORMS: [&str; 4] = ["contact", "cooperation", "alliance", "coalition"];
/// Outside parties a village's groups relate to.
pub const OUTSIDE_KINDS: [&str; 5] = ["desa_lain", "ngo", "swasta", "kabupaten", "lainnya"];

/// Kinds that make up the village government side (for the "no tie" prompt).
const GOVERNMENT: [&str; 2] = ["pemerintah_desa", "bpd"];

/// The relation form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RelationForm {
    pub from: String,
    pub to: String,
    pub outside_name: String,
    pub outside_kind: String,
    pub stance: String,
    pub form: String,
    pub since_year: String,
    pub note: String,
    /// Why the two stand as they do (mapping question 5).
    pub reason: String,
    /// A coalition's coordinator and the day it ends: coalitions are ad hoc (seed 004).
    pub coordinator: String,
    pub ends_on: String,
}

/// The other end of a relation: a group of the village, or a party outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Other {
    Group(Uuid),
    Outside { name: String, kind: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelation {
    pub from: Uuid,
    pub to: Other,
    pub stance: String,
    pub form: Option<String>,
    pub since_year: Option<i64>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub coalition: Option<Coalition>,
}

/// What makes a coalition: one coordinator, and an end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coalition {
    pub coordinator: String,
    pub ends_on: chrono::NaiveDate,
}

/// Whether a tie still holds on `today`: a coalition is over after the day it ends.
pub fn holds(ends_on: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> bool {
    ends_on.is_none_or(|end| end >= today)
}

fn choice(e: &mut FieldErrors, field: &'static str, raw: &str, list: &[&str]) -> Option<String> {
    let found = list
        .iter()
        .find(|x| **x == raw.trim())
        .map(|x| x.to_string());
    if found.is_none() {
        e.add(field, "error.choose_from_list");
    }
    found
}

impl RelationForm {
    /// `groups` are the village's own; `to` must be one of them (not `from`), or else an
    /// outside party must be named.
    pub fn validate(&self, groups: &[Uuid], this_year: i64) -> Result<NewRelation, FieldErrors> {
        let mut e = FieldErrors::new();
        let own = |raw: &str| {
            raw.trim()
                .parse::<Uuid>()
                .ok()
                .filter(|id| groups.contains(id))
        };
        let from = own(&self.from);
        if from.is_none() {
            e.add("from", "error.group_of_village");
        }
        let to = match self.to.trim() {
            "" => {
                let name = validation::name(&mut e, "outside_name", &self.outside_name);
                choice(&mut e, "outside_kind", &self.outside_kind, &OUTSIDE_KINDS)
                    .map(|kind| Other::Outside { name, kind })
            }
            raw => match own(raw) {
                Some(id) if Some(id) == from => {
                    e.add("to", "error.relation_to_itself");
                    None
                }
                Some(id) => Some(Other::Group(id)),
                None => {
                    e.add("to", "error.group_of_village");
                    None
                }
            },
        };
        let stance = choice(&mut e, "stance", &self.stance, &STANCES);
        let form = match self.form.trim() {
            "" => None,
            raw => choice(&mut e, "form", raw, &FORMS),
        };
        let since_year =
            validation::optional_year(&mut e, "since_year", &self.since_year, this_year);
        let note = validation::optional_text(&mut e, "note", &self.note, 500);
        let reason = validation::optional_text(&mut e, "reason", &self.reason, 1000);
        let coalition = self.coalition(&mut e, form.as_deref(), since_year);
        match (from, to, stance) {
            (Some(from), Some(to), Some(stance)) if e.is_empty() => Ok(NewRelation {
                from,
                to,
                stance,
                form,
                since_year,
                note,
                reason,
                coalition,
            }),
            _ => Err(e),
        }
    }
}

impl RelationForm {
    /// A coalition needs its coordinator and its end; no other tie has either.
    fn coalition(
        &self,
        e: &mut FieldErrors,
        form: Option<&str>,
        since_year: Option<i64>,
    ) -> Option<Coalition> {
        let coordinator = self.coordinator.trim();
        let ends_on = self.ends_on.trim();
        if form != Some("coalition") {
            if !coordinator.is_empty() {
                e.add("coordinator", "error.coalition_only");
            }
            if !ends_on.is_empty() {
                e.add("ends_on", "error.coalition_only");
            }
            return None;
        }
        let coordinator = validation::name(e, "coordinator", coordinator);
        let ends_on = match chrono::NaiveDate::parse_from_str(ends_on, "%Y-%m-%d") {
            Ok(d) if since_year.is_some_and(|y| i64::from(chrono::Datelike::year(&d)) < y) => {
                e.add("ends_on", "error.ends_before_start");
                None
            }
            Ok(d) => Some(d),
            Err(_) if ends_on.is_empty() => {
                e.add("ends_on", "error.coalition_end");
                None
            }
            Err(_) => {
                e.add("ends_on", "error.date");
                None
            }
        };
        ends_on.map(|ends_on| Coalition {
            coordinator,
            ends_on,
        })
    }
}

/// A party on the map: a group of the village or an outside party.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub key: String,
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub outside: bool,
}

/// A tie between two nodes (by index); `none` relations are not ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tie {
    pub a: usize,
    pub b: usize,
    pub competes: bool,
}

/// What the map says about each party.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub degree: Vec<usize>,
    /// Normalised betweenness, in hundredths (0–100).
    pub betweenness: Vec<i64>,
    /// Groups of the village with no tie at all.
    pub isolated: Vec<usize>,
    /// Vulnerable groups with no path to the village government or the BPD.
    pub vulnerable_cut_off: Vec<usize>,
}

pub fn figures(nodes: &[Node], ties: &[Tie]) -> Figures {
    let mut g: UnGraph<(), ()> = UnGraph::default();
    let ids: Vec<_> = nodes.iter().map(|_| g.add_node(())).collect();
    let mut degree = vec![0; nodes.len()];
    for t in ties {
        if t.a != t.b && t.a < nodes.len() && t.b < nodes.len() {
            g.update_edge(ids[t.a], ids[t.b], ());
        }
    }
    for (i, id) in ids.iter().enumerate() {
        degree[i] = g.neighbors(*id).count();
    }
    let betweenness = betweenness_centrality(&g, false, true, 200)
        .into_iter()
        .map(|b| (b.unwrap_or(0.0) * 100.0).round() as i64)
        .collect();
    let government: Vec<usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.outside && GOVERNMENT.contains(&n.kind.as_str()))
        .map(|(i, _)| i)
        .collect();
    let component = components(nodes.len(), ties);
    let isolated = (0..nodes.len())
        .filter(|i| !nodes[*i].outside && degree[*i] == 0)
        .collect();
    let vulnerable_cut_off = (0..nodes.len())
        .filter(|i| {
            nodes[*i].vulnerable
                && !government.contains(i)
                && !government.iter().any(|g| component[*g] == component[*i])
        })
        .collect();
    Figures {
        degree,
        betweenness,
        isolated,
        vulnerable_cut_off,
    }
}

/// The connected component of each node (smallest member index).
fn components(n: usize, ties: &[Tie]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for t in ties.iter().filter(|t| t.a < n && t.b < n) {
        let (a, b) = (root(&mut parent, t.a), root(&mut parent, t.b));
        parent[a.max(b)] = a.min(b);
    }
    (0..n).map(|i| root(&mut parent, i)).collect()
}

/// A force-directed layout (Fruchterman–Reingold) on a `size`×`size` square, from a
/// fixed start (nodes on a circle in the order given), so the same network is drawn the
/// same way on every load.
pub fn layout(n: usize, ties: &[Tie], size: f64) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let angle = i as f64 / n as f64 * std::f64::consts::TAU;
            (angle.cos(), angle.sin())
        })
        .collect();
    if n == 1 {
        return vec![(size / 2.0, size / 2.0)];
    }
    let k = (4.0 / n as f64).sqrt();
    let mut heat = 0.2;
    for _ in 0..200 {
        let mut shift = vec![(0.0, 0.0); n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let push = k * k / d;
                shift[i].0 += dx / d * push;
                shift[i].1 += dy / d * push;
            }
        }
        for t in ties.iter().filter(|t| t.a < n && t.b < n && t.a != t.b) {
            let (dx, dy) = (pos[t.a].0 - pos[t.b].0, pos[t.a].1 - pos[t.b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let pull = d * d / k;
            shift[t.a].0 -= dx / d * pull;
            shift[t.a].1 -= dy / d * pull;
            shift[t.b].0 += dx / d * pull;
            shift[t.b].1 += dy / d * pull;
        }
        // A little gravity keeps separate parts of the network on one page, so the
        // connected part is not squeezed into a corner when the drawing is fitted.
        for (p, s) in pos.iter().zip(shift.iter_mut()) {
            s.0 -= p.0 * 0.6;
            s.1 -= p.1 * 0.6;
        }
        for (p, s) in pos.iter_mut().zip(&shift) {
            let len = (s.0 * s.0 + s.1 * s.1).sqrt().max(0.0001);
            let step = len.min(heat);
            p.0 += s.0 / len * step;
            p.1 += s.1 / len * step;
        }
        heat *= 0.98;
    }
    // Fit the drawing into the square with a margin for labels.
    let (min_x, max_x) = pos
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = pos
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let margin = size * 0.06;
    let span = |lo: f64, hi: f64| (hi - lo).max(0.0001);
    let fitted = pos
        .iter()
        .map(|p| {
            (
                margin + (p.0 - min_x) / span(min_x, max_x) * (size - 2.0 * margin),
                margin + (p.1 - min_y) / span(min_y, max_y) * (size - 2.0 * margin),
            )
        })
        .collect();
    spread(fitted, MIN_APART, margin, size - margin)
}

/// How far apart two parties' centres are drawn at least, in the drawing's units: each
/// is a numbered disc of radius 10 with a ring of 13 when vulnerable.
pub const MIN_APART: f64 = 28.0;

/// Pushes points apart until no two are closer than `min` (as far as the square from `lo`
/// to `hi` has room), each step moving both of a pair too close half the shortfall along
/// the line between them (points on the same spot part in a direction of their own).
pub fn spread(mut pos: Vec<(f64, f64)>, min: f64, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let n = pos.len();
    for _ in 0..500 {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[j].0 - pos[i].0, pos[j].1 - pos[i].1);
                let d = (dx * dx + dy * dy).sqrt();
                if d >= min - 1e-9 {
                    continue;
                }
                let (ux, uy) = if d < 1e-6 {
                    let angle = (i * 7 + j * 13) as f64;
                    (angle.cos(), angle.sin())
                } else {
                    (dx / d, dy / d)
                };
                let half = (min - d) / 2.0 + 0.01;
                pos[i] = (
                    (pos[i].0 - ux * half).clamp(lo, hi),
                    (pos[i].1 - uy * half).clamp(lo, hi),
                );
                pos[j] = (
                    (pos[j].0 + ux * half).clamp(lo, hi),
                    (pos[j].1 + uy * half).clamp(lo, hi),
                );
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    pos
}

/// The colour a kind of party is drawn in (six families, readable on white).
pub fn colour(kind: &str) -> &'static str {
    match kind {
        "tokoh_adat" | "tokoh_agama" | "tokoh_masyarakat" | "tokoh_pendidikan" => "#6b3fa0",
        "tani" | "nelayan" | "perajin" | "swasta" => "#2e7d32",
        "perempuan" | "perlindungan_anak" | "masyarakat_miskin" | "disabilitas"
        | "masyarakat_adat" => "#b35900",
        "bpd" | "pemerintah_desa" | "lpm" | "kabupaten" => "#1f4e9c",
        "pemuda" | "keagamaan" => "#00707a",
        _ => "#5f6368",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, kind: &str, vulnerable: bool) -> Node {
        Node {
            key: name.into(),
            name: name.into(),
            kind: kind.into(),
            vulnerable,
            outside: false,
        }
    }

    fn tie(a: usize, b: usize) -> Tie {
        Tie {
            a,
            b,
            competes: false,
        }
    }

    #[test]
    fn the_bridge_has_the_highest_betweenness_and_the_lonely_are_named() {
        // BPD — Tani — Nelayan, and PKK alone; Difabel tied only to PKK.
        let nodes = vec![
            node("BPD", "bpd", false),
            node("Tani", "tani", false),
            node("Nelayan", "nelayan", false),
            node("PKK", "perempuan", true),
            node("Difabel", "disabilitas", true),
            node("Karang Taruna", "pemuda", false),
        ];
        let f = figures(&nodes, &[tie(0, 1), tie(1, 2), tie(3, 4)]);
        assert_eq!(f.degree, vec![1, 2, 1, 1, 1, 0]);
        assert_eq!(
            f.betweenness[1], 10,
            "Tani bridges BPD and Nelayan: 1 of 10 pairs"
        );
        assert!(f.betweenness[1] > f.betweenness[0]);
        assert_eq!(f.isolated, vec![5]);
        assert_eq!(f.vulnerable_cut_off, vec![3, 4]);
        // Tie PKK to Tani: now it reaches the BPD through the farmers.
        let f = figures(&nodes, &[tie(0, 1), tie(1, 2), tie(3, 4), tie(3, 1)]);
        assert!(f.vulnerable_cut_off.is_empty());
    }

    #[test]
    fn the_layout_is_stable_and_inside_the_square() {
        let ties = [tie(0, 1), tie(1, 2), tie(2, 3), tie(3, 0), tie(0, 4)];
        let a = layout(6, &ties, 320.0);
        let b = layout(6, &ties, 320.0);
        assert_eq!(a, b, "the same network is drawn the same way");
        assert!(
            a.iter()
                .all(|(x, y)| (0.0..=320.0).contains(x) && (0.0..=320.0).contains(y))
        );
        let close =
            |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(
            close(0, 4) < close(5, 4),
            "tied nodes are drawn nearer than strangers"
        );
        assert_eq!(layout(0, &[], 320.0), vec![]);
        assert_eq!(layout(1, &[], 320.0), vec![(160.0, 160.0)]);
    }

    #[test]
    fn a_relation_names_a_group_of_this_village_or_an_outside_party_never_itself() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let groups = [a, b];
        let form = |from: Uuid, to: &str| RelationForm {
            from: from.to_string(),
            to: to.into(),
            stance: "supports".into(),
            ..RelationForm::default()
        };
        assert_eq!(
            form(a, &b.to_string()).validate(&groups, 2026).unwrap().to,
            Other::Group(b)
        );
        let e = form(a, &a.to_string()).validate(&groups, 2026).unwrap_err();
        assert_eq!(e.get("to"), Some("error.relation_to_itself"));
        let e = form(a, &Uuid::new_v4().to_string())
            .validate(&groups, 2026)
            .unwrap_err();
        assert_eq!(e.get("to"), Some("error.group_of_village"));
        let outside = RelationForm {
            outside_name: "Universitas Jenderal Soedirman".into(),
            outside_kind: "lainnya".into(),
            form: "cooperation".into(),
            since_year: "2019".into(),
            ..form(a, "")
        }
        .validate(&groups, 2026)
        .unwrap();
        assert!(matches!(outside.to, Other::Outside { .. }));
        let e = RelationForm {
            stance: "hates".into(),
            since_year: "3000".into(),
            ..form(a, "")
        }
        .validate(&groups, 2026)
        .unwrap_err();
        for field in ["outside_name", "outside_kind", "stance", "since_year"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_coalition_has_a_coordinator_and_an_end_and_nothing_else_does() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let groups = [a, b];
        let tie = |form: &str, coordinator: &str, ends_on: &str| RelationForm {
            from: a.to_string(),
            to: b.to_string(),
            stance: "supports".into(),
            form: form.into(),
            since_year: "2025".into(),
            coordinator: coordinator.into(),
            ends_on: ends_on.into(),
            reason: "Sama-sama mengurus air".into(),
            ..RelationForm::default()
        };
        let ok = tie("coalition", "Bu Warsini", "2026-12-31")
            .validate(&groups, 2026)
            .unwrap();
        let c = ok.coalition.unwrap();
        assert_eq!(c.coordinator, "Bu Warsini");
        assert_eq!(ok.reason.as_deref(), Some("Sama-sama mengurus air"));
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert!(holds(Some(c.ends_on), day("2026-12-31")));
        assert!(!holds(Some(c.ends_on), day("2027-01-01")));
        assert!(holds(None, day("2090-01-01")));
        let e = tie("coalition", "", "")
            .validate(&groups, 2026)
            .unwrap_err();
        assert_eq!(e.get("coordinator"), Some("error.required"));
        assert_eq!(e.get("ends_on"), Some("error.coalition_end"));
        let e = tie("coalition", "Bu Warsini", "2024-06-30")
            .validate(&groups, 2026)
            .unwrap_err();
        assert_eq!(e.get("ends_on"), Some("error.ends_before_start"));
        let e = tie("coalition", "Bu Warsini", "31/12/2026")
            .validate(&groups, 2026)
            .unwrap_err();
        assert_eq!(e.get("ends_on"), Some("error.date"));
        let e = tie("alliance", "Bu Warsini", "2026-12-31")
            .validate(&groups, 2026)
            .unwrap_err();
        assert_eq!(e.get("coordinator"), Some("error.coalition_only"));
        assert_eq!(e.get("ends_on"), Some("error.coalition_only"));
        assert!(
            tie("alliance", "", "")
                .validate(&groups, 2026)
                .unwrap()
                .coalition
                .is_none()
        );
    }

    #[test]
    fn spread_parties_never_sit_on_each_other() {
        // Thirty parties piled on one spot, and a pair a little too close.
        let piled = spread(vec![(160.0, 160.0); 30], MIN_APART, 19.2, 300.8);
        let close = spread(vec![(100.0, 100.0), (110.0, 100.0)], MIN_APART, 19.2, 300.8);
        for pos in [piled, close] {
            for (i, a) in pos.iter().enumerate() {
                assert!((19.2..=300.8).contains(&a.0) && (19.2..=300.8).contains(&a.1));
                for b in &pos[i + 1..] {
                    let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                    assert!(d >= MIN_APART - 0.001, "{a:?} {b:?} are {d} apart");
                }
            }
        }
        // Already apart: nothing moves.
        let apart = vec![(50.0, 50.0), (200.0, 200.0)];
        assert_eq!(spread(apart.clone(), MIN_APART, 19.2, 300.8), apart);
    }
}
