//! Languages and the translation catalogue. Every user-visible sentence is data: one
//! Fluent file per language in `locales/` (`id.ftl` is Bahasa Indonesia, the default;
//! `en.ftl` English), embedded at build time by `build.rs`. A translator edits a file,
//! never Rust; adding a language is adding a file (see README.md, "Adding a language").
//!
//! A key in the code (`nav.login`) is written with dashes in the file (`nav-login`),
//! because Fluent names cannot hold dots. Sentences without variables are rendered once
//! at start-up, so a page's hundreds of lookups stay plain map reads; sentences with
//! numbers (`{ $count }`, plural forms) are formatted per call through Fluent.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::domain::money::group_thousands;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// One language of the catalogue, by its place in [`FILES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lang(u8);

impl Lang {
    /// Bahasa Indonesia, the default, and the language of every official document.
    pub const ID: Lang = Lang(0);
    /// English, for the command line and readers who choose it.
    pub const EN: Lang = Lang(1);

    /// Every language the catalogue has, Bahasa Indonesia first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGUAGES.len()).map(|i| Lang(i as u8))
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::all().find(|l| l.code() == code)
    }

    pub fn code(self) -> &'static str {
        self.language().code
    }

    /// The language's name in itself (`Bahasa Indonesia`, `English`), for the switcher.
    pub fn name(self) -> &'static str {
        self.t("language.name")
    }

    /// The languages a reader of this one may switch to.
    pub fn others(self) -> impl Iterator<Item = Lang> {
        Lang::all().filter(move |l| *l != self)
    }

    fn language(self) -> &'static Language {
        &LANGUAGES[self.0 as usize]
    }

    /// A sentence without numbers. A key this language lacks falls back to Bahasa
    /// Indonesia; a key no language has shows itself, so a gap is visible, never a crash
    /// (the catalogue tests keep both from happening).
    pub fn t(self, key: &str) -> &'static str {
        self.get(key).unwrap_or_else(|| missing(key))
    }

    /// A sentence if the catalogue has it (in this language or the default one).
    pub fn get(self, key: &str) -> Option<&'static str> {
        self.language()
            .texts
            .get(key)
            .or_else(|| Lang::ID.language().texts.get(key))
            .copied()
    }

    /// A sentence with its numbers filled in, by name: `format("feedback.shown_of",
    /// &[("shown", 3), ("total", 12)])`. Numbers read with thousands grouped, and plural
    /// forms follow the language's rules.
    pub fn format(self, key: &str, args: &[(&str, i64)]) -> String {
        let id = key.replace('.', "-");
        let Some((bundle, message)) = [self, Lang::ID].into_iter().find_map(|l| {
            let bundle = &l.language().bundle;
            bundle.get_message(&id).map(|m| (bundle, m))
        }) else {
            return missing(key).to_string();
        };
        let Some(pattern) = message.value() else {
            return missing(key).to_string();
        };
        let mut values = FluentArgs::new();
        for (name, n) in args {
            values.set(*name, *n);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&values), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation needs other values");
        }
        text.into_owned()
    }

    /// A count and the word it counts, in the right plural form: `3 dukungan`,
    /// `1 support`. The message reads the number as `$count`.
    pub fn count(self, key: &str, n: i64) -> String {
        self.format(key, &[("count", n)])
    }

    /// A whole number grouped by thousands as this language writes it: `3.018` in Bahasa
    /// Indonesia, `3,018` in English (the file's `language-thousands`).
    pub fn number(self, n: i64) -> String {
        group_with(n, self.language().thousands)
    }
}

/// `3018` with `,` → `3,018`.
fn group_with(n: i64, separator: char) -> String {
    let dotted = group_thousands(n);
    if separator == '.' {
        dotted
    } else {
        dotted.replace('.', &separator.to_string())
    }
}

struct Language {
    code: &'static str,
    bundle: FluentBundle<&'static FluentResource>,
    /// Code key → text, for every message without variables.
    texts: HashMap<&'static str, &'static str>,
    /// Between groups of thousands in a number: `.` or `,`.
    thousands: char,
}

static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(code, source)| load(code, source))
        .collect()
});

/// Parses one language's file (the tests make sure each parses cleanly) and renders its
/// plain sentences once.
fn load(code: &'static str, source: &str) -> Language {
    let resource: &'static FluentResource = Box::leak(Box::new(
        match FluentResource::try_new(source.to_string()) {
            Ok(r) => r,
            Err((r, errors)) => {
                tracing::error!(code, ?errors, "the catalogue has syntax errors");
                r
            }
        },
    ));
    let langid = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    let thousands = thousands_of(resource);
    bundle.set_formatter(Some(if thousands == ',' {
        grouped_by_comma
    } else {
        grouped
    }));
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(code, ?errors, "the catalogue has duplicate keys");
    }
    let mut texts = HashMap::new();
    for id in message_ids(resource) {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        if has_variables(pattern) {
            continue;
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, None, &mut errors);
        let key: &'static str = Box::leak(id.replace('-', ".").into_boxed_str());
        texts.insert(key, &*Box::leak(text.into_owned().into_boxed_str()));
    }
    Language {
        code,
        bundle,
        texts,
        thousands,
    }
}

fn message_ids(resource: &'static FluentResource) -> impl Iterator<Item = &'static str> {
    resource.entries().filter_map(|e| match e {
        ast::Entry::Message(m) => Some(m.id.name),
        _ => None,
    })
}

fn has_variables(pattern: &ast::Pattern<&str>) -> bool {
    pattern.elements.iter().any(|e| {
        matches!(
            e,
            ast::PatternElement::Placeable {
                expression: ast::Expression::Select { .. }
                    | ast::Expression::Inline(ast::InlineExpression::VariableReference { .. })
            }
        )
    })
}

/// Numbers in sentences read like numbers elsewhere on the page: `4.120`.
fn grouped<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 => Some(group_thousands(n.value as i64)),
        _ => None,
    }
}

/// The same, for a language that groups with commas: `4,120`.
fn grouped_by_comma<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 => Some(group_with(n.value as i64, ',')),
        _ => None,
    }
}

/// The language's thousands separator, from its `language-thousands` message (`.` unless
/// it says `,`).
fn thousands_of(resource: &FluentResource) -> char {
    resource
        .entries()
        .find_map(|e| match e {
            ast::Entry::Message(m) if m.id.name == "language-thousands" => m.value.as_ref(),
            _ => None,
        })
        .and_then(|p| match p.elements.as_slice() {
            [ast::PatternElement::TextElement { value }] => value.trim().chars().next(),
            _ => None,
        })
        .filter(|c| *c == ',')
        .unwrap_or('.')
}

/// A key no language has: logged, and shown as itself. Keys come from the code, not from
/// visitors, so the set stays small; it is capped all the same.
fn missing(key: &str) -> &'static str {
    tracing::warn!(key, "missing translation");
    static SHOWN: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Default::default);
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = shown.get(key) {
        return k;
    }
    if shown.len() >= 256 {
        return "…";
    }
    let k: &'static str = Box::leak(key.to_string().into_boxed_str());
    shown.insert(k);
    k
}

/// The catalogue's own copy of `key`, for keys kept across requests (a one-time notice).
pub fn static_key(key: &str) -> Option<&'static str> {
    Lang::ID
        .language()
        .texts
        .get_key_value(key)
        .map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain;

    fn keys(lang: Lang) -> HashSet<&'static str> {
        let (_, source) = FILES[lang.0 as usize];
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("{}.ftl does not parse: {e:?}", lang.code()));
        let ids: Vec<String> = resource
            .entries()
            .filter_map(|e| match e {
                ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        let unique: HashSet<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(unique.len(), ids.len(), "{}.ftl repeats a key", lang.code());
        ids.iter()
            .map(|id| {
                let key = id.replace('-', ".");
                static_key(&key).unwrap_or_else(|| Box::leak(key.into_boxed_str()))
            })
            .collect()
    }

    #[test]
    fn every_language_parses_and_has_every_key() {
        let default = keys(Lang::ID);
        assert!(default.len() > 1000, "the catalogue is loaded");
        for lang in Lang::all() {
            let own = keys(lang);
            let lacking: Vec<_> = default.difference(&own).collect();
            let extra: Vec<_> = own.difference(&default).collect();
            assert!(
                lacking.is_empty() && extra.is_empty(),
                "{}.ftl lacks {lacking:?} and has keys Bahasa Indonesia lacks: {extra:?}",
                lang.code()
            );
            for key in &own {
                let text = lang.get(key).map(str::to_string);
                let text = text.unwrap_or_else(|| lang.format(key, &[]));
                assert!(!text.trim().is_empty(), "{}: {key} is empty", lang.code());
            }
        }
    }

    /// The keys built while a page renders (`tk("status", code)`, `month.{m}`): every code
    /// the domain can produce has a sentence, in every language.
    fn run_time_keys() -> Vec<(&'static str, Vec<String>)> {
        use domain::meeting::{
            Decision, Kind, MajorityRule, MeetingStatus, Method, QuorumRule, ScanLabel,
        };
        fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<String> {
            all.iter().map(|x| code(*x).to_string()).collect()
        }
        fn list(all: &[&str]) -> Vec<String> {
            all.iter().map(|c| c.to_string()).collect()
        }
        let numbers = |r: std::ops::RangeInclusive<u32>| r.map(|n| n.to_string()).collect();
        let levels = codes(&domain::proposal::Level::ALL, domain::proposal::Level::code);
        let sources = list(&domain::apbdes::SOURCES);
        vec![
            (
                "amend_ground",
                codes(
                    &domain::plan::AmendGround::ALL,
                    domain::plan::AmendGround::code,
                ),
            ),
            (
                "amend_ground.law",
                codes(
                    &domain::plan::AmendGround::ALL,
                    domain::plan::AmendGround::code,
                ),
            ),
            (
                "calendar.stage",
                codes(
                    &domain::calendar::StageKind::ALL,
                    domain::calendar::StageKind::code,
                ),
            ),
            (
                "calendar.state",
                list(&["done", "done_late", "due", "late"]),
            ),
            ("dana_desa.need", list(&["min", "max"])),
            (
                "plan_eval.outcome",
                list(&["done", "underway", "not_started"]),
            ),
            ("authority", list(&domain::apbdes::AUTHORITIES)),
            (
                "bidang",
                codes(
                    &domain::proposal::Bidang::ALL,
                    domain::proposal::Bidang::code,
                ),
            ),
            (
                "bidang_plain",
                codes(
                    &domain::proposal::Bidang::ALL,
                    domain::proposal::Bidang::code,
                ),
            ),
            (
                "sub_bidang_plain",
                domain::proposal::SUB_BIDANG
                    .iter()
                    .map(|(code, _)| code.to_string())
                    .collect(),
            ),
            ("affects", list(&domain::need::AFFECTS)),
            ("cadre_role", list(&domain::cadre::ROLES)),
            ("bound", list(&["min", "max"])),
            ("channel", list(&domain::proposal::CHANNELS)),
            ("contribution", list(&domain::ladder::CONTRIBUTIONS)),
            (
                "delivery",
                codes(
                    domain::ladder::Delivery::ALL,
                    domain::ladder::Delivery::code,
                ),
            ),
            ("decision", codes(Decision::ALL, Decision::code)),
            ("du_rkp_answer", list(&domain::plan::ANSWERS)),
            (
                "event",
                codes(
                    domain::proposal::EventKind::ALL,
                    domain::proposal::EventKind::code,
                ),
            ),
            ("feedback_kind", list(&["comment", "concern", "support"])),
            (
                "heard",
                codes(domain::rating::Heard::ALL, domain::rating::Heard::code),
            ),
            ("rating_channel", list(&["online", "paper"])),
            // Error pages fall back to a generic title, so these are the ones written.
            (
                "error.page",
                list(&[
                    "400", "403", "404", "405", "409", "413", "415", "422", "429", "500", "generic",
                ]),
            ),
            ("focus", list(&domain::dana_desa::FOCI)),
            ("funding", sources.clone()),
            ("funding_short", sources),
            ("group_role", list(&domain::group::ROLES)),
            ("info_channel", list(&domain::ladder::CHANNELS)),
            ("kind", list(&domain::group::GROUP_KINDS)),
            ("level", levels.clone()),
            ("level_promise", levels),
            (
                "majority_rule",
                codes(MajorityRule::ALL, MajorityRule::code),
            ),
            ("meeting_kind", codes(Kind::ALL, Kind::code)),
            ("meeting_kind_formal", codes(Kind::ALL, Kind::code)),
            (
                "meeting_status",
                codes(MeetingStatus::ALL, MeetingStatus::code),
            ),
            ("method", codes(Method::ALL, Method::code)),
            ("month", numbers(1..=12)),
            (
                "opening",
                list(&[
                    "no_quorum_needed",
                    "quorate",
                    "with_those_present",
                    "awaiting_quorum",
                    "postponed",
                    "rescheduled",
                ]),
            ),
            ("outside_kind", list(&domain::network::OUTSIDE_KINDS)),
            ("bond", list(&domain::mapping::BONDS)),
            ("change", list(&domain::mapping::CHANGES)),
            ("acts_beyond", list(&domain::mapping::ACTS_BEYOND)),
            ("mapping_q", numbers(1..=7)),
            ("pattern", list(&domain::apbdes::PATTERNS)),
            ("pelaksana", list(&domain::apbdes::PELAKSANA)),
            ("placement", list(&["rkp", "rpjm", "du_rkp", "incomplete"])),
            (
                "plan_status",
                list(&["draft", "tabled", "agreed", "adopted"]),
            ),
            ("quorum_rule", codes(QuorumRule::ALL, QuorumRule::code)),
            ("rab", list(&domain::apbdes::RAB)),
            ("relation", list(&domain::group::RELATIONS)),
            ("relation_form", list(&domain::network::FORMS)),
            (
                "role",
                codes(&domain::account::Role::ALL, domain::account::Role::as_str),
            ),
            ("scan_label", codes(ScanLabel::ALL, ScanLabel::code)),
            ("stance", list(&domain::network::STANCES)),
            (
                "status",
                codes(
                    &domain::proposal::Status::ALL,
                    domain::proposal::Status::code,
                ),
            ),
            ("tim.role", list(&domain::tim::ROLES)),
            (
                "tz",
                codes(
                    &domain::village::Timezone::ALL,
                    domain::village::Timezone::code,
                ),
            ),
            ("weekday", numbers(0..=6)),
        ]
    }

    #[test]
    fn every_key_built_at_run_time_exists_in_every_language() {
        let mut missing = Vec::new();
        for (prefix, codes) in run_time_keys() {
            for code in codes {
                let key = format!("{prefix}.{code}");
                for lang in Lang::all() {
                    if !lang.language().texts.contains_key(key.as_str()) {
                        missing.push(format!("{}: {key}", lang.code()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "run-time keys missing:\n{}",
            missing.join("\n")
        );
    }

    /// Every prefix the code builds keys from is in the list above, so a new one cannot
    /// slip past the check.
    #[test]
    fn every_run_time_prefix_is_checked() {
        let known: HashSet<&str> = run_time_keys().into_iter().map(|(p, _)| p).collect();
        let mut unknown = Vec::new();
        for file in source_files() {
            let text = std::fs::read_to_string(&file).unwrap();
            let built = text
                .split("tk(\"")
                .skip(1)
                .chain(text.split("format!(\"").skip(1))
                .filter_map(|part| {
                    let literal = part.split('"').next()?;
                    let prefix = literal
                        .strip_suffix(".{}")
                        .or_else(|| literal.find(".{").map(|i| &literal[..i]));
                    match prefix {
                        Some(p) => Some(p.to_string()),
                        None if part.starts_with(literal) && !literal.contains(['{', ' ', '/']) => {
                            // tk("prefix", …)
                            Some(literal.to_string())
                                .filter(|_| part[literal.len()..].starts_with("\", "))
                        }
                        None => None,
                    }
                });
            for prefix in built {
                if catalogue_prefix(&prefix) && !known.contains(prefix.as_str()) {
                    unknown.push(format!("{}: {prefix}", file.display()));
                }
            }
        }
        assert!(
            unknown.is_empty(),
            "run-time key prefixes the test does not check:\n{}",
            unknown.join("\n")
        );
    }

    /// Whether some catalogue key starts with `prefix.`.
    fn catalogue_prefix(prefix: &str) -> bool {
        let dotted = format!("{prefix}.");
        Lang::ID
            .language()
            .texts
            .keys()
            .any(|k| k.starts_with(&dotted))
            || prefix == "ladder.cond"
    }

    fn source_files() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["templates", "src", "crates/domain/src"] {
            collect(&root.join(dir), &mut files);
        }
        files
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        // Keys are written as .t("…"), .count("…") and .format("…") in templates and code,
        // and as "error.…"/"plan.…" catalogue keys handed around in code.
        let mut missing = Vec::new();
        for file in source_files() {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut used = Vec::new();
            for call in [".t(\"", ".count(\"", "ctx.format(\"", ".flash(\""] {
                for part in text.split(call).skip(1) {
                    used.push(part.split('"').next().unwrap().to_string());
                }
            }
            for prefix in ["error.", "plan."] {
                for part in text.split(&format!("\"{prefix}")).skip(1) {
                    let key = format!("{prefix}{}", part.split('"').next().unwrap());
                    if !key.ends_with('.') && !key.contains('{') {
                        used.push(key);
                    }
                }
            }
            for key in used {
                let known = Lang::ID.get(&key).is_some()
                    || Lang::ID
                        .language()
                        .bundle
                        .has_message(&key.replace('.', "-"));
                if !known {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalogue:\n{}",
            missing.join("\n")
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "html" || e == "rs")
                && !path.ends_with("i18n.rs")
            {
                out.push(path);
            }
        }
    }

    #[test]
    fn languages_differ_and_unknown_keys_show_themselves() {
        assert_eq!(Lang::ID.t("nav.login"), "Masuk");
        assert_eq!(Lang::EN.t("nav.login"), "Log in");
        assert_eq!(Lang::EN.get("no.such.key"), None);
        assert_eq!(Lang::EN.t("no.such.key"), "no.such.key");
        assert_eq!(Lang::parse("en"), Some(Lang::EN));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::ID.name(), "Bahasa Indonesia");
        let others: Vec<&str> = Lang::ID.others().map(Lang::name).collect();
        assert!(others.contains(&"English") && !others.contains(&"Bahasa Indonesia"));
    }

    #[test]
    fn counts_take_the_languages_plural_forms() {
        assert_eq!(Lang::EN.count("proposal.supports", 1), "1 support");
        assert_eq!(Lang::EN.count("proposal.supports", 2), "2 supports");
        assert_eq!(Lang::EN.count("home.count", 1), "1 village");
        assert_eq!(Lang::EN.count("home.count", 0), "0 villages");
        assert_eq!(Lang::ID.count("proposal.supports", 1), "1 dukungan");
        assert_eq!(Lang::ID.count("village.people", 4120), "4.120 jiwa");
        assert_eq!(Lang::EN.count("village.people", 1), "1 person");
        assert_eq!(
            Lang::EN.format("feedback.shown_of", &[("shown", 1), ("total", 1)]),
            "Showing 1 of 1 entry."
        );
        assert_eq!(
            Lang::ID.format("feedback.shown_of", &[("shown", 20), ("total", 1250)]),
            "Menampilkan 20 dari 1.250 tanggapan."
        );
    }

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(Lang::ID.number(3018), "3.018");
        assert_eq!(Lang::EN.number(3018), "3,018");
        assert_eq!(Lang::EN.number(999), "999");
        assert_eq!(Lang::EN.number(-1_234_567), "-1,234,567");
        assert_eq!(Lang::ID.count("stats.hours", 1200), "1.200 jam");
        assert_eq!(Lang::EN.count("stats.hours", 1200), "1,200 hours");
        assert_eq!(Lang::EN.count("stats.minutes", 1), "1 minute");
    }
}
