//! The fixes of the security review, black-box over HTTP on both databases: redirects never leave the site, a
//! calendar import is authorized before it is read, log-in and current-password checks are throttled alike for
//! every address, and nobody approves a visit they are part of. Also the hardening headers.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::domain::StayAction;
use app::server::Db;
use app::server::authz::Actor;
use app::server::seed::{DEMO_PASSWORD, seed_demo};
use app::server::services::safety::Limits;
use app::server::services::stays::{self, NewRequest};
use app::server::store::{coops, offers, users};
use axum::http::{StatusCode, header};
use common::{Client, router, today_plus};

on_both_databases!(
    log_in_never_redirects_off_the_site,
    a_calendar_import_is_refused_before_it_is_read_and_limited_per_host,
    failed_log_ins_answer_alike_for_known_and_unknown_addresses,
    wrong_current_passwords_are_throttled,
    a_coordinator_cannot_approve_their_own_visit_but_another_can,
    personal_answers_are_not_cached_and_https_is_kept,
    a_nul_byte_anywhere_is_a_clear_400,
);

async fn app(db: Db) -> axum::Router {
    seed_demo(&db, common::today()).await.unwrap();
    router(db).await
}

async fn log_in_never_redirects_off_the_site(db: Db) {
    let app = app(db).await;
    let bypasses = [
        "//evil.example",
        "/\t/evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "/\n/evil.example",
        "https://evil.example/",
        "//user@evil.example",
        "%2F%2Fevil.example",
        "/%09/evil.example\t",
    ];
    for next in bypasses {
        let mut client = Client::new(&app);
        let fields = [("email", "host@demo.coop"), ("password", DEMO_PASSWORD), ("next", next)];
        let response = client.post("/api/auth/login", &fields).await;
        let location = response.headers.get(header::LOCATION).or_else(|| response.headers.get("serverfnredirect"));
        let location = location.map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert_eq!(location, "/", "next={next:?}: {:?}", response.headers);
    }
    let mut client = Client::new(&app);
    let fields = [("email", "host@demo.coop"), ("password", DEMO_PASSWORD), ("next", "/inbox?x=1")];
    let response = client.post("/api/auth/login", &fields).await;
    let location = response.headers.get(header::LOCATION).or_else(|| response.headers.get("serverfnredirect"));
    assert_eq!(location.unwrap().to_str().unwrap(), "/inbox?x=1");
    // The language switcher uses the same check.
    let response = client.post("/locale", &[("locale", "es"), ("next", "/\t/evil.example")]).await;
    assert_eq!(response.headers[header::LOCATION], "/");
}

/// The offer of Telar Sur (host@demo.coop) to import into.
async fn telar_offer(db: &Db) -> String {
    let mut tx = db.begin_read().await.unwrap();
    let telar = coops::find_id_by_slug(&mut tx, "telar-sur").await.unwrap();
    let (id, ..) = offers::of_coop(&mut tx, telar).await.unwrap().remove(0);
    tx.commit().await.unwrap();
    id.to_string()
}

async fn a_calendar_import_is_refused_before_it_is_read_and_limited_per_host(db: Db) {
    let app = app(db.clone()).await;
    let offer = telar_offer(&db).await;
    let garbage = "this is not a calendar";
    let anonymous = Client::new(&app).post("/api/calendar/import", &[("offer", &offer), ("ics", garbage)]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.body);
    let mut traveller = Client::logged_in(&app, "traveller@demo.coop", DEMO_PASSWORD).await;
    let stranger = traveller.post("/api/calendar/import", &[("offer", &offer), ("ics", garbage)]).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN, "{}", stranger.body);
    let mut host = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
    let mut statuses = Vec::new();
    for _ in 0..=app::server::services::throttle::IMPORTS_PER_HOUR {
        statuses.push(host.post("/api/calendar/import", &[("offer", &offer), ("ics", ics)]).await.status);
    }
    assert!(statuses[..statuses.len() - 1].iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
}

async fn failed_log_ins_answer_alike_for_known_and_unknown_addresses(db: Db) {
    seed_demo(&db, common::today()).await.unwrap();
    let mut answers = Vec::new();
    for email in ["host@demo.coop", "nobody-here@demo.coop"] {
        // A router each, so the per-client-address limit (one test peer) does not mix into the comparison.
        let app = router(db.clone()).await;
        let mut client = Client::new(&app);
        let mut seen = Vec::new();
        for _ in 0..6 {
            let r = client.post("/api/auth/login", &[("email", email), ("password", "wrong-password")]).await;
            // The wait in the message may differ by a second between the two.
            seen.push((r.status, r.body.chars().filter(|c| !c.is_ascii_digit()).collect::<String>()));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1], "the answers tell which address has an account");
    assert_eq!(answers[0][4].0, StatusCode::BAD_REQUEST);
    assert_eq!(answers[0][5].0, StatusCode::TOO_MANY_REQUESTS, "{:?}", answers[0][5]);
    // Other accounts are not affected.
    Client::logged_in(&router(db).await, "traveller@demo.coop", DEMO_PASSWORD).await;
}

async fn wrong_current_passwords_are_throttled(db: Db) {
    let app = app(db).await;
    let mut client = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let fields = [("current_password", "not-my-password"), ("new_password", "llama-tandem-orchard")];
        statuses.push(client.post("/api/auth/password", &fields).await.status);
    }
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::BAD_REQUEST), "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}

async fn a_coordinator_cannot_approve_their_own_visit_but_another_can(db: Db) {
    let app = app(db.clone()).await;
    let mut tx = db.begin_write().await.unwrap();
    // Every network asks its coordinators, so the visit waits for one.
    let no_auto: &str = "UPDATE networks SET auto_approve_verified = false";
    match &mut tx {
        app::server::Tx::Sqlite(c) => {
            sqlx::query(no_auto).execute(&mut **c).await.unwrap();
        }
        app::server::Tx::Postgres(c) => {
            sqlx::query(no_auto).execute(&mut **c).await.unwrap();
        }
    }
    let coordinator = users::find_by_email(&mut tx, "coordinator@demo.coop").await.unwrap().unwrap();
    let host = users::find_by_email(&mut tx, "host@demo.coop").await.unwrap().unwrap();
    let ribera = coops::find_id_by_slug(&mut tx, "ribera-software").await.unwrap();
    users::add_to_coop(&mut tx, ribera, coordinator.user_id, "member").await.unwrap();
    let telar = coops::find_id_by_slug(&mut tx, "telar-sur").await.unwrap();
    let (offer, ..) = offers::of_coop(&mut tx, telar).await.unwrap().remove(0);
    tx.commit().await.unwrap();
    let new = NewRequest {
        offer,
        check_in: today_plus(45),
        check_out: today_plus(47),
        guests: 1,
        purpose: "visit".into(),
        message: "Hola".into(),
        skills_offered: String::new(),
        trip: None,
    };
    let as_coordinator = Actor::user(coordinator.into());
    let id = stays::request(&db, &as_coordinator, &new, common::today(), Limits::OFF).await.unwrap();
    stays::act(&db, &Actor::user(host.into()), id, StayAction::Accept, "", (None, None), common::today())
        .await
        .unwrap();

    let id = id.to_string();
    let mut own = Client::logged_in(&app, "coordinator@demo.coop", DEMO_PASSWORD).await;
    let refused = own.post("/api/stays/act", &[("id", &id), ("action", "approve")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let detail = own.get(&format!("/api/stays/get?id={id}")).await;
    assert!(detail.body.contains("\"accepted\"") && !detail.body.contains("\"address\":\""), "{}", detail.body);
    let mut admin = Client::logged_in(&app, "admin@demo.coop", DEMO_PASSWORD).await;
    let approved = admin.post("/api/stays/act", &[("id", &id), ("action", "approve")]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(approved.body.contains("confirmed"), "{}", approved.body);
}

async fn personal_answers_are_not_cached_and_https_is_kept(db: Db) {
    let app = app(db).await;
    let mut client = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    for path in ["/api/auth/me", "/api/stays/inbox", "/account"] {
        let response = client.get(path).await;
        assert_eq!(response.headers[header::CACHE_CONTROL], "no-store", "{path}");
        assert_eq!(response.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000", "{path}");
    }
    let map = client.get("/geo/world.svg").await;
    assert_eq!(map.headers[header::CACHE_CONTROL], "public, max-age=86400", "shared files keep their caching");
}

async fn a_nul_byte_anywhere_is_a_clear_400(db: Db) {
    let app = app(db).await;
    let mut client = Client::new(&app);
    for path in ["/api/coops/get?slug=a%00b", "/coops/a%00b", "/api/places/suggest?q=bue%00", "/search?place=%01x"] {
        let response = client.get(path).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{path}: {}", response.body);
        assert!(response.body.contains("control character"), "{path}: {}", response.body);
    }
    let response = client.post("/api/auth/login", &[("email", "host@demo.coop\0"), ("password", "x")]).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(response.body.contains("control character"), "{}", response.body);
    // Line breaks in free text are fine.
    let mut host = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    let answer = host.post("/api/auth/password", &[("current_password", "wrong\r\nline"), ("new_password", "x")]).await;
    assert!(answer.body.contains("not right") && !answer.body.contains("control character"), "{}", answer.body);
}
