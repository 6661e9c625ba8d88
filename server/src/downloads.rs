//! Files to download that are not pages: a co-op's ledger of guest-nights hosted and sent, a dashboard's figures
//! (CSV), an invitation letter (PDF). Authorized by the session like the server functions (the service checks who may read it); a refusal
//! is its plain status and reason.

use app::error::AppError;
use app::server::AppState;
use app::server::auth::AuthSession;
use app::server::authz::Actor;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A CSV file named `name`, or the refusal's status and its reason in English.
fn csv_file(name: &str, body: Result<String, AppError>) -> Response {
    match body {
        Ok(body) => {
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            let disposition = format!("attachment; filename=\"{name}\"");
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => (app::api::status_of(&error), error.to_string()).into_response(),
    }
}

pub async fn ledger(State(state): State<AppState>, auth: AuthSession, Path(slug): Path<String>) -> Response {
    let actor = Actor { user: auth.user };
    let body = app::server::services::trust::coop_ledger_csv(&state.db, &actor, &slug).await.map_err(AppError::from);
    // The slug is checked by the lookup: only an existing co-op's (letters, digits, hyphens) reaches the name.
    csv_file(&format!("{slug}-ledger.csv"), body)
}

/// `GET /networks/{slug}/dashboard/{figure}.csv`: one figure of a network's dashboard (`requests`, `countries`,
/// `balances`, `approvals`), for its coordinators and the admins.
pub async fn dashboard(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((slug, file)): Path<(String, String)>,
) -> Response {
    let actor = Actor { user: auth.user };
    let figure = file.strip_suffix(".csv").unwrap_or("");
    let body = app::server::services::trust::dashboard_csv(&state.db, &actor, &slug, figure, state.clock.now())
        .await
        .map_err(AppError::from);
    csv_file(&format!("{slug}-{figure}.csv"), body)
}

/// `GET /stays/{id}/letters/{token}.pdf`: an invitation letter, for its stay's traveller, host admins and
/// coordinators, while it stands. Its verification address starts with the site's public address.
pub async fn letter(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, file)): Path<(i64, String)>,
) -> Response {
    let actor = Actor { user: auth.user };
    let token = file.strip_suffix(".pdf").unwrap_or("");
    let id = app::domain::StayRequestId(id);
    match app::server::services::letters::pdf(&state.db, &actor, id, token, &state.public_url).await {
        Ok((name, bytes)) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            // The name is made of the stay's number and a language code only.
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => {
            let error = AppError::from(error);
            (app::api::status_of(&error), error.to_string()).into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    q: String,
}

/// `GET /admin/audit.csv?q=`: every line of the audit trail that matches the search, for the admins.
pub async fn audit(State(state): State<AppState>, auth: AuthSession, Query(query): Query<AuditQuery>) -> Response {
    let actor = Actor { user: auth.user };
    let body = app::server::services::safety::audit_csv(&state.db, &actor, &query.q).await.map_err(AppError::from);
    csv_file("audit.csv", body)
}
