//! The locale files and the pages agree: every locale has every key, with the same interpolated values, and no
//! page writes words of its own outside them (a text written in `ui/` would show in English on every page).

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every key of a locale file (`namespace.key`) with the names interpolated in its text (`{{ name }}`).
fn keys(locale: &str) -> BTreeMap<String, BTreeSet<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(format!("{locale}.json"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut found = BTreeMap::new();
    flatten("", &json, &mut found);
    found
}

fn flatten(prefix: &str, value: &serde_json::Value, found: &mut BTreeMap<String, BTreeSet<String>>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&name, value, found);
            }
        }
        serde_json::Value::String(text) => {
            let names = text
                .split("{{")
                .skip(1)
                .filter_map(|rest| rest.split_once("}}"))
                .map(|(name, _)| name.trim().to_owned())
                .collect();
            found.insert(prefix.to_owned(), names);
        }
        other => panic!("{prefix}: a locale value is text, not {other}"),
    }
}

#[test]
fn every_locale_has_every_key_with_the_same_values_to_fill_in() {
    let english = keys("en");
    assert!(english.len() > 300, "the English file was read: {} keys", english.len());
    for locale in ["es", "pt"] {
        let other = keys(locale);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{locale}: missing {missing:?}, not in English {extra:?}");
        for (key, names) in &english {
            assert_eq!(&other[key], names, "{locale}.{key} fills in other values than English");
        }
    }
}

/// Text a page may write itself: separators, and units the three languages share.
const NOT_WORDS: &[&str] = &["km", "KB", "ref"];

#[test]
fn the_scan_finds_text_among_a_views_children_only() {
    let source = r#"view! { <p>"Hello"</p> {n} " nights" {x} <a href="/x">{t!(i18n, a.b)}</a> } format!("{}", y)"#;
    let texts: Vec<String> = text_children(source).into_iter().map(|(t, _)| t).collect();
    assert_eq!(texts, ["Hello", " nights"]);
}

#[test]
fn pages_write_no_words_outside_the_locale_files() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("ui");
    let (mut found, mut seen) = (Vec::new(), 0);
    for entry in std::fs::read_dir(&ui).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for (text, line) in text_children(&source) {
            seen += 1;
            let words =
                text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty() && !NOT_WORDS.contains(w)).count();
            if words > 0 {
                found.push(format!("{}:{line}: {text:?}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(seen > 20, "the scan finds the pages' separators (\" · \" and the like): {seen}");
    assert!(found.is_empty(), "words written in ui/ rather than taken from locales/:\n{}", found.join("\n"));
}

/// String literals that stand as text among a view's children: after a tag or an expression block, before a tag
/// or another block (`<p>"Hello"</p>`, `{n} " nights" {x}`). Returns each with its line.
fn text_children(source: &str) -> Vec<(String, usize)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Comments and character literals are skipped; a string literal is read whole.
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if bytes[i] == b'\'' && bytes.get(i + 2) == Some(&b'\'') {
            i += 3;
            continue;
        }
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = i.min(bytes.len());
        i += 1;
        let before = source[..start].trim_end().chars().last();
        let after = source[(end + 1).min(source.len())..].trim_start().chars().next();
        if matches!(before, Some('>' | '}')) && matches!(after, Some('<' | '{')) {
            let line = source[..start].matches('\n').count() + 1;
            found.push((source[start + 1..end].to_owned(), line));
        }
    }
    found
}
