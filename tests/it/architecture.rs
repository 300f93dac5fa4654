//! The shape of the code, checked like behaviour (see `docs/architecture.md`): the three
//! rooms keep their doors one way, and no two modules import each other, directly or
//! round a circle. Read from the source files, so a new file is checked without being
//! listed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rustworkx_core::petgraph::algo::tarjan_scc;
use rustworkx_core::petgraph::graph::DiGraph;

/// Every module of `src/` and of the domain crate (`crates/domain/src`, re-exported as
/// `domain`) by its path (`web::proposals::page`), with its source. In the domain crate,
/// `crate::` is read as `crate::domain::`, as the library sees it.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = BTreeMap::new();
    for (root, room) in [
        (manifest.join("src"), None),
        (manifest.join("crates/domain/src"), Some("domain")),
    ] {
        let mut files = Vec::new();
        walk(&root, &mut files);
        // The binary's root is a crate of its own, reaching the library as `musdes::`.
        for file in files.into_iter().filter(|f| f != &root.join("main.rs")) {
            let rel = file
                .strip_prefix(&root)
                .expect("under its root")
                .with_extension("");
            let mut parts: Vec<String> = room.into_iter().map(String::from).collect();
            parts.extend(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned()),
            );
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            let mut text = without_comments(&std::fs::read_to_string(&file).expect("readable"));
            if room.is_some() {
                text = text.replace("crate::", "crate::domain::");
            }
            found.insert(parts.join("::"), text);
        }
    }
    found
}

fn without_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a module names through `crate::`, `super::` or `self::`, with `{a, b::c}`
/// groups spelled out one level deep: `super::page::{Ctx, Viewer}` gives
/// `super::page::Ctx` and `super::page::Viewer`.
fn named_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = ["crate::", "super::", "self::"].iter().find(|p| {
            let p: Vec<char> = p.chars().collect();
            chars[i..].starts_with(&p) && (i == 0 || !is_ident(chars[i - 1]))
        });
        let Some(_) = starts else {
            i += 1;
            continue;
        };
        let mut end = i;
        while end < chars.len() && (is_ident(chars[end]) || chars[end] == ':') {
            end += 1;
        }
        let prefix: String = chars[i..end].iter().collect();
        if end < chars.len() && chars[end] == '{' {
            let close = chars[end..]
                .iter()
                .position(|c| *c == '}')
                .map_or(chars.len(), |p| end + p);
            let inner: String = chars[end + 1..close].iter().collect();
            for item in inner.split(',') {
                let item: String = item
                    .trim()
                    .chars()
                    .take_while(|c| is_ident(*c) || *c == ':')
                    .collect();
                if !item.is_empty() {
                    found.push(format!("{prefix}{item}"));
                }
            }
            i = close;
        } else {
            found.push(prefix.trim_end_matches(':').to_string());
            i = end;
        }
    }
    found
}

/// The module a path leads into, as seen from module `from`.
fn resolve(from: &str, path: &str, known: &BTreeMap<String, String>) -> Option<String> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let mut base: Vec<&str> = match segments.next()? {
        "crate" => Vec::new(),
        "self" => from.split("::").filter(|s| !s.is_empty()).collect(),
        "super" => {
            let mut b: Vec<&str> = from.split("::").filter(|s| !s.is_empty()).collect();
            b.pop();
            b
        }
        _ => return None,
    };
    let mut rest: Vec<&str> = Vec::new();
    for s in segments {
        if s == "super" && rest.is_empty() {
            base.pop();
        } else {
            rest.push(s);
        }
    }
    base.extend(rest);
    (1..=base.len())
        .rev()
        .map(|n| base[..n].join("::"))
        .find(|m| known.contains_key(m))
}

/// Which modules each module imports, leaving out its own ancestors and descendants (a
/// folder's `mod.rs` declares its children; a child may use what its parent shares).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let known = modules();
    known
        .iter()
        .map(|(module, text)| {
            let related = |other: &str| {
                other == module
                    || module.is_empty()
                    || other.is_empty()
                    || module.starts_with(&format!("{other}::"))
                    || other.starts_with(&format!("{module}::"))
            };
            let targets = named_paths(text)
                .iter()
                .filter_map(|p| resolve(module, p, &known))
                .filter(|t| !related(t))
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

#[test]
fn no_two_modules_import_each_other_even_round_a_circle() {
    let imports = imports();
    let mut graph = DiGraph::<&str, ()>::new();
    let nodes: BTreeMap<&str, _> = imports
        .keys()
        .map(|m| (m.as_str(), graph.add_node(m.as_str())))
        .collect();
    for (from, targets) in &imports {
        for to in targets {
            graph.add_edge(nodes[from.as_str()], nodes[to.as_str()], ());
        }
    }
    let circles: Vec<Vec<&str>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut names: Vec<&str> = c.iter().map(|n| graph[*n]).collect();
            names.sort_unstable();
            names
        })
        .collect();
    assert!(
        circles.is_empty(),
        "modules importing each other: {circles:?}"
    );
}

#[test]
fn the_rooms_open_one_way() {
    let room = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let mut wrong = Vec::new();
    for (from, targets) in imports() {
        for to in targets {
            let allowed = match room(&from).as_str() {
                // Pure rules: nothing of storage, HTTP or the tools built on them.
                "domain" => room(&to) == "domain",
                // Storage never reaches up into the web.
                "store" => room(&to) != "web",
                _ => true,
            };
            if !allowed {
                wrong.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "doors opened the wrong way: {wrong:?}");
}

#[test]
fn the_domain_holds_no_sql_http_or_async() {
    let offending: Vec<String> = modules()
        .into_iter()
        .filter(|(m, _)| m.starts_with("domain"))
        .filter(|(_, text)| {
            ["sqlx::", "axum::", "tokio::", "async fn"]
                .iter()
                .any(|w| text.contains(w))
        })
        .map(|(m, _)| m)
        .collect();
    assert!(
        offending.is_empty(),
        "domain modules with SQL, HTTP or async: {offending:?}"
    );
    assert!(
        modules().contains_key("domain::proposal"),
        "the domain crate is read"
    );
    // Nor can it reach them: its manifest names no database, web or runtime crate.
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/domain/Cargo.toml"),
    )
    .expect("the domain crate's manifest");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a dependencies table");
    for forbidden in ["sqlx", "axum", "tokio", "tower", "askama", "hyper"] {
        assert!(
            !deps.lines().any(|l| l.trim_start().starts_with(forbidden)),
            "the domain crate depends on {forbidden}"
        );
    }
}

#[test]
fn the_checker_sees_an_import_in_a_group() {
    let paths =
        named_paths("use super::page::{Ctx, Viewer};\nlet x = crate::web::filters::rupiah(y);");
    assert_eq!(
        paths,
        [
            "super::page::Ctx",
            "super::page::Viewer",
            "crate::web::filters::rupiah"
        ]
    );
}

/// Every path lives in `web/paths.rs`: none is written anywhere else, in a route, a
/// handler, a redirect, a JSON link or a template. A village's paths are caught by their
/// `/desa/{` (built from parts); the installation's own by their first segment.
#[test]
fn paths_are_written_only_in_paths_rs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                out.push(path);
            }
        }
    }
    walk(&root.join("src/web"), &mut files);
    walk(&root.join("templates"), &mut files);
    const SPELLED: &[&str] = &[
        "/desa/{",
        "\"/admin",
        "\"/statistik",
        "\"/kecamatan",
        "\"/verifikasi",
        "\"/daftar",
        "\"/lupa-sandi",
        "\"/lacak",
        "\"/akun",
        "\"/masuk",
        "\"/keluar",
        "\"/healthz",
        "\"/api/v1/kunci",
    ];
    let mut spelled = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("paths.rs")) {
        let text = without_comments(&std::fs::read_to_string(file).expect("readable"));
        // Unit tests name example paths (`"/admin/desa"` is not cached); they build none.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for pattern in SPELLED {
            for (at, _) in text.match_indices(pattern) {
                let line = text[..at].matches('\n').count() + 1;
                spelled.push(format!("{}:{line}: {pattern}", file.display()));
            }
        }
    }
    assert!(
        spelled.is_empty(),
        "paths spelled out instead of taken from web/paths.rs:\n{}",
        spelled.join("\n")
    );
}
