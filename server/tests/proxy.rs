//! Behind a reverse proxy: `X-Forwarded-For` and `-Proto` are believed from `TRUSTED_PROXIES` only, so the log-in
//! rate limit keys on the real client, and a client that spoofs the headers gains nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure panics with its cause")]

mod common;

use app::server::Db;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use server::proxy::TrustedProxies;
use server::router::HttpConfig;

/// Attempts per address before the limit answers 429.
const BURST: u32 = 3;

async fn app(trusted: &[&str], public_url: Option<&str>) -> (axum::Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("proxy.db").display())).await.unwrap();
    db.migrate().await.unwrap();
    let config = HttpConfig {
        auth_burst: BURST,
        public_url: public_url.map(str::to_owned),
        trusted_proxies: TrustedProxies::new(
            trusted.iter().map(|entry| TrustedProxies::parse_entry(entry).unwrap()).collect(),
        ),
        ..Default::default()
    };
    (common::router_with(db, &config).await, dir)
}

/// A failed log-in from `peer`, with these forwarding headers; returns the status.
async fn log_in(app: &axum::Router, peer: &str, forwarded_for: Option<&str>) -> StatusCode {
    let mut request = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::HOST, "coop.example");
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    // A new address each time, so that only the per-client limit can answer 429 (not the per-account one).
    static ATTEMPT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = ATTEMPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let request =
        request.body(Body::from(format!("email=nobody{n}%40coop.example&password=wrong-password-1"))).unwrap();
    common::send_from(app, peer.parse().unwrap(), request).await.status
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit() {
    let (app, _dir) = app(&["10.0.0.2"], Some("https://coop.example")).await;
    // A different invented client in every request: all count against the peer's own address.
    for n in 0..BURST {
        let status = log_in(&app, "203.0.113.5:4000", Some(&format!("198.51.100.{n}"))).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {n}");
    }
    assert_eq!(log_in(&app, "203.0.113.5:4001", Some("198.51.100.99")).await, StatusCode::TOO_MANY_REQUESTS);
    // Someone else at another address is not affected.
    assert_ne!(log_in(&app, "203.0.113.6:4000", None).await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let (app, _dir) = app(&["127.0.0.1", "::1"], Some("https://coop.example")).await;
    for n in 0..BURST {
        assert_ne!(log_in(&app, "127.0.0.1:5000", Some("198.51.100.1")).await, StatusCode::TOO_MANY_REQUESTS, "{n}");
    }
    // The client that used its burst is limited, even through another connection of the proxy…
    assert_eq!(log_in(&app, "[::1]:5001", Some("198.51.100.1")).await, StatusCode::TOO_MANY_REQUESTS);
    // …and it cannot get out of it by prepending an address of its choice: the proxy appends the real one.
    assert_eq!(log_in(&app, "127.0.0.1:5002", Some("192.0.2.50, 198.51.100.1")).await, StatusCode::TOO_MANY_REQUESTS);
    // Every other client behind the same proxy still gets in.
    for client in ["198.51.100.2", "2001:db8::5", "192.0.2.50"] {
        assert_ne!(log_in(&app, "127.0.0.1:5003", Some(client)).await, StatusCode::TOO_MANY_REQUESTS, "{client}");
    }
}

#[tokio::test]
async fn ipv6_clients_are_limited_by_their_network() {
    let (app, _dir) = app(&[], Some("https://coop.example")).await;
    // One phone can pick any address of its /64: a new one per attempt does not reset the limit.
    for n in 0..BURST {
        assert_ne!(log_in(&app, &format!("[2001:db8:1:2::{n}]:6000"), None).await, StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(log_in(&app, "[2001:db8:1:2::ff]:6000", None).await, StatusCode::TOO_MANY_REQUESTS);
    assert_ne!(log_in(&app, "[2001:db8:1:3::1]:6000", None).await, StatusCode::TOO_MANY_REQUESTS);
}

/// A form post as a browser sends it from the https page, with the proxy's headers (PUBLIC_URL unset).
async fn post_through(app: &axum::Router, peer: &str) -> StatusCode {
    let request = Request::post("/api/auth/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://travel.example.coop")
        .header(header::HOST, "travel.example.coop")
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-for", "198.51.100.9")
        .body(Body::empty())
        .unwrap();
    common::send_from(app, peer.parse().unwrap(), request).await.status
}

#[tokio::test]
async fn the_scheme_comes_from_a_trusted_proxy_only() {
    let (app, _dir) = app(&["10.0.0.0/8"], None).await;
    // Through the proxy the page's https origin is ours.
    assert_ne!(post_through(&app, "10.1.2.3:7000").await, StatusCode::FORBIDDEN);
    // From anyone else the header is ignored: we speak plain http, so an https origin is another site.
    assert_eq!(post_through(&app, "203.0.113.5:7000").await, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn readiness_touches_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("ready.db").display())).await.unwrap();
    db.migrate().await.unwrap();
    let app = common::router(db.clone()).await;
    let ready = common::send(&app, Request::get("/readyz").body(Body::empty()).unwrap()).await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));
    db.close().await;
    let closed = common::send(&app, Request::get("/readyz").body(Body::empty()).unwrap()).await;
    assert_eq!(closed.status, StatusCode::SERVICE_UNAVAILABLE);
    let alive = common::send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(alive.status, StatusCode::OK);
}
