//! Plain HTML form posts to server functions (every form outside an island, with or without JavaScript).
//!
//! leptos answers one with a redirect back to the page it came from, carrying the error if there was one. Two
//! things are added to that address here, so the page can say what happened where it happened:
//! - `done=<server function path>` when it succeeded and came back to the same page ("Saved.");
//! - `form=<id>` with the form's `id` field, when it has one, so that of several forms of one kind (the accept
//!   buttons of an inbox) only the one that was sent shows its outcome.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The query parameters this module writes (and removes from the address it comes back to, so they never pile up).
pub const DONE: &str = "done";
pub const FORM: &str = "form";

/// A POST from an HTML form without script: the browser asks for HTML (a `fetch` from an island asks for JSON).
pub fn is_plain_form_post(request: &Request) -> bool {
    request.method() == Method::POST
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// A plain post as it was sent: its `id` field, and every field that may be typed again into the form.
pub struct Sent {
    pub id: Option<String>,
    pub fields: Vec<(String, String)>,
}

/// Reads the form's fields, giving back a request with the same body. Secrets (passwords, tokens) are not kept.
pub async fn read_form(request: Request) -> Result<(Request, Sent), Response> {
    let (parts, body) = request.into_parts();
    // The body is already bounded by its route's limit (boundary::body_limits): past it, the same 413.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    };
    let id = form_urlencoded::parse(&bytes).find(|(name, _)| name == "id").map(|(_, value)| value.into_owned());
    let fields = form_urlencoded::parse(&bytes)
        .filter(|(name, _)| !name.contains("password") && !name.contains("token"))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    Ok((Request::from_parts(parts, Body::from(bytes)), Sent { id, fields }))
}

/// Whether the answer to a plain post says it was refused (leptos puts the error in the address it goes back to).
pub fn refused(response: &Response) -> bool {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| location.split_once('?'))
        .is_some_and(|(_, query)| carries_error(query))
}

/// Whether a redirect's query carries leptos's error of a plain post.
fn carries_error(query: &str) -> bool {
    form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == "__err")
}

/// Adds `done` and `form` to the redirect that answers a plain form post.
pub fn mark_outcome(mut response: Response, function: &str, referer: Option<&str>, form: Option<&str>) -> Response {
    let Some(location) = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return response;
    };
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    let failed = carries_error(query);
    // A server function's own redirect (to the new stay, to the account) says enough by where it leads.
    let back_here = referer.is_some_and(|referer| path_of(referer) == path_of(location));
    if !failed && !back_here {
        return response;
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name != DONE && name != FORM {
            out.append_pair(&name, &value);
        }
    }
    if !failed {
        out.append_pair(DONE, function);
    }
    if let Some(form) = form {
        out.append_pair(FORM, form);
    }
    let marked = format!("{path}?{}", out.finish());
    if let Ok(value) = HeaderValue::from_str(&marked) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The path of an address, absolute (`http://host/path?…`) or not (`/path?…`).
fn path_of(address: &str) -> &str {
    let without_query = address.split(['?', '#']).next().unwrap_or_default();
    match without_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => without_query,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(location: &str) -> Response {
        (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
    }

    fn location(response: &Response) -> &str {
        response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    #[test]
    fn a_success_back_on_the_same_page_says_which_form_is_done() {
        let referer = "http://127.0.0.1:3000/inbox?done=%2Fapi%2Fstays%2Fact&form=3";
        let marked = mark_outcome(redirect(referer), "/api/stays/act", Some(referer), Some("7"));
        assert_eq!(location(&marked), "http://127.0.0.1:3000/inbox?done=%2Fapi%2Fstays%2Fact&form=7");
    }

    #[test]
    fn an_error_names_the_form_it_came_from() {
        let back = "/inbox?__path=%2Fapi%2Fstays%2Fact&__err=boom";
        let marked = mark_outcome(redirect(back), "/api/stays/act", Some("http://x/inbox"), Some("7"));
        assert_eq!(location(&marked), "/inbox?__path=%2Fapi%2Fstays%2Fact&__err=boom&form=7");
    }

    #[test]
    fn a_redirect_elsewhere_is_left_alone() {
        let marked = mark_outcome(redirect("/stays/9"), "/api/stays/request", Some("http://x/offers/1"), None);
        assert_eq!(location(&marked), "/stays/9");
    }
}
