//! The iCal feeds: `GET /ical/offers/{token}.ics` (an offer's confirmed stays and blocks) and
//! `GET /ical/trips/{token}.ics` (a traveller's stays). The secret token in the URL is the authorization, so an
//! unknown or revoked one answers 404, the same as a path that never existed.

use app::server::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn calendar(body: Option<String>) -> Response {
    match body {
        Some(body) => {
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
            // Calendar clients poll; a few minutes of caching spares the database.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn token(file: &str) -> &str {
    file.strip_suffix(".ics").unwrap_or(file)
}

pub async fn offer_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match app::server::services::calendar::offer_feed(&state.db, token(&file), state.clock.today()).await {
        Ok(body) => calendar(body),
        Err(error) => {
            tracing::error!("offer feed: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn trips_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match app::server::services::calendar::traveller_feed(&state.db, token(&file)).await {
        Ok(body) => calendar(body),
        Err(error) => {
            tracing::error!("trips feed: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
