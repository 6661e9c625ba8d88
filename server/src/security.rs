//! Middleware of the security baseline (DESIGN.md §4): same-origin writes, a nonce-based CSP, and session
//! timeouts.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::server::auth::{AuthSession, LOGGED_IN_AT, SEEN_AT};

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// …and this long after log-in, whatever happens (ASVS level 2: re-authenticate every 12 hours).
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 12;
/// `seen_at` is refreshed (one session write) at most this often.
const SEEN_RESOLUTION_SECONDS: i64 = 60;

/// Refuses any request that may change data (not GET, HEAD or OPTIONS) unless the browser says it comes from our
/// own pages: `Sec-Fetch-Site: same-origin`, or an `Origin` whose host is the request's `Host`. A cross-site
/// form post, or a client that sends neither header, gets 403.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-origin write refused");
        (StatusCode::FORBIDDEN, "This request did not come from this site's own pages, so it was refused.")
            .into_response()
    }
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site == "same-origin";
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (Some(origin), Some(host)) => {
            let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
        }
        _ => false,
    }
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
    fn a_write_from_our_own_pages_passes() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
    }

    #[test]
    fn a_write_from_another_site_or_without_headers_is_refused() {
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://a"), ("host", "a")])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_same_origin(&headers(&[("origin", "https://evil.example"), ("host", "coop.example")])));
        assert!(!is_same_origin(&headers(&[("origin", "null"), ("host", "coop.example")])));
        assert!(!is_same_origin(&headers(&[("host", "coop.example")])));
    }
}
