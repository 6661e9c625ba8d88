//! Garbage to every server function: each registered path, by GET and by POST, with each of its parameters set
//! to values no form would send (or left out, or sent as a body that is no form at all), anonymous and logged in
//! as a traveller and as an admin. Bad input is the caller's mistake: never a 5xx.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::server::Db;
use app::server::seed::{DEMO_PASSWORD, seed_demo};
use common::Client;

on_both_databases!(garbage_to_every_server_function_is_never_a_server_error);

/// Values no form sends: text for numbers and dates, numbers out of every range, empty, huge, control and
/// odd Unicode, SQL and markup, nested brackets.
fn garbage() -> Vec<String> {
    vec![
        "abc".into(),
        String::new(),
        "-1".into(),
        "99999999999999999999999".into(),
        "NaN".into(),
        "2027-13-45".into(),
        "' OR 1=1 --".into(),
        "<script>alert(1)</script>".into(),
        "\u{202E}\u{FEFF}\u{10FFFF}".into(),
        "x".repeat(5_000),
        "[[[[]]]]".into(),
    ]
}

fn encode(fields: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

async fn garbage_to_every_server_function_is_never_a_server_error(db: Db) {
    seed_demo(&db, common::today()).await.unwrap();
    let config = server::router::HttpConfig {
        public_url: Some("https://coop.example".into()),
        auth_burst: 100_000,
        ..Default::default()
    };
    let app = common::router_with(db, &config).await;
    let mut paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    paths.sort_unstable();
    paths.dedup();
    // Logging out last: it ends the session the calls after it would use.
    paths.sort_by_key(|path| *path == "/api/auth/logout");
    assert!(paths.len() > 40, "the server functions are registered: {}", paths.len());
    let mut failures = Vec::new();
    let mut sent = 0;
    for who in [None, Some("traveller@demo.coop"), Some("admin@demo.coop")] {
        let mut client = match who {
            Some(email) => Client::logged_in(&app, email, DEMO_PASSWORD).await,
            None => Client::new(&app),
        };
        for path in &paths {
            let parameters =
                app::api::registry::parameters(path).unwrap_or_else(|| panic!("{path} is not in the registry"));
            let mut bodies: Vec<Vec<(String, String)>> = vec![vec![]];
            for (i, value) in garbage().into_iter().enumerate() {
                bodies.push(parameters.iter().map(|p| ((*p).to_owned(), value.clone())).collect());
                // Some values also on one parameter alone (the others missing), and as a nested form field.
                if i % 4 == 0 {
                    for p in parameters.iter() {
                        bodies.push(vec![((*p).to_owned(), value.clone())]);
                        bodies.push(vec![(format!("{p}[x][y]"), value.clone())]);
                    }
                }
            }
            for fields in &bodies {
                let query = encode(fields);
                let get = client.get(&format!("{path}?{query}")).await;
                let post = client.post_raw(path, "application/x-www-form-urlencoded", &query).await;
                sent += 2;
                for (method, response) in [("GET", get), ("POST", post)] {
                    if response.status.is_server_error() {
                        let shown: String = query.chars().take(120).collect();
                        let status = response.status;
                        failures.push(format!("{who:?} {method} {path}?{shown}: {status} {}", response.body));
                    }
                }
            }
            // Bodies that are no form at all.
            let odd = [
                ("application/json", "{\"a\":[1,2"),
                ("text/plain", "\u{0}\u{1}"),
                ("application/x-www-form-urlencoded", "%%%=&&=%zz"),
            ];
            for (kind, body) in odd {
                let response = client.post_raw(path, kind, body).await;
                sent += 1;
                if response.status.is_server_error() {
                    failures.push(format!("{who:?} POST {path} ({kind}): {} {}", response.status, response.body));
                }
            }
        }
    }
    assert!(sent > 5_000, "every function got its garbage: {sent} calls");
    assert!(failures.is_empty(), "{} server errors of {sent} calls:\n{}", failures.len(), failures.join("\n"));
}
