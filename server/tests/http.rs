//! Black-box HTTP tests: the real router, in process, on a fresh seeded database (SQLite and PostgreSQL).

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::server::Db;
use app::server::seed::seed_demo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

on_both_databases!(
    the_health_check_answers,
    the_directory_endpoint_filters_by_country,
    a_malformed_country_is_a_clear_client_error,
    the_home_page_lists_the_demo_coops_server_side,
    the_filtered_page_renders_without_javascript,
    the_page_speaks_the_language_the_browser_asks_for,
    switching_language_sets_the_cookie_and_goes_back,
    switching_language_never_redirects_off_site,
    exact_addresses_never_reach_the_public,
    an_unknown_page_is_a_404,
    a_cross_origin_form_post_is_refused,
    pages_carry_a_nonce_csp_and_security_headers,
    a_plain_form_error_goes_back_to_the_form_with_the_message,
    an_unknown_feed_token_is_a_404_and_a_known_one_is_a_calendar,
);

async fn app(db: Db) -> axum::Router {
    let today = common::today();
    seed_demo(&db, today).await.unwrap();
    router(db).await
}

use common::{Response, router, send};

async fn get(app: &axum::Router, uri: &str) -> Response {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A form post from our own pages (same origin).
fn form_post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, "coop.example")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn the_health_check_answers(db: Db) {
    let app = app(db).await;
    let response = get(&app, "/healthz").await;
    assert_eq!((response.status, response.body.as_str()), (StatusCode::OK, "ok"));
}

async fn the_directory_endpoint_filters_by_country(db: Db) {
    let app = app(db).await;
    let response = get(&app, "/api/coops/list?country=AR").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let json: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    let coops = json["coops"].as_array().unwrap();
    assert!(coops.len() >= 4, "{} co-ops", coops.len());
    assert!(coops.iter().all(|c| c["country"] == "AR"), "{coops:?}");
    assert!(json["countries"].as_array().unwrap().len() >= 5);

    let all = get(&app, "/api/coops/list").await;
    let json: serde_json::Value = serde_json::from_str(&all.body).unwrap();
    assert!(json["coops"].as_array().unwrap().len() >= 12);
}

async fn a_malformed_country_is_a_clear_client_error(db: Db) {
    let app = app(db).await;
    let response = get(&app, "/api/coops/list?country=Argentina").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(response.body.contains("two-letter"), "{}", response.body);
}

async fn the_home_page_lists_the_demo_coops_server_side(db: Db) {
    let app = app(db).await;
    let response = get(&app, "/").await;
    assert_eq!(response.status, StatusCode::OK);
    let html = response.body;
    assert!(html.matches("class=\"coop-card\"").count() >= 12, "{html}");
    for name in ["Telar Sur", "Hinterhof"] {
        assert!(html.contains(name), "{name} missing");
    }
    assert!(html.contains("<main id=\"main\""), "main landmark");
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert!(html.contains("<label for=\"country\""), "labelled filter");
    assert!(!html.contains("data-hydrated"), "the hydration marker is set in the browser only");
    assert!(!html.contains("<template"), "no out-of-order streaming: the data must be readable without JavaScript");
}

async fn the_filtered_page_renders_without_javascript(db: Db) {
    let app = app(db).await;
    let html = get(&app, "/?country=AR").await.body;
    let cards = html.matches("class=\"coop-card\"").count();
    assert!(cards >= 4, "{cards} cards");
    assert_eq!(html.matches("data-country=\"AR\"").count(), cards);
    assert!(html.contains("<option value=\"AR\" selected"), "the chosen country stays selected");
}

async fn the_page_speaks_the_language_the_browser_asks_for(db: Db) {
    let app = app(db).await;
    let request = Request::get("/").header(header::ACCEPT_LANGUAGE, "es-AR,es;q=0.9,en;q=0.5").body(Body::empty());
    let html = send(&app, request.unwrap()).await.body;
    assert!(html.contains("lang=\"es\""), "{}", &html[..html.len().min(400)]);
    assert!(html.contains("Alojate en cooperativas"), "Spanish heading");

    let request = Request::get("/").header(header::ACCEPT_LANGUAGE, "pt-BR").body(Body::empty());
    assert!(send(&app, request.unwrap()).await.body.contains("lang=\"pt\""));

    let request = Request::get("/").header(header::ACCEPT_LANGUAGE, "ja").body(Body::empty());
    assert!(send(&app, request.unwrap()).await.body.contains("lang=\"en\""), "English by default");
}

async fn switching_language_sets_the_cookie_and_goes_back(db: Db) {
    let app = app(db).await;
    let response = send(&app, form_post("/locale", "locale=pt&next=%2F%3Fcountry%3DAR")).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.headers[header::LOCATION], "/?country=AR");
    let cookie = response.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("i18n_pref_locale=pt;"), "{cookie}");

    let request = Request::get("/")
        .header(header::COOKIE, "i18n_pref_locale=pt")
        .header(header::ACCEPT_LANGUAGE, "es")
        .body(Body::empty())
        .unwrap();
    assert!(send(&app, request).await.body.contains("lang=\"pt\""), "the cookie wins over the header");
}

async fn switching_language_never_redirects_off_site(db: Db) {
    let app = app(db).await;
    for next in ["%2F%2Fevil.example%2F", "https%3A%2F%2Fevil.example%2F"] {
        let response = send(&app, form_post("/locale", &format!("locale=es&next={next}"))).await;
        assert_eq!(response.headers[header::LOCATION], "/");
    }
    assert_eq!(send(&app, form_post("/locale", "locale=xx&next=%2F")).await.status, StatusCode::BAD_REQUEST);
}

async fn exact_addresses_never_reach_the_public(db: Db) {
    let app = app(db).await;
    let html = get(&app, "/").await.body;
    let json = get(&app, "/api/coops/list").await.body;
    for coop in app::server::demo_data::COOPS {
        for offer in coop.offers {
            assert!(!html.contains(offer.address), "{} in the page", offer.address);
            assert!(!json.contains(offer.address), "{} in the API", offer.address);
        }
    }
}

async fn an_unknown_page_is_a_404(db: Db) {
    let app = app(db).await;
    assert_eq!(get(&app, "/no-such-page").await.status, StatusCode::NOT_FOUND);
}

async fn a_cross_origin_form_post_is_refused(db: Db) {
    let app = app(db).await;
    let request = Request::post("/locale")
        .header(header::HOST, "coop.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("locale=es&next=%2F"))
        .unwrap();
    assert_eq!(send(&app, request).await.status, StatusCode::FORBIDDEN);
    let request = Request::post("/api/auth/logout").header("sec-fetch-site", "cross-site").body(Body::empty());
    assert_eq!(send(&app, request.unwrap()).await.status, StatusCode::FORBIDDEN);
    let request = Request::post("/api/auth/logout").body(Body::empty());
    assert_eq!(send(&app, request.unwrap()).await.status, StatusCode::FORBIDDEN, "no Origin, no Sec-Fetch-Site");
}

async fn pages_carry_a_nonce_csp_and_security_headers(db: Db) {
    let app = app(db).await;
    // The "not found" page too: its scripts would be blocked by the fallback CSP.
    let missing = get(&app, "/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let csp = missing.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap();
    assert!(missing.body.contains(&format!("nonce=\"{nonce}\"")), "the 404 page's scripts carry the header's nonce");

    let response = get(&app, "/").await;
    let csp = response.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap();
    assert!(response.body.contains(&format!("nonce=\"{nonce}\"")), "the inline scripts carry the header's nonce");
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert_eq!(response.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(response.headers[header::X_FRAME_OPTIONS], "DENY");
    let other = get(&app, "/").await.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert_ne!(csp, other, "a fresh nonce per response");
}

async fn a_plain_form_error_goes_back_to_the_form_with_the_message(db: Db) {
    let app = app(db).await;
    let request = Request::post("/api/auth/login")
        .header(header::HOST, "coop.example")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::REFERER, "https://coop.example/login")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=host%40demo.coop&password=wrong-password"))
        .unwrap();
    let response = send(&app, request).await;
    assert_eq!(response.status, StatusCode::FOUND, "a browser follows a redirect, not a 400");
    let location = response.headers[header::LOCATION].to_str().unwrap();
    assert!(location.starts_with("https://coop.example/login?") && location.contains("__err="), "{location}");
}

async fn an_unknown_feed_token_is_a_404_and_a_known_one_is_a_calendar(db: Db) {
    let app = app(db.clone()).await;
    assert_eq!(get(&app, "/ical/offers/not-a-token.ics").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/ical/trips/not-a-token.ics").await.status, StatusCode::NOT_FOUND);
    let mut tx = db.begin_read().await.unwrap();
    let host = app::server::store::users::find_by_email(&mut tx, "host@demo.coop").await.unwrap().unwrap();
    let telar = app::server::store::coops::find_id_by_slug(&mut tx, "telar-sur").await.unwrap();
    let offer = app::server::store::offers::of_coop(&mut tx, telar).await.unwrap()[0].0;
    tx.commit().await.unwrap();
    let host = app::server::authz::Actor::user(host.into());
    let path = app::server::services::calendar::rotate_offer_feed(&db, &host, offer).await.unwrap();
    let response = get(&app, &path).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    assert!(response.body.starts_with("BEGIN:VCALENDAR\r\n"), "{}", &response.body[..60.min(response.body.len())]);
}
