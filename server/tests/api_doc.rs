//! docs/API.md against the code: its table of server functions names exactly the registered functions, each with
//! its method and exactly the parameters it reads. A function added, renamed or given a new parameter without
//! the document changing fails here.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure panics with its cause")]

use std::collections::{BTreeMap, BTreeSet};

/// One row of the table: method, path, parameter names (top level, `?` and `[…]` stripped).
#[derive(Debug)]
struct Row {
    method: String,
    path: String,
    parameters: BTreeSet<String>,
}

fn documented() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/API.md")).unwrap();
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("| method | path | parameters |") {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split(" | ").map(|c| c.trim_matches(|ch| ch == '|' || ch == ' ')).collect();
        assert!(cells.len() >= 5, "a row of the server-function table needs 5 cells: {line}");
        let path = cells[1].trim_matches('`').to_owned();
        assert!(!path.contains('?'), "{path}: parameters go in their own column");
        let parameters = if cells[2] == "—" {
            BTreeSet::new()
        } else {
            cells[2]
                .split(',')
                .map(|p| {
                    let name = p.trim().trim_end_matches('?').trim_matches('`');
                    name.split(['[', '`']).next().unwrap().to_owned()
                })
                .collect()
        };
        rows.push(Row { method: cells[0].to_owned(), path, parameters });
    }
    assert!(rows.len() > 40, "the server-function table was not found in docs/API.md ({} rows)", rows.len());
    rows
}

#[test]
fn the_api_document_lists_every_server_function_with_its_method_and_parameters() {
    let rows = documented();
    let registered: BTreeMap<String, String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method.to_string()))
        .collect();
    let listed: BTreeMap<&str, &[&str]> =
        app::api::registry::endpoints().iter().map(|e| (e.path, e.parameters)).collect();

    let documented_paths: BTreeSet<&str> = rows.iter().map(|r| r.path.as_str()).collect();
    let registered_paths: BTreeSet<&str> = registered.keys().map(String::as_str).collect();
    assert_eq!(rows.len(), documented_paths.len(), "a path is documented twice");
    let undocumented: Vec<_> = registered_paths.difference(&documented_paths).collect();
    let unregistered: Vec<_> = documented_paths.difference(&registered_paths).collect();
    assert!(undocumented.is_empty(), "registered but not in docs/API.md: {undocumented:?}");
    assert!(unregistered.is_empty(), "in docs/API.md but not registered: {unregistered:?}");
    let unlisted: Vec<_> = registered_paths.iter().filter(|p| !listed.contains_key(*p)).collect();
    assert!(unlisted.is_empty(), "registered but missing from app::api::registry: {unlisted:?}");

    for row in &rows {
        assert_eq!(row.method, registered[&row.path], "{}: the document says {}", row.path, row.method);
        let reads: BTreeSet<String> = listed[row.path.as_str()].iter().map(|p| (*p).to_owned()).collect();
        assert_eq!(row.parameters, reads, "{}: documented parameters (left) against those it reads (right)", row.path);
    }
}
