//! The checks before any server function runs, black-box over HTTP: bad input of every kind is a clear 4xx in the
//! API's JSON error shape, never a 500; body limits hold per route; and after a 413 the client is told to open a
//! new connection (over a real socket).

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::server::Db;
use app::server::seed::{DEMO_PASSWORD, seed_demo};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both_databases!(
    arguments_that_cannot_be_read_are_a_400_saying_why,
    unknown_parameters_methods_paths_and_encodings_are_refused_clearly,
    bodies_are_limited_per_route,
);

async fn app(db: Db) -> axum::Router {
    seed_demo(&db, common::today()).await.unwrap();
    common::router(db).await
}

/// The refused rule of a Validation error (`{"Validation":{"rule":…,…}}`), and the error's English sentence.
fn validation(body: &str) -> (serde_json::Value, String) {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    let error: app::error::AppError = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert!(matches!(error, app::error::AppError::Validation(_)), "not a Validation error: {body}");
    (json["Validation"].clone(), error.to_string())
}

async fn arguments_that_cannot_be_read_are_a_400_saying_why(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    let response = client.get("/api/offers/get?id=abc").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    let (refusal, sentence) = validation(&response.body);
    assert_eq!(refusal["rule"], "unreadable_parameters", "{}", response.body);
    assert!(sentence.contains("could not be read"), "{sentence}");

    let response = client.post("/api/auth/login", &[("password", "x")]).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    let (refusal, sentence) = validation(&response.body);
    assert_eq!(refusal["rule"], "unreadable_parameters", "{}", response.body);
    assert!(sentence.contains("email"), "{sentence}");

    let response = client
        .get("/api/search/offers?lat=x&lon=0&radius_km=1&check_in=2027-03-02&check_out=2027-03-03&guests=1")
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    // The error of a plain form post (no JavaScript) still goes back to the form, as a redirect.
    let mut request = Request::post("/api/auth/login")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "https://coop.example/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    request = request.header(header::HOST, "coop.example");
    let response = common::send(&app, request.body(Body::from("password=x")).unwrap()).await;
    assert!(response.status.is_redirection(), "{}: {}", response.status, response.body);
}

async fn unknown_parameters_methods_paths_and_encodings_are_refused_clearly(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    let dates = format!("check_in={}&check_out={}", common::today_plus(20), common::today_plus(22));
    let search = format!("/api/search/offers?lat=-34.6&lon=-58.4&radius_km=50&{dates}&guests=1");
    let known = client.get(&format!("{search}&language=es&kinds=room,desk&page=0")).await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    let misspelt = client.get(&format!("{search}&languages=es")).await;
    assert_eq!(misspelt.status, StatusCode::BAD_REQUEST, "{}", misspelt.body);
    let (_, message) = validation(&misspelt.body);
    assert!(message.contains("\"languages\"") && message.contains("language,"), "{message}");
    let none = client.get("/api/stays/mine?x=1").await;
    assert!(validation(&none.body).1.contains("takes no parameters"), "{}", none.body);

    let unknown = client.get("/api/offers/nothing-here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    assert_eq!(unknown.body, "\"NotFound\"");
    let wrong_method = client.get("/api/auth/login").await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED, "{}", wrong_method.body);
    assert_eq!(wrong_method.headers[header::ALLOW], "POST");

    let request = Request::post("/api/auth/login")
        .header(header::HOST, "coop.example")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email":"host@demo.coop","password":"coop-travel-demo"}"#))
        .unwrap();
    let json = common::send(&app, request).await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", json.body);
    assert!(validation(&json.body).1.contains("form-encoded"), "{}", json.body);
}

async fn bodies_are_limited_per_route(db: Db) {
    let app = app(db.clone()).await;
    let mut host = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    // A message far beyond the default limit: refused before it is read.
    let huge = "x".repeat(server::boundary::DEFAULT_BODY_LIMIT + 1);
    let response = host.post("/api/stays/message", &[("id", "1"), ("body", &huge)]).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", response.body);
    assert_eq!(response.headers[header::CONNECTION], "close");
    assert!(validation(&response.body).1.contains("256 KiB"), "{}", response.body);

    // A calendar import of 600 KiB (1.5 MiB form-encoded) is within its route's limit and is read.
    let mut tx = db.begin_read().await.unwrap();
    let telar = app::server::store::coops::find_id_by_slug(&mut tx, "telar-sur").await.unwrap();
    let (offer, ..) = app::server::store::offers::of_coop(&mut tx, telar).await.unwrap().remove(0);
    tx.commit().await.unwrap();
    let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
    while ics.len() < 600 * 1024 {
        ics.push_str("X-PADDING:a line a calendar program might write; with: punctuation=and spaces\r\n");
    }
    ics.push_str("END:VCALENDAR\r\n");
    let response = host.post("/api/calendar/import", &[("offer", &offer.to_string()), ("ics", &ics)]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", &response.body[..response.body.len().min(300)]);
    // Beyond 1 MiB of calendar the import says so.
    let too_long = ics.repeat(2);
    let response = host.post("/api/calendar/import", &[("offer", &offer.to_string()), ("ics", &too_long)]).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", &response.body[..response.body.len().min(300)]);
    assert!(validation(&response.body).1.contains("1024 KiB"), "{}", response.body);
}

/// Over a real connection: the 413 arrives whole, says `Connection: close`, and the server then closes the
/// connection instead of reading the body it refused as the next request.
#[tokio::test]
async fn after_a_413_the_client_is_told_to_reconnect() {
    let test_db = support::TestDb::sqlite().await;
    let app = app(test_db.db.clone()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::serve::serve_with(listener, app, std::future::pending(), std::time::Duration::from_secs(5)));

    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let length = server::boundary::DEFAULT_BODY_LIMIT + 1;
    let head = format!(
        "POST /api/stays/message HTTP/1.1\r\nHost: coop.example\r\nOrigin: https://coop.example\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(&vec![b'x'; 64 * 1024]).await.unwrap();
    // Read until the server closes (a reset counts: the rest of the refused body was never read).
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(10), socket.read(&mut chunk)).await {
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&chunk[..n]),
            Err(_) => panic!("the server neither answered nor closed the connection"),
        }
    }
    let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    assert!(answer.starts_with("http/1.1 413"), "{answer}");
    assert!(answer.contains("\r\nconnection: close\r\n"), "{answer}");
    test_db.cleanup().await;
}
