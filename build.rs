//! Embeds the catalogue: every `locales/<code>.ftl` becomes one language, so adding a
//! language means adding a file. Bahasa Indonesia comes first (the default), English
//! second, any other language after them in the order of its code.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut codes: Vec<String> = std::fs::read_dir(&dir)
        .expect("locales/ holds the catalogue")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "ftl").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    let rank = |c: &str| match c {
        "id" => 0,
        "en" => 1,
        _ => 2,
    };
    codes.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    assert!(
        codes.starts_with(&["id".to_string(), "en".to_string()]),
        "locales/ needs id.ftl and en.ftl"
    );
    let mut out = String::from(
        "/// (language code, Fluent source), Bahasa Indonesia first.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for code in &codes {
        let path = dir.join(format!("{code}.ftl"));
        writeln!(
            out,
            "    ({code:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("locales.rs");
    std::fs::write(target, out).unwrap();
}
