//! What a request must be before it reaches a handler: a body no larger than its route takes, and, for server
//! functions, a path and method that exist, a form-encoded body, and only parameters the function reads. Each
//! refusal is a clear 4xx in the same JSON shape as every other error (`{"Validation": {"rule": …}}`), never a
//! 500.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::error::{AppError, Refusal};

/// Most requests are forms and server-function arguments: the longest text fields (4,000 characters) fit many
/// times over, even in a script that percent-encodes to 12 bytes a character.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;
/// Routes that take more: a calendar import carries the whole `.ics` file (up to
/// `server::ical::MAX_IMPORT_BYTES`, 1 MiB, which form encoding can triple).
pub const BODY_LIMITS: [(&str, usize); 1] = [("/api/calendar/import", 4 * 1024 * 1024)];

/// The body limit of a path.
pub fn body_limit(path: &str) -> usize {
    BODY_LIMITS.iter().find(|(route, _)| *route == path).map_or(DEFAULT_BODY_LIMIT, |(_, limit)| *limit)
}

/// Refuses a body larger than its route's limit: at once when `Content-Length` says so (the body is never read),
/// else when reading it passes the limit. The 413 says `Connection: close`, because the unread rest of the body
/// is still on the connection: the client knows to open a new one for its next request.
pub async fn body_limits(request: Request, next: Next) -> Response {
    let limit = body_limit(request.uri().path());
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large(limit);
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    let response = next.run(request).await;
    // A body without a declared length was cut off while it was read (axum's extractors answer 413): the same
    // answer as above, `Connection: close` included.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large(limit) } else { response }
}

fn too_large(limit: usize) -> Response {
    let refusal = Refusal::TooLarge { max_kib: limit / 1024 };
    let mut response = error(StatusCode::PAYLOAD_TOO_LARGE, AppError::Validation(refusal));
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// An error answer in the shape server functions use.
fn error(status: StatusCode, error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_else(|_| "{\"Internal\":\"encoding\"}".to_owned());
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The registered server functions' paths and methods, read once.
fn registered() -> &'static HashMap<&'static str, Vec<Method>> {
    static PATHS: OnceLock<HashMap<&'static str, Vec<Method>>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let mut paths: HashMap<&'static str, Vec<Method>> = HashMap::new();
        for (path, method) in leptos::server_fn::axum::server_fn_paths() {
            paths.entry(path).or_default().push(method);
        }
        paths
    })
}

/// What is wrong with a call to a server function before it runs, if anything: an unknown path (404), a method
/// it does not take (405 with `Allow`), a body that is not a form (415), or a query parameter it does not read
/// (400, naming the ones it does).
pub fn refuse_server_fn_call(request: &Request) -> Option<Response> {
    let path = request.uri().path();
    let Some(methods) = registered().get(path) else {
        return Some(error(StatusCode::NOT_FOUND, AppError::NotFound));
    };
    if !methods.contains(request.method()) {
        let allow = methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
        let mut response = error(
            StatusCode::METHOD_NOT_ALLOWED,
            AppError::Validation(Refusal::WrongMethod {
                path: path.to_owned(),
                allow: allow.clone(),
                method: request.method().to_string(),
            }),
        );
        if let Ok(value) = HeaderValue::from_str(&allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return Some(response);
    }
    if *request.method() == Method::POST
        && let Some(kind) = request.headers().get(header::CONTENT_TYPE)
        && !kind.to_str().is_ok_and(|kind| {
            kind.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        })
    {
        return Some(error(StatusCode::UNSUPPORTED_MEDIA_TYPE, AppError::Validation(Refusal::NotFormEncoded)));
    }
    if *request.method() == Method::GET
        && let Some(query) = request.uri().query()
        && let Some(known) = app::api::registry::parameters(path)
    {
        let unknown: Vec<String> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, _)| name.split('[').next().unwrap_or_default().to_owned())
            .filter(|name| !known.contains(&name.as_str()))
            .collect();
        if let Some(name) = unknown.first() {
            let refusal =
                Refusal::UnknownParameter { path: path.to_owned(), name: name.clone(), known: known.join(", ") };
            return Some(error(StatusCode::BAD_REQUEST, AppError::Validation(refusal)));
        }
    }
    None
}
