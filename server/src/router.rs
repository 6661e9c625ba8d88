//! The HTTP surface: pages (SSR), server functions under `/api`, static files, and the middleware around them.

use app::server::AppState;
use app::server::auth::{AnyStore, Backend};
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, ResponseOptions, generate_route_list_with_exclusions,
    handle_server_fns_with_context,
};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::{GovernorError, GovernorLayer};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::proxy::{ClientAddr, ClientKey, TrustedProxies};
use crate::{assets, boundary, downloads, feeds, forms, locale, proxy, security};

/// Pages and API answers are compressed as they are sent, at brotli (and gzip) quality 1: 16 % more bytes than
/// the default quality 4 (6.4 KB rather than 5.5 KB for the home page) for an eighth more requests served a
/// second, because each answer's compressor tables are set up and zeroed afresh (docs/BENCHMARKS.md).
const DYNAMIC_COMPRESSION: tower_http::CompressionLevel = tower_http::CompressionLevel::Precise(1);
/// Longest a request may take, reading its body included; then 408.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Endpoints that guess passwords or tokens, create accounts or send mail to a typed address: rate-limited per
/// client address.
const RATE_LIMITED: [&str; 5] =
    ["/api/auth/login", "/api/auth/signup", "/api/auth/forgot", "/api/auth/reset", "/api/auth/email/confirm"];
/// Per address: a burst of `HttpConfig::auth_burst` attempts (10 by default), then one more every
/// `RATE_LIMIT_REFILL_SECONDS`.
pub const DEFAULT_AUTH_BURST: u32 = 10;
const RATE_LIMIT_REFILL_SECONDS: u64 = 6;

/// Settings of the HTTP layer that differ between deployments (read from the command line and environment by
/// the binary's `cli.rs`).
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Secure session cookie with the `__Host-` prefix. Off only for plain-http development on localhost.
    pub secure_cookies: bool,
    /// Log-in and sign-up attempts allowed per client address in a burst.
    pub auth_burst: u32,
    /// The site's public address (`PUBLIC_URL`): its origin is the one writes must come from, and `https://`
    /// turns on HSTS.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` and `-Proto` are believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            secure_cookies: true,
            auth_burst: DEFAULT_AUTH_BURST,
            public_url: None,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

impl HttpConfig {
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies { "__Host-ct_session" } else { "ct_session" }
    }
}

/// Creates the sessions table if needed; call once at start-up, after the migrations.
pub async fn prepare_sessions(state: &AppState) -> Result<AnyStore, String> {
    let store = AnyStore::new(&state.sessions_db);
    store.migrate().await.map_err(|e| format!("cannot create the sessions table: {e}"))?;
    Ok(store)
}

/// The app's page routes, generated once per process.
///
/// Generating them renders the whole app with resource loading suppressed by a *process-wide* flag
/// (`leptos_server::SuppressResourceLoad`): a resource first polled by a page being served meanwhile waits forever
/// (leptos-rs/leptos#4773). So generation happens once, before any page is served, and never again — building
/// another router (each HTTP test builds one) reuses the list.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            // Server functions are routed by us (`server_fn` below), not by leptos: each call is checked first.
            let server_fns = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
            generate_route_list_with_exclusions(App, Some(server_fns))
        })
        .clone()
}

pub fn router(state: AppState, config: &HttpConfig) -> Router {
    let routes = page_routes();
    let site = security::SiteOrigin::from_public_url(config.public_url.as_deref());
    // Served over HTTPS (behind a proxy that terminates TLS): browsers keep to HTTPS for a year.
    let hsts = SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        site.is_https().then(|| HeaderValue::from_static("max-age=31536000")),
    );
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();

    let sessions = SessionManagerLayer::new(AnyStore::new(&state.sessions_db))
        .with_name(config.session_cookie_name())
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(security::IDLE_TIMEOUT_MINUTES)));
    let auth = AuthManagerLayerBuilder::new(Backend::new(state.sessions_db.clone()), sessions).build();

    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/locale", post(locale::switch))
        .route("/ical/offers/{file}", get(feeds::offer_feed))
        .route("/ical/trips/{file}", get(feeds::trips_feed))
        .route("/coops/{slug}/ledger.csv", get(downloads::ledger))
        .route("/networks/{slug}/dashboard/{file}", get(downloads::dashboard))
        .route("/stays/{id}/letters/{file}", get(downloads::letter))
        .route("/admin/audit.csv", get(downloads::audit))
        .route("/geo/world.svg", get(world_map))
        .merge(rate_limited_routes(config.auth_burst))
        .route("/api/{*fn_name}", get(server_fn).post(server_fn))
        .leptos_routes_with_context(&state, routes, page_context(context_state.clone()), move || {
            shell(shell_options.clone())
        })
        .merge(assets::pkg_routes(
            std::path::Path::new(&*state.leptos_options.site_root),
            state.leptos_options.hash_files,
        ))
        // Files of the site root (the favicon), else the "not found" page, rendered like every page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context(context_state), shell))
        .layer(middleware::from_fn(security::session_timeouts))
        .layer(auth)
        .layer(middleware::from_fn(security::secure_session_cookies))
        .layer(middleware::from_fn_with_state(site.clone(), security::same_origin_writes))
        .layer(middleware::from_fn_with_state(site.clone(), security::local_redirects))
        .layer(middleware::from_fn(security::no_store_by_default))
        .layer(middleware::from_fn(security::refuse_control_characters))
        .layer(middleware::from_fn(boundary::body_limits))
        // The limits are ours, per route (above); axum's own 2 MB default would undercut the larger ones.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(CompressionLayer::new().quality(DYNAMIC_COMPRESSION))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(security::FALLBACK_CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ))
        .layer(hsts)
        .layer(CatchPanicLayer::custom(security::panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(middleware::from_fn_with_state(config.trusted_proxies.clone(), proxy::client_address))
        .with_state(state)
}

/// What every page render gets: the shared state, and a CSP that allows exactly the inline scripts rendered with
/// this request's nonce.
fn page_context(state: AppState) -> impl Fn() + Clone + Send + 'static {
    move || {
        provide_context(state.clone());
        if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
            && let Ok(csp) = HeaderValue::from_str(&security::page_csp(&nonce.to_string()))
        {
            response.insert_header(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
}

/// Every request's log span: method, path (never the query, which may hold a link's secret) and the client's
/// real address, so that anything logged while serving it says whom it was for.
fn request_span(request: &Request) -> tracing::Span {
    let client = request.extensions().get::<ClientAddr>().map(|c| c.ip);
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        client = client.map(tracing::field::display),
    )
}

/// Readiness: 200 when the database answers, else 503, so a load balancer or an orchestrator sends no traffic
/// to an instance that cannot serve it (`/healthz` only says the process is up).
async fn ready(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(READY_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(error)) => {
            tracing::warn!("readiness: the database does not answer: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "the database does not answer").into_response()
        }
        Err(_) => {
            tracing::warn!("readiness: the database took longer than {READY_TIMEOUT:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "the database does not answer in time").into_response()
        }
    }
}

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The world map's country outlines: built into the binary (Natural Earth, see `app/build/geodata.rs`), the same
/// for every visitor, so cached for a day.
async fn world_map() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        app::server::places::WORLD_SVG,
    )
}

/// Log-in and sign-up, behind a per-address rate limit that answers 429 with a message people can act on.
fn rate_limited_routes(burst: u32) -> Router<AppState> {
    let limit = GovernorConfigBuilder::default()
        .key_extractor(ClientKey)
        .per_second(RATE_LIMIT_REFILL_SECONDS)
        .burst_size(burst)
        .finish()
        .map(|config| GovernorLayer::new(config).error_handler(too_many_requests));
    let mut routes = Router::new();
    for path in RATE_LIMITED {
        // GET too, so that the wrong method gets the same 405 as every other server function.
        routes = routes.route(path, get(server_fn).post(server_fn));
    }
    match limit {
        Some(layer) => routes.route_layer(layer),
        None => {
            tracing::error!("rate limit configuration is invalid; log-in and sign-up are not rate-limited");
            routes
        }
    }
}

fn too_many_requests(error: GovernorError) -> Response<Body> {
    let (wait, headers) = match error {
        GovernorError::TooManyRequests { wait_time, headers } => (wait_time, headers),
        GovernorError::UnableToExtractKey => {
            tracing::error!("rate limit: no client address (the client_address layer is missing)");
            (RATE_LIMIT_REFILL_SECONDS, None)
        }
        GovernorError::Other { headers, .. } => (RATE_LIMIT_REFILL_SECONDS, headers),
    };
    let message = format!("Too many attempts from your address: wait {wait} seconds and try again.");
    let body = format!("{{\"RateLimited\":{message:?}}}");
    let mut response = (axum::http::StatusCode::TOO_MANY_REQUESTS, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(headers) = headers {
        response.headers_mut().extend(headers);
    }
    response
}

/// Every server function, with the shared state in its context; a call that cannot be right is refused first
/// (`boundary::refuse_server_fn_call`).
async fn server_fn(State(state): State<AppState>, request: Request) -> Response {
    if let Some(refused) = boundary::refuse_server_fn_call(&request) {
        return refused;
    }
    if !forms::is_plain_form_post(&request) {
        return handle_server_fns_with_context(move || provide_context(state.clone()), request).await.into_response();
    }
    // A plain form post: its redirect back says which form it was and whether it succeeded (see `forms`).
    let function = request.uri().path().to_owned();
    let referer = request.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let session = request.extensions().get::<tower_sessions::Session>().cloned();
    let (request, sent) = match forms::read_form(request).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let response =
        handle_server_fns_with_context(move || provide_context(state.clone()), request).await.into_response();
    // Refused: what was typed goes back into the form once (app::ui::forms::refill), never into the address.
    if forms::refused(&response)
        && let Some(session) = session
    {
        let refill = app::views::forms::Refill { function: function.clone(), fields: sent.fields };
        if let Err(error) = session.insert(app::views::forms::REFILL_KEY, refill).await {
            tracing::warn!("keeping a refused form's fields: {error}");
        }
    }
    forms::mark_outcome(response, &function, referer.as_deref(), sent.id.as_deref())
}
