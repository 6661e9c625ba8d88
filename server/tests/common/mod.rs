//! Shared by the HTTP test binaries: the real router on a test database, and a cookie-keeping client.

#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure panics with its cause")]

use app::server::{AppState, Clock, Db};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// The fixed "today" of the HTTP tests (the server's clock and the demo seed), so that no test depends on the day
/// it runs.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
}

/// `days` after `today()`, as the forms write it.
pub fn today_plus(days: u64) -> String {
    today().checked_add_days(chrono::Days::new(days)).unwrap().to_string()
}

/// The real router on `db`, as `coop-travel serve` builds it (secure cookies), its clock fixed at `today()`.
pub async fn router(db: Db) -> axum::Router {
    router_with(
        db,
        &server::router::HttpConfig { public_url: Some("https://coop.example".into()), ..Default::default() },
    )
    .await
}

/// The real router with these HTTP settings.
pub async fn router_with(db: Db, config: &server::router::HttpConfig) -> axum::Router {
    let leptos_options = LeptosOptions::builder().output_name("coop-travel").site_root("target/site").build();
    let public_url = "http://127.0.0.1:3000".to_owned();
    // New accounts' limits are tested on their own (app/tests/safety.rs); here every test account is new.
    let limits = app::server::services::safety::Limits::OFF;
    let state =
        AppState { db: db.clone(), sessions_db: db, leptos_options, clock: Clock::Fixed(today()), public_url, limits };
    server::router::prepare_sessions(&state).await.unwrap();
    server::router::router(state, config)
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// Sends one request as `axum::serve` with connect info would deliver it.
pub async fn send(app: &axum::Router, request: Request<Body>) -> Response {
    send_from(app, "192.0.2.7:50000".parse().unwrap(), request).await
}

/// Sends one request as if it came from `peer`.
pub async fn send_from(app: &axum::Router, peer: std::net::SocketAddr, mut request: Request<Body>) -> Response {
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Response { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// A browser-like client: same-origin form posts, and the session cookie kept between requests.
#[derive(Clone)]
pub struct Client {
    pub app: axum::Router,
    pub cookie: Option<String>,
}

impl Client {
    pub fn new(app: &axum::Router) -> Self {
        Client { app: app.clone(), cookie: None }
    }

    /// A new client logged in as `email` with `password`.
    pub async fn logged_in(app: &axum::Router, email: &str, password: &str) -> Self {
        let mut client = Client::new(app);
        let response = client.post("/api/auth/login", &[("email", email), ("password", password)]).await;
        assert!(
            response.status.is_success() || response.status.is_redirection(),
            "log-in as {email}: {}",
            response.body
        );
        assert!(client.cookie.is_some(), "no session cookie after logging in as {email}");
        client
    }

    fn keep_cookie(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap_or_default();
            if value.contains("Max-Age=0") || pair.ends_with('=') {
                self.cookie = None;
            } else {
                self.cookie = Some(pair.to_owned());
            }
        }
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded_pairs(fields);
        let mut request = Request::post(path)
            .header(header::HOST, "coop.example")
            .header(header::ORIGIN, "https://coop.example")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = send(&self.app, request.body(Body::from(body)).unwrap()).await;
        self.keep_cookie(&response.headers);
        response
    }

    /// A same-origin post of `body` as it is, sent as `content_type`.
    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: &str) -> Response {
        let mut request = Request::post(path)
            .header(header::HOST, "coop.example")
            .header(header::ORIGIN, "https://coop.example")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, content_type);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = send(&self.app, request.body(Body::from(body.to_owned())).unwrap()).await;
        self.keep_cookie(&response.headers);
        response
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let mut request = Request::get(path).header(header::ACCEPT, "application/json");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = send(&self.app, request.body(Body::empty()).unwrap()).await;
        self.keep_cookie(&response.headers);
        response
    }

    /// The logged-in user's e-mail according to the server, if any.
    pub async fn who(&mut self) -> Option<String> {
        let response = self.get("/api/auth/me").await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        let json: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        json["email"].as_str().map(str::to_owned)
    }
}

/// `application/x-www-form-urlencoded` encoding of the pairs.
pub fn serde_urlencoded_pairs(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
