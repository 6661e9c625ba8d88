//! A forgotten password, a new address and "log out everywhere else", over HTTP on SQLite and PostgreSQL: the
//! links, what they change, whose sessions end, and that no answer tells which addresses have accounts. Account
//! mail is written in its reader's language. The data export holds what is mine.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::server::seed::{DEMO_PASSWORD, seed_demo};
use app::server::services::accounts;
use app::server::store::{notifications, users};
use app::server::{Db, ServiceError};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Client, router};

on_both_databases!(
    a_forgotten_password_is_reset_once_by_its_link_and_every_session_ends,
    asking_for_a_reset_answers_the_same_for_any_address_and_is_limited,
    a_reset_link_expires_after_an_hour,
    a_new_address_is_confirmed_at_that_address_and_the_old_one_is_told,
    an_address_that_has_an_account_is_never_taken_over,
    logging_out_everywhere_else_keeps_only_this_session,
    the_chosen_language_is_the_accounts_and_its_mail_is_written_in_it,
    my_data_export_holds_what_is_mine_and_no_one_elses_address,
    a_deleted_account_leaves_nothing_personal_and_its_stays_stay,
);

const TRAVELLER: &str = "traveller@demo.coop";
const NEW_PASSWORD: &str = "juniper-kettle-harbour";

async fn app(db: Db) -> axum::Router {
    seed_demo(&db, common::today()).await.unwrap();
    router(db).await
}

/// The latest account mail of `kind` to the account of `email`: its link's token (after `marker`) and the address
/// it goes to.
async fn mailed_token(db: &Db, email: &str, kind: &str, marker: &str) -> (String, String) {
    let mut tx = db.begin_read().await.unwrap();
    let user = users::find_by_email(&mut tx, email).await.unwrap().unwrap();
    let (_, body, to) = notifications::latest_account_mail(&mut tx, user.user_id, kind).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let start = body.find(marker).unwrap_or_else(|| panic!("no {marker} in {body}")) + marker.len();
    (body[start..].split_whitespace().next().unwrap().to_owned(), to)
}

/// Whether the account of `email` was sent account mail of `kind`.
async fn was_mailed(db: &Db, email: &str, kind: &str) -> bool {
    let mut tx = db.begin_read().await.unwrap();
    let user = users::find_by_email(&mut tx, email).await.unwrap().unwrap();
    let found = notifications::latest_account_mail(&mut tx, user.user_id, kind).await.unwrap();
    tx.commit().await.unwrap();
    found.is_some()
}

async fn a_forgotten_password_is_reset_once_by_its_link_and_every_session_ends(db: Db) {
    let app = app(db.clone()).await;
    let mut phone = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let mut stranger = Client::new(&app);
    let asked = stranger.post("/api/auth/forgot", &[("email", "Traveller@Demo.coop ")]).await;
    assert!(asked.status.is_success(), "{}", asked.body);
    let (token, to) = mailed_token(&db, TRAVELLER, "reset_password", "/reset?token=").await;
    assert_eq!(to, TRAVELLER);

    let weak = stranger.post("/api/auth/reset", &[("token", &token), ("new_password", "password")]).await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST, "a weak password is refused: {}", weak.body);
    let reset = stranger.post("/api/auth/reset", &[("token", &token), ("new_password", NEW_PASSWORD)]).await;
    assert!(reset.status.is_success(), "the link still works after a refused password: {}", reset.body);
    assert_eq!(stranger.who().await.as_deref(), Some(TRAVELLER), "the reset logs this browser in");
    assert_eq!(phone.who().await, None, "the session from before the reset ended");

    let again =
        Client::new(&app).post("/api/auth/reset", &[("token", &token), ("new_password", "other-kettle-x")]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "a link works once: {}", again.body);
    let old = Client::new(&app).post("/api/auth/login", &[("email", TRAVELLER), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(old.status, StatusCode::BAD_REQUEST, "the old password no longer works");
    Client::logged_in(&app, TRAVELLER, NEW_PASSWORD).await;
}

async fn asking_for_a_reset_answers_the_same_for_any_address_and_is_limited(db: Db) {
    let app = app(db.clone()).await;
    let mut client = Client::new(&app);
    let known = client.post("/api/auth/forgot", &[("email", TRAVELLER)]).await;
    let unknown = client.post("/api/auth/forgot", &[("email", "nobody-here@demo.coop")]).await;
    assert_eq!((known.status, known.body.as_str()), (unknown.status, unknown.body.as_str()));
    let mut tx = db.begin_read().await.unwrap();
    assert!(users::find_by_email(&mut tx, "nobody-here@demo.coop").await.unwrap().is_none(), "no account is made");
    tx.commit().await.unwrap();
    // Five links an hour per address, known or not; then the same refusal for both.
    let now = chrono::Utc::now();
    for _ in 0..4 {
        for email in [TRAVELLER, "nobody-here@demo.coop"] {
            accounts::ask_password_reset(&db, email, now).await.unwrap();
        }
    }
    for email in [TRAVELLER, "nobody-here@demo.coop"] {
        let refused = accounts::ask_password_reset(&db, email, now).await;
        assert!(matches!(refused, Err(ServiceError::RateLimited(_))), "{email}: {refused:?}");
    }
    let later = now + chrono::Duration::minutes(61);
    accounts::ask_password_reset(&db, TRAVELLER, later).await.unwrap();
}

async fn a_reset_link_expires_after_an_hour(db: Db) {
    seed_demo(&db, common::today()).await.unwrap();
    let asked_at = chrono::Utc::now() - chrono::Duration::minutes(accounts::RESET_MINUTES + 1);
    accounts::ask_password_reset(&db, TRAVELLER, asked_at).await.unwrap();
    let (token, _) = mailed_token(&db, TRAVELLER, "reset_password", "/reset?token=").await;
    let late = accounts::reset_password(&db, &token, NEW_PASSWORD, chrono::Utc::now()).await;
    assert!(late.is_err(), "an hour and a minute later the link no longer works");
    let in_time = asked_at + chrono::Duration::minutes(accounts::RESET_MINUTES - 1);
    accounts::reset_password(&db, &token, NEW_PASSWORD, in_time).await.unwrap();
}

async fn a_new_address_is_confirmed_at_that_address_and_the_old_one_is_told(db: Db) {
    let app = app(db.clone()).await;
    let mut laptop = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let mut phone = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let wrong = laptop
        .post("/api/auth/email", &[("current_password", "not-it-at-all"), ("new_email", "moved@demo.coop")])
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "the password first: {}", wrong.body);
    let same = laptop.post("/api/auth/email", &[("current_password", DEMO_PASSWORD), ("new_email", TRAVELLER)]).await;
    assert_eq!(same.status, StatusCode::BAD_REQUEST, "{}", same.body);
    let asked =
        laptop.post("/api/auth/email", &[("current_password", DEMO_PASSWORD), ("new_email", "Moved@Demo.coop")]).await;
    assert!(asked.status.is_success(), "{}", asked.body);
    let (token, to) = mailed_token(&db, TRAVELLER, "change_email", "/email/confirm?token=").await;
    assert_eq!(to, "moved@demo.coop", "the link goes to the new address");
    assert!(was_mailed(&db, TRAVELLER, "email_change_asked").await, "the current address is told");
    assert_eq!(laptop.who().await.as_deref(), Some(TRAVELLER), "nothing changes before the link is opened");

    let confirmed = laptop.post("/api/auth/email/confirm", &[("token", &token)]).await;
    assert!(confirmed.status.is_success(), "{}", confirmed.body);
    assert_eq!(laptop.who().await.as_deref(), Some("moved@demo.coop"), "this session goes on, with the new address");
    assert_eq!(phone.who().await, None, "the other session ended");
    let mut tx = db.begin_read().await.unwrap();
    let user = users::find_by_email(&mut tx, "moved@demo.coop").await.unwrap().unwrap();
    let (_, _, told) =
        notifications::latest_account_mail(&mut tx, user.user_id, "email_changed").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(told, TRAVELLER, "the old address hears of the change");
    let again = Client::new(&app).post("/api/auth/email/confirm", &[("token", &token)]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "a link works once");
    Client::logged_in(&app, "moved@demo.coop", DEMO_PASSWORD).await;
}

async fn an_address_that_has_an_account_is_never_taken_over(db: Db) {
    let app = app(db.clone()).await;
    let mut traveller = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let taken = traveller
        .post("/api/auth/email", &[("current_password", DEMO_PASSWORD), ("new_email", "host@demo.coop")])
        .await;
    let free = traveller
        .post("/api/auth/email", &[("current_password", DEMO_PASSWORD), ("new_email", "free-address@demo.coop")])
        .await;
    assert_eq!((taken.status, taken.body.as_str()), (free.status, free.body.as_str()), "the same answer");
    assert!(was_mailed(&db, "host@demo.coop", "email_taken").await, "the owner of the address hears of it");
    let (_, to) = mailed_token(&db, TRAVELLER, "change_email", "/email/confirm?token=").await;
    assert_eq!(to, "free-address@demo.coop", "no link was sent to the taken address");
}

async fn logging_out_everywhere_else_keeps_only_this_session(db: Db) {
    let app = app(db).await;
    let mut laptop = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let mut phone = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let mut host = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    assert_eq!(Client::new(&app).post("/api/auth/logout-elsewhere", &[]).await.status, StatusCode::UNAUTHORIZED);
    let response = laptop.post("/api/auth/logout-elsewhere", &[]).await;
    assert!(response.status.is_success(), "{}", response.body);
    assert_eq!(laptop.who().await.as_deref(), Some(TRAVELLER), "this session goes on");
    assert_eq!(phone.who().await, None, "the other one ended");
    assert_eq!(host.who().await.as_deref(), Some("host@demo.coop"), "someone else's sessions are untouched");
    Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
}

async fn the_chosen_language_is_the_accounts_and_its_mail_is_written_in_it(db: Db) {
    let app = app(db.clone()).await;
    let mut traveller = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let request = Request::post("/locale")
        .header(header::HOST, "coop.example")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, traveller.cookie.clone().unwrap())
        .body(Body::from("locale=es&next=/account"))
        .unwrap();
    let response = common::send(&app, request).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let mut tx = db.begin_read().await.unwrap();
    assert_eq!(users::find_by_email(&mut tx, TRAVELLER).await.unwrap().unwrap().locale, "es");
    tx.commit().await.unwrap();

    let asked = traveller
        .post("/api/auth/email", &[("current_password", DEMO_PASSWORD), ("new_email", "nueva@demo.coop")])
        .await;
    assert!(asked.status.is_success(), "{}", asked.body);
    let mut tx = db.begin_read().await.unwrap();
    let user = users::find_by_email(&mut tx, TRAVELLER).await.unwrap().unwrap();
    let (_, body, _) =
        notifications::latest_account_mail(&mut tx, user.user_id, "change_email").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert!(body.contains("abrí este enlace"), "the link's mail is in Spanish: {body}");

    // Signing up from a Portuguese page: the confirmation mail is in Portuguese.
    let request = Request::post("/api/auth/signup")
        .header(header::HOST, "coop.example")
        .header(header::ORIGIN, "https://coop.example")
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_LANGUAGE, "pt-BR,pt;q=0.9,en;q=0.5")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=nova%40demo.coop&display_name=Nova&password=juniper-kettle-harbour"))
        .unwrap();
    let response = common::send(&app, request).await;
    assert!(response.status.is_success(), "{}", response.body);
    let mut tx = db.begin_read().await.unwrap();
    let user = users::find_by_email(&mut tx, "nova@demo.coop").await.unwrap().unwrap();
    assert_eq!(user.locale, "pt");
    let (_, body, _) =
        notifications::latest_account_mail(&mut tx, user.user_id, "verify_email").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert!(body.contains("Boas-vindas"), "the confirmation is in Portuguese: {body}");
}

async fn my_data_export_holds_what_is_mine_and_no_one_elses_address(db: Db) {
    let app = app(db).await;
    assert_eq!(Client::new(&app).get("/api/auth/export").await.status, StatusCode::UNAUTHORIZED);
    let mut traveller = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let response = traveller.get("/api/auth/export").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(
        response.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"),
        "a file to keep"
    );
    assert_eq!(response.headers[header::CACHE_CONTROL], "no-store");
    let export: app::views::auth::AccountExport = serde_json::from_str(&response.body).unwrap();
    assert_eq!(export.profile.email, TRAVELLER);
    assert!(!export.coops.is_empty(), "the traveller's co-op");
    assert!(!export.stay_requests.is_empty(), "the demo traveller's requests");
    assert!(export.stay_requests.iter().all(|s| !s.history.is_empty()), "each with its history");
    let others = ["host@demo.coop", "coordinator@demo.coop", "admin@demo.coop", "teixit-obert@demo.coop"];
    for address in others {
        assert!(!response.body.contains(address), "another person's address ({address}) is not in my export");
    }
}

/// Rows anywhere in the database whose text holds `needle`, as "table.column" (every table, every column).
async fn places_holding(db: &Db, needle: &str) -> Vec<String> {
    use app::server::Tx;
    let mut tx = db.begin_read().await.unwrap();
    let pattern = format!("%{needle}%");
    let columns: Vec<(String, String)> = match &mut tx {
        Tx::Sqlite(c) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(&mut **c)
        .await
        .unwrap(),
        Tx::Postgres(c) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema()",
        )
        .fetch_all(&mut **c)
        .await
        .unwrap(),
    };
    assert!(columns.len() > 50, "every table was listed: {}", columns.len());
    let mut found = Vec::new();
    for (table, column) in columns {
        let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1");
        let count: i64 = match &mut tx {
            Tx::Sqlite(c) => sqlx::query_scalar(&sql).bind(&pattern).fetch_one(&mut **c).await.unwrap(),
            Tx::Postgres(c) => sqlx::query_scalar(&sql).bind(&pattern).fetch_one(&mut **c).await.unwrap(),
        };
        if count > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    tx.commit().await.unwrap();
    found
}

async fn a_deleted_account_leaves_nothing_personal_and_its_stays_stay(db: Db) {
    let app = app(db.clone()).await;
    // The only host admin of a co-op hands the role over first; requests under way are withdrawn first.
    let mut host = Client::logged_in(&app, "host@demo.coop", DEMO_PASSWORD).await;
    let refused = host.post("/api/auth/delete", &[("current_password", DEMO_PASSWORD), ("confirm", "on")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("hand_over_first"), "{}", refused.body);
    let mut traveller = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let unticked = traveller.post("/api/auth/delete", &[("current_password", DEMO_PASSWORD)]).await;
    assert_eq!(unticked.status, StatusCode::BAD_REQUEST, "the box must be ticked: {}", unticked.body);
    let wrong = traveller.post("/api/auth/delete", &[("current_password", "not-it-at-all"), ("confirm", "on")]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);

    // A traveller with stays behind them: their requests and messages stay, as a former member's.
    let mut tx = db.begin_write().await.unwrap();
    let row = users::find_by_email(&mut tx, TRAVELLER).await.unwrap().unwrap();
    let (id, name) = (row.user_id, row.display_name.clone());
    let under_way = app::server::store::deletion::stays_in_progress(&mut tx, id, common::today()).await.unwrap();
    tx.commit().await.unwrap();
    if under_way > 0 {
        let refused =
            traveller.post("/api/auth/delete", &[("current_password", DEMO_PASSWORD), ("confirm", "on")]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("stays_in_progress"), "{}", refused.body);
        // Withdraw or cancel them as the traveller would, then delete.
        let mut tx = db.begin_read().await.unwrap();
        let (me, mine) = (
            users::find_by_id(&mut tx, id).await.unwrap().unwrap(),
            app::server::store::exports::stays(&mut tx, id).await.unwrap(),
        );
        tx.commit().await.unwrap();
        let actor = app::server::authz::Actor { user: Some(me.into()) };
        for stay in mine {
            let action = match stay.status.as_str() {
                "requested" | "accepted" => app::domain::StayAction::Withdraw,
                "confirmed" if stay.check_out > common::today() => app::domain::StayAction::Cancel,
                _ => continue,
            };
            let id = app::domain::StayRequestId(stay.stay_request_id);
            app::server::services::stays::act(&db, &actor, id, action, "", (None, None), common::today())
                .await
                .unwrap();
        }
    }
    let export: app::views::auth::AccountExport =
        serde_json::from_str(&traveller.get("/api/auth/export").await.body).unwrap();
    let mut phone = Client::logged_in(&app, TRAVELLER, DEMO_PASSWORD).await;
    let deleted = traveller.post("/api/auth/delete", &[("current_password", DEMO_PASSWORD), ("confirm", "on")]).await;
    assert!(deleted.status.is_success(), "{}", deleted.body);
    assert_eq!(traveller.who().await, None, "this session ended");
    assert_eq!(phone.who().await, None, "and every other one");
    let again = Client::new(&app).post("/api/auth/login", &[("email", TRAVELLER), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "the account no longer logs in");
    let placeholder = format!("deleted-{id}@deleted.invalid");
    for (path, fields) in [
        ("/api/auth/login", vec![("email", placeholder.as_str()), ("password", "!")]),
        ("/api/auth/forgot", vec![("email", placeholder.as_str())]),
        ("/api/auth/signup", vec![("email", placeholder.as_str()), ("display_name", "X"), ("password", NEW_PASSWORD)]),
    ] {
        let response = Client::new(&app).post(path, &fields).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{path} with the erased address: {}", response.body);
    }

    for needle in [TRAVELLER, name.as_str()] {
        assert_eq!(places_holding(&db, needle).await, Vec::<String>::new(), "{needle:?} survives somewhere");
    }
    let mut tx = db.begin_read().await.unwrap();
    let row = users::find_by_id(&mut tx, id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(row.display_name, app::domain::account::FORMER_MEMBER);
    assert_eq!(
        row.password_hash, "!",
        "no password matches it (the demo accounts share one hash, so it is not scanned for)"
    );
    assert_eq!(row.email_verified_at, None, "the row stays for the records, with nothing that reaches a person");
    let kept = places_holding(&db, &export.stay_requests[0].offer).await;
    assert!(kept.iter().any(|p| p.starts_with("offers.")), "the host's offer is untouched");
    // The requests the traveller made stay in the co-ops' records, by a former member.
    let mut tx = db.begin_read().await.unwrap();
    let kept = app::server::store::exports::stays(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(kept.len(), export.stay_requests.len(), "every request stays");
}
