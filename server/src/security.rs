//! Middleware of the security baseline (SECURITY.md): same-origin writes, a nonce-based CSP, and session
//! timeouts.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::server::auth::{AuthSession, LOGGED_IN_AT, SEEN_AT};

use crate::proxy::ClientAddr;

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// …and this long after log-in, whatever happens (ASVS level 2: re-authenticate every 12 hours).
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 12;
/// `seen_at` is refreshed (one session write) at most this often.
const SEEN_RESOLUTION_SECONDS: i64 = 60;

/// Our own origin as a browser spells it in `Origin`, for the checks below.
#[derive(Debug, Clone, Default)]
pub struct SiteOrigin {
    /// `scheme://host[:port]` of `PUBLIC_URL`, when set. Without it our origin is the `Host` the request names,
    /// over `https://` when a trusted proxy says the client came that way (`X-Forwarded-Proto`), else `http://`.
    pub fixed: Option<String>,
}

impl SiteOrigin {
    /// The origin of a public URL such as `https://travel.coop.example/` (path dropped, lower-cased).
    pub fn from_public_url(url: Option<&str>) -> Self {
        let fixed = url.and_then(|url| {
            let (scheme, rest) = url.split_once("://")?;
            let authority = rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty())?;
            Some(format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase()))
        });
        SiteOrigin { fixed }
    }

    /// Our origin for a request with these headers, from this client.
    fn of(&self, headers: &HeaderMap, client: Option<&ClientAddr>) -> Option<String> {
        self.fixed.clone().or_else(|| {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok())?;
            let scheme = if client.and_then(|c| c.forwarded_https) == Some(true) { "https" } else { "http" };
            Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
        })
    }

    /// Whether we are served over HTTPS (then browsers are told to keep to it).
    pub fn is_https(&self) -> bool {
        self.fixed.as_deref().is_some_and(|o| o.starts_with("https://"))
    }
}

/// Refuses any request that may change data (not GET, HEAD or OPTIONS) unless the browser says it comes from our
/// own pages: `Sec-Fetch-Site: same-origin`, or an `Origin` equal to ours, scheme included. A cross-site form
/// post, or a client that sends neither header, gets 403.
pub async fn same_origin_writes(State(site): State<SiteOrigin>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(request.headers(), request.extensions().get::<ClientAddr>(), &site)
    {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-origin write refused");
        (StatusCode::FORBIDDEN, "This request did not come from this site's own pages, so it was refused.")
            .into_response()
    }
}

fn is_same_origin(headers: &HeaderMap, client: Option<&ClientAddr>, site: &SiteOrigin) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(fetch_site) = text("sec-fetch-site") {
        return fetch_site == "same-origin";
    }
    match (text(header::ORIGIN.as_str()), site.of(headers, client)) {
        (Some(origin), Some(ours)) => origin.eq_ignore_ascii_case(&ours),
        _ => false,
    }
}

/// Every redirect stays on this site. leptos answers a plain form post that failed with a redirect to its
/// `Referer`, which a client may set to anything; and no handler of ours should ever send a browser elsewhere.
/// A `Location` that is neither a local path nor under our own origin becomes `/`.
pub async fn local_redirects(State(site): State<SiteOrigin>, request: Request, next: Next) -> Response {
    let ours = site.of(request.headers(), request.extensions().get::<ClientAddr>());
    let mut response = next.run(request).await;
    if let Some(location) = response.headers().get(header::LOCATION) {
        let text = location.to_str().unwrap_or_default();
        let path = match &ours {
            Some(origin) => text.strip_prefix(origin.as_str()).filter(|rest| rest.starts_with('/')).unwrap_or(text),
            None => text,
        };
        if app::domain::redirect::local_path(path) != path {
            tracing::warn!(location = %text.escape_debug(), "redirect off the site replaced by /");
            response.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
        }
    }
    response
}

/// Refuses, with a clear 400, any request that carries a NUL or another control character where no text may hold
/// one: in its path or query (decoded), or a NUL in a form or JSON body. They reach no handler, so no database
/// sees them (PostgreSQL refuses a NUL in text with an error).
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let bad_text = |raw: &str| percent_decoded(raw).chars().any(|c| c.is_control()) || raw.contains("%00");
    let uri = request.uri();
    if bad_text(uri.path()) || uri.query().is_some_and(|q| bad_text(&q.replace('+', " "))) {
        return control_characters_refused();
    }
    let form_or_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded") || t.starts_with("application/json"));
    if !form_or_json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body is already bounded by its route's limit (`boundary::body_limits`, outside this layer).
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("%00") || text.contains('\0') || text.contains("\\u0000") {
        return control_characters_refused();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn percent_decoded(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(0));
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn control_characters_refused() -> Response {
    let refusal = app::error::AppError::Validation(app::error::Refusal::ControlCharacterInRequest);
    let body = serde_json::to_string(&refusal).unwrap_or_default();
    let mut response = (StatusCode::BAD_REQUEST, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Responses are personal unless they are shared files: pages carry the visitor's name and menu, server functions
/// their data. Anything that did not choose its own `Cache-Control` is not stored by browsers or proxies.
pub async fn no_store_by_default(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let shared = path.starts_with("/pkg/") || path.starts_with("/geo/") || path.starts_with("/favicon.");
    let mut response = next.run(request).await;
    if !shared && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// For responses that are not pages we rendered (files, errors): nothing inline may run.
pub const FALLBACK_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
                                base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Ends a logged-in session that has been idle too long or is older than the absolute limit; otherwise notes
/// the activity (at most once a minute, so most requests do not write the session).
pub async fn session_timeouts(mut request: Request, next: Next) -> Response {
    let Some(mut auth) = request.extensions().get::<AuthSession>().cloned() else {
        return next.run(request).await;
    };
    if let Some(user) = auth.user.clone() {
        let now = chrono::Utc::now().timestamp();
        let logged_in_at: Option<i64> = auth.session.get(LOGGED_IN_AT).await.ok().flatten();
        let seen_at: Option<i64> = auth.session.get(SEEN_AT).await.ok().flatten();
        let too_old = logged_in_at.is_none_or(|at| now - at > ABSOLUTE_TIMEOUT_HOURS * 3600);
        let idle = seen_at.is_none_or(|at| now - at > IDLE_TIMEOUT_MINUTES * 60);
        if too_old || idle {
            tracing::info!(user_id = %user.id, reason = if too_old { "absolute" } else { "idle" }, "session expired");
            if let Err(error) = auth.logout().await {
                tracing::error!("ending an expired session: {error}");
            }
            request.extensions_mut().insert(auth);
        } else if seen_at.is_some_and(|at| now - at >= SEEN_RESOLUTION_SECONDS)
            && let Err(error) = auth.session.insert(SEEN_AT, now).await
        {
            tracing::error!("noting session activity: {error}");
        }
    }
    next.run(request).await
}

/// tower-sessions 0.14 sends the cookie that deletes a session (at log-out) without `Secure`, and browsers ignore
/// a `__Host-` cookie without it, so the dead id would linger in the browser. Adds the attribute to any session
/// cookie that lacks it.
pub async fn secure_session_cookies(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let fixed: Vec<HeaderValue> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| match value.to_str() {
            Ok(text) if text.starts_with("__Host-") && !text.to_ascii_lowercase().contains("; secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| value.clone())
            }
            _ => value.clone(),
        })
        .collect();
    if !fixed.is_empty() {
        response.headers_mut().remove(header::SET_COOKIE);
        for value in fixed {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The answer to a request whose handler panicked: a 500 with a reference to find the cause in the log, never a
/// dropped connection.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let cause = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let reference = format!("{:08x}", rand::random::<u32>());
    tracing::error!(reference, "a request panicked: {cause}");
    let body = format!("{{\"Internal\":\"something went wrong (ref {reference})\"}}");
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn control_characters_are_found_however_they_are_encoded() {
        assert_eq!(percent_decoded("a%00b%2Fc%zz"), "a\u{0}b/c%zz");
        assert!(percent_decoded("/coops/a%00b").chars().any(char::is_control));
        assert!(!percent_decoded("/search?place=Buenos%20Aires").chars().any(char::is_control));
    }

    #[test]
    fn a_write_from_our_own_pages_passes() {
        let plain = SiteOrigin::default();
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")]), None, &plain));
        assert!(is_same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            None,
            &plain
        ));
        let public = SiteOrigin::from_public_url(Some("https://Travel.Coop.example/"));
        assert!(is_same_origin(
            &headers(&[("origin", "https://travel.coop.example"), ("host", "10.0.0.2:3000")]),
            None,
            &public
        ));
        // Without PUBLIC_URL, a trusted proxy's X-Forwarded-Proto says the page came over https.
        let behind_proxy = ClientAddr { ip: std::net::Ipv4Addr::LOCALHOST.into(), forwarded_https: Some(true) };
        assert!(is_same_origin(
            &headers(&[("origin", "https://coop.example"), ("host", "coop.example")]),
            Some(&behind_proxy),
            &plain
        ));
    }

    #[test]
    fn a_write_from_another_site_or_without_headers_is_refused() {
        let plain = SiteOrigin::default();
        let refused =
            |pairs: &[(&'static str, &'static str)], site: &SiteOrigin| !is_same_origin(&headers(pairs), None, site);
        assert!(refused(&[("sec-fetch-site", "cross-site"), ("origin", "http://a"), ("host", "a")], &plain));
        assert!(refused(&[("sec-fetch-site", "same-site")], &plain));
        assert!(refused(&[("origin", "https://evil.example"), ("host", "coop.example")], &plain));
        assert!(refused(&[("origin", "null"), ("host", "coop.example")], &plain));
        assert!(refused(&[("host", "coop.example")], &plain));
        // The scheme counts: a page over plain http may not write to the https site, nor the reverse.
        assert!(refused(&[("origin", "https://coop.example"), ("host", "coop.example")], &plain));
        let public = SiteOrigin::from_public_url(Some("https://coop.example"));
        assert!(refused(&[("origin", "http://coop.example"), ("host", "coop.example")], &public));
    }
}
