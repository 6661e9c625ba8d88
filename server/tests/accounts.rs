//! Accounts and sessions over HTTP, on SQLite and PostgreSQL: sign-up, log-in, log-out, password changes,
//! cookies, lock-outs and rate limits.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::server::Db;
use app::server::seed::{DEMO_PASSWORD, seed_demo};
use app::server::store::{notifications, users};
use axum::http::{StatusCode, header};
use common::{Client, router};

on_both_databases!(
    signing_up_then_confirming_logs_in_with_a_hardened_cookie,
    the_stored_hash_is_argon2id_with_the_owasp_parameters,
    a_common_or_short_password_is_refused_clearly,
    a_taken_email_gets_the_same_answer_and_its_owner_a_note,
    an_unconfirmed_sign_up_belongs_to_whoever_confirms_the_address,
    logging_in_rotates_the_session_and_logging_out_ends_it,
    a_wrong_password_says_nothing_about_which_part_was_wrong,
    five_failures_make_the_next_attempt_wait,
    log_in_attempts_are_rate_limited_per_address,
    changing_the_password_ends_the_other_sessions,
    my_account_lists_my_coops_and_networks,
);

async fn app(db: Db) -> axum::Router {
    seed_demo(&db, common::today()).await.unwrap();
    router(db).await
}

fn sign_up_fields<'a>(email: &'a str, password: &'a str) -> [(&'a str, &'a str); 3] {
    [("email", email), ("display_name", "Mora Nueva"), ("password", password)]
}

/// The confirmation link e-mailed to `email` (the latest one), as the path it opens.
async fn confirmation_token(db: &Db, email: &str) -> String {
    let mut tx = db.begin_read().await.unwrap();
    let user = users::find_by_email(&mut tx, email).await.unwrap().unwrap();
    let (_, body, _) =
        notifications::latest_account_mail(&mut tx, user.user_id, "verify_email").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let start = body.find("/verify?token=").unwrap() + "/verify?token=".len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn signing_up_then_confirming_logs_in_with_a_hardened_cookie(db: Db) {
    let app = app(db.clone()).await;
    let mut client = Client::new(&app);
    let response = client.post("/api/auth/signup", &sign_up_fields("Mora@Example.coop", "llama-tandem-orchard")).await;
    assert!(response.status.is_success() || response.status.is_redirection(), "{}", response.body);
    assert_eq!(client.who().await, None, "not logged in before the address is confirmed");
    let refused =
        client.post("/api/auth/login", &[("email", "mora@example.coop"), ("password", "llama-tandem-orchard")]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("confirm your e-mail address"), "{}", refused.body);

    let token = confirmation_token(&db, "mora@example.coop").await;
    let response = client.post("/api/auth/verify", &[("token", &token)]).await;
    assert!(response.status.is_success() || response.status.is_redirection(), "{}", response.body);
    let cookie = response.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-ct_session="), "{cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing from {cookie}");
    }
    assert!(!cookie.contains("Domain="), "a __Host- cookie has no Domain: {cookie}");
    let id = cookie.split(';').next().unwrap().split('=').nth(1).unwrap();
    assert!(id.len() >= 22, "the session id carries at least 128 bits: {id}");
    assert_eq!(client.who().await.as_deref(), Some("mora@example.coop"));
    // A link works once.
    let again = Client::new(&app).post("/api/auth/verify", &[("token", &token)]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    Client::logged_in(&app, "mora@example.coop", "llama-tandem-orchard").await;
}

async fn the_stored_hash_is_argon2id_with_the_owasp_parameters(db: Db) {
    let app = app(db.clone()).await;
    Client::new(&app).post("/api/auth/signup", &sign_up_fields("hash@example.coop", "llama-tandem-orchard")).await;
    let mut tx = db.begin_read().await.unwrap();
    let user = app::server::store::users::find_by_email(&mut tx, "hash@example.coop").await.unwrap().unwrap();
    assert!(user.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", user.password_hash);
    assert!(!user.password_hash.contains("llama"));
}

async fn a_common_or_short_password_is_refused_clearly(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    let response = client.post("/api/auth/signup", &sign_up_fields("a@example.coop", "password123")).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.body.contains("too common"), "{}", response.body);
    let response = client.post("/api/auth/signup", &sign_up_fields("a@example.coop", "short")).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.body.contains("at least 8"), "{}", response.body);
    let long = "x".repeat(129);
    let response = client.post("/api/auth/signup", &sign_up_fields("a@example.coop", &long)).await;
    assert!(response.body.contains("at most 128"), "{}", response.body);
    assert_eq!(client.who().await, None, "nothing was created, nobody is logged in");
}

/// Sign-up answers a taken address exactly as a new one, tells the owner by e-mail, and changes nothing.
async fn a_taken_email_gets_the_same_answer_and_its_owner_a_note(db: Db) {
    let app = app(db.clone()).await;
    let taken =
        Client::new(&app).post("/api/auth/signup", &sign_up_fields("HOST@demo.coop", "llama-tandem-orchard")).await;
    let new =
        Client::new(&app).post("/api/auth/signup", &sign_up_fields("new@demo.coop", "llama-tandem-orchard")).await;
    assert_eq!((taken.status, &taken.body), (new.status, &new.body));
    assert_eq!(taken.headers.get(header::LOCATION), new.headers.get(header::LOCATION));
    let mut tx = db.begin_read().await.unwrap();
    let host = users::find_by_email(&mut tx, "host@demo.coop").await.unwrap().unwrap();
    assert!(notifications::latest_account_mail(&mut tx, host.user_id, "account_exists").await.unwrap().is_some());
    assert!(notifications::latest_account_mail(&mut tx, host.user_id, "verify_email").await.unwrap().is_none());
    tx.commit().await.unwrap();
    Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
}

/// Someone signs up with an address that is not theirs and never confirms it; its owner signs up later and gets
/// the account with their own password.
async fn an_unconfirmed_sign_up_belongs_to_whoever_confirms_the_address(db: Db) {
    let app = app(db.clone()).await;
    Client::new(&app).post("/api/auth/signup", &sign_up_fields("owner@demo.coop", "squatter-password-1")).await;
    let squatter_link = confirmation_token(&db, "owner@demo.coop").await;
    Client::new(&app).post("/api/auth/signup", &sign_up_fields("owner@demo.coop", "owner-password-22")).await;
    let stale = Client::new(&app).post("/api/auth/verify", &[("token", &squatter_link)]).await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST, "the older link no longer works");
    let token = confirmation_token(&db, "owner@demo.coop").await;
    Client::new(&app).post("/api/auth/verify", &[("token", &token)]).await;
    Client::logged_in(&app, "owner@demo.coop", "owner-password-22").await;
    let squatter = Client::new(&app)
        .post("/api/auth/login", &[("email", "owner@demo.coop"), ("password", "squatter-password-1")])
        .await;
    assert_eq!(squatter.status, StatusCode::BAD_REQUEST);
}

async fn logging_in_rotates_the_session_and_logging_out_ends_it(db: Db) {
    let app = app(db).await;
    let mut client = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    let first = client.cookie.clone().unwrap();
    client.post("/api/auth/login", &[("email", "host@demo.coop"), ("password", DEMO_PASSWORD)]).await;
    let second = client.cookie.clone().unwrap();
    assert_ne!(first, second, "a new session id at log-in");
    let mut stale = Client { app: app.clone(), cookie: Some(first) };
    assert_eq!(stale.who().await, None, "the old session id is dead");

    let kept = client.cookie.clone();
    let response = client.post("/api/auth/logout", &[]).await;
    assert!(response.status.is_success() || response.status.is_redirection(), "{}", response.body);
    let removal = response.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(removal.starts_with("__Host-ct_session=;") && removal.contains("Max-Age=0"), "{removal}");
    assert!(removal.contains("Secure"), "browsers ignore a __Host- removal without Secure: {removal}");
    assert_eq!(client.cookie, None, "the cookie is removed");
    let mut replay = Client { app: app.clone(), cookie: kept };
    assert_eq!(replay.who().await, None, "the session is deleted on the server, not just forgotten by the browser");
}

async fn a_wrong_password_says_nothing_about_which_part_was_wrong(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    let wrong_password =
        client.post("/api/auth/login", &[("email", "host@demo.coop"), ("password", "nope-nope")]).await;
    let no_account = client.post("/api/auth/login", &[("email", "nobody@demo.coop"), ("password", "nope-nope")]).await;
    assert_eq!(wrong_password.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_password.body, no_account.body);
    assert!(wrong_password.body.contains("not right"), "{}", wrong_password.body);
}

async fn five_failures_make_the_next_attempt_wait(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    for _ in 0..5 {
        client.post("/api/auth/login", &[("email", "host@demo.coop"), ("password", "wrong-password")]).await;
    }
    let response = client.post("/api/auth/login", &[("email", "host@demo.coop"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits: {}", response.body);
    assert!(response.body.contains("wait") && response.body.contains("seconds"), "{}", response.body);
    assert_eq!(client.who().await, None);
    // Other accounts are not affected.
    Client::logged_in(&app, "traveller@demo.coop", DEMO_PASSWORD).await;
}

async fn log_in_attempts_are_rate_limited_per_address(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    let mut statuses = Vec::new();
    for i in 0..12 {
        let email = format!("nobody{i}@demo.coop");
        statuses.push(client.post("/api/auth/login", &[("email", &email), ("password", "whatever1")]).await);
    }
    let limited = statuses.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert!(limited >= 1, "{:?}", statuses.iter().map(|r| r.status).collect::<Vec<_>>());
    let last = statuses.last().unwrap();
    assert!(last.body.contains("Too many attempts") && last.body.contains("seconds"), "{}", last.body);
    assert!(last.headers.contains_key(header::RETRY_AFTER));
}

async fn changing_the_password_ends_the_other_sessions(db: Db) {
    let app = app(db).await;
    let mut laptop = Client::logged_in(&app, "traveller@demo.coop", DEMO_PASSWORD).await;
    let mut phone = Client::logged_in(&app, "traveller@demo.coop", DEMO_PASSWORD).await;
    let wrong = laptop
        .post("/api/auth/password", &[("current_password", "not-it-at-all"), ("new_password", "orchard-llama-tandem")])
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let response = laptop
        .post("/api/auth/password", &[("current_password", DEMO_PASSWORD), ("new_password", "orchard-llama-tandem")])
        .await;
    assert!(response.status.is_success(), "{}", response.body);
    assert_eq!(laptop.who().await.as_deref(), Some("traveller@demo.coop"), "this session goes on");
    assert_eq!(phone.who().await, None, "the other session ended");
    Client::logged_in(&app, "traveller@demo.coop", "orchard-llama-tandem").await;
}

async fn my_account_lists_my_coops_and_networks(db: Db) {
    let app = app(db).await;
    assert_eq!(Client::new(&app).get("/api/auth/account").await.status, StatusCode::UNAUTHORIZED);
    let mut host = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    let json: serde_json::Value = serde_json::from_str(&host.get("/api/auth/account").await.body).unwrap();
    assert_eq!(json["coops"][0]["slug"], "telar-sur");
    assert_eq!(json["coops"][0]["role"], "host_admin");
    let mut coordinator = Client::logged_in(&app, "coordinator@demo.coop", DEMO_PASSWORD).await;
    let json: serde_json::Value = serde_json::from_str(&coordinator.get("/api/auth/account").await.body).unwrap();
    assert_eq!(json["networks"].as_array().unwrap().len(), 2);
}
