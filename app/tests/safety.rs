//! Safety through the services, on SQLite and PostgreSQL: blocks keep two people apart in requests, messages,
//! profiles and search; new accounts' daily limits hold under concurrent requests; reports reach the coordinators of
//! the networks concerned and the admins only; a moderator's decision (hide, warn, suspend) takes effect and is in
//! the audit trail; a suspended account can neither log in nor keep a session.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use app::domain::notice::kind;
use app::domain::{LatLon, MembershipStatus, OfferId, StayMessageId, StayRequestId, UserId};
use app::error::Refusal;
use app::server::authz::Actor;
use app::server::services::safety::{self, Limits};
use app::server::services::search::{self, Query};
use app::server::services::stays::{self, NewRequest};
use app::server::services::{accounts, offers as offer_service, trust};
use app::server::store::{calendar, coops, networks, offers, users};
use app::server::{Db, ServiceError};
use app::views::safety::Decision;

on_both_databases!(
    a_block_keeps_two_people_apart_in_requests_messages_profiles_and_search,
    a_new_account_sends_a_few_requests_and_first_messages_a_day_and_no_links,
    the_daily_limit_holds_under_concurrent_first_messages,
    a_report_reaches_the_coordinators_concerned_and_the_admins_only,
    a_suspended_account_cannot_log_in_and_its_session_ends,
    hidden_content_stays_hidden_and_every_decision_is_audited,
);

struct World {
    db: Db,
    offer: OfferId,
    host: Actor,
    host_id: UserId,
    traveller: Actor,
    traveller_id: UserId,
    coordinator: Actor,
    /// Coordinates another network, with nothing of this one.
    other_coordinator: Actor,
    admin: Actor,
}

async fn world(db: Db) -> World {
    let mut tx = db.begin_write().await.unwrap();
    let support::TwoCoops { network: _, host_coop, traveller_coop } = support::two_verified_coops(&mut tx, false).await;
    let host = support::new_user(&mut tx, "host@t.coop").await;
    users::add_to_coop(&mut tx, host_coop, host, "host_admin").await.unwrap();
    let traveller = support::new_user(&mut tx, "traveller@t.coop").await;
    users::add_to_coop(&mut tx, traveller_coop, traveller, "member").await.unwrap();
    let coordinator = support::new_user(&mut tx, "coordinator@t.coop").await;
    let net = networks::find_by_slug(&mut tx, "net").await.unwrap().unwrap();
    networks::add_coordinator(&mut tx, net.network_id, coordinator).await.unwrap();
    let other = networks::NewNetwork {
        slug: "other-net",
        name: "Other",
        description: "",
        country: None,
        auto_approve_verified: false,
    };
    let other = networks::insert(&mut tx, &other).await.unwrap();
    let here = LatLon::new(10.0, 10.0).unwrap();
    let far = coops::NewCoop {
        slug: "far-coop",
        name: "Far",
        country: "NG",
        city: "",
        location: here,
        public_location: here,
        website: "",
        description: "",
        languages: "en",
    };
    let far = coops::insert(&mut tx, &far).await.unwrap();
    networks::set_membership(&mut tx, other, far, MembershipStatus::Verified, "", None).await.unwrap();
    let other_coordinator = support::new_user(&mut tx, "other@t.coop").await;
    networks::add_coordinator(&mut tx, other, other_coordinator).await.unwrap();
    let admin = users::NewUser {
        email: "admin@t.coop",
        display_name: "Admin",
        password_hash: "x",
        is_admin: true,
        locale: "en",
    };
    users::insert(&mut tx, &admin).await.unwrap();
    let room = offers::NewOffer { notice_days: 0, ..support::room(host_coop) };
    let offer = offers::insert(&mut tx, &room).await.unwrap();
    let nights: Vec<_> = (0..120).map(|n| (day(n), 2)).collect();
    calendar::set_capacity(&mut tx, offer, &nights).await.unwrap();
    tx.commit().await.unwrap();
    World {
        host: support::actor(&db, "host@t.coop").await,
        host_id: host,
        traveller: support::actor(&db, "traveller@t.coop").await,
        traveller_id: traveller,
        coordinator: support::actor(&db, "coordinator@t.coop").await,
        other_coordinator: support::actor(&db, "other@t.coop").await,
        admin: support::actor(&db, "admin@t.coop").await,
        db,
        offer,
    }
}

fn ask(offer: OfferId, from: u64, to: u64, message: &str) -> NewRequest {
    NewRequest {
        offer,
        check_in: day(from).to_string(),
        check_out: day(to).to_string(),
        guests: 1,
        purpose: "learning".into(),
        message: message.into(),
        skills_offered: String::new(),
        trip: None,
    }
}

async fn requested(w: &World, from: u64, to: u64) -> StayRequestId {
    stays::request(&w.db, &w.traveller, &ask(w.offer, from, to, ""), today(), Limits::OFF).await.unwrap()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

async fn message(w: &World, who: &Actor, id: StayRequestId, body: &str, limits: Limits) -> Result<(), ServiceError> {
    stays::post_message(&w.db, who, id, body, now(), limits).await
}

/// Makes `user`'s account `days` old.
async fn age(db: &Db, user: UserId, days: i64) {
    let mut tx = db.begin_write().await.unwrap();
    users::set_created_at(&mut tx, user, now() - chrono::Duration::days(days)).await.unwrap();
    tx.commit().await.unwrap();
}

fn near() -> Query {
    Query {
        lat: -34.6,
        lon: -58.4,
        radius_km: 50.0,
        check_in: day(60),
        check_out: day(61),
        guests: 1,
        kinds: String::new(),
        language: String::new(),
        page: 0,
        brought: Vec::new(),
        only_matching: false,
        apart_from: Vec::new(),
    }
}

async fn notice_kinds(db: &Db, who: &Actor) -> Vec<String> {
    stays::notifications(db, who).await.unwrap().items.into_iter().map(|n| n.notice.kind).collect()
}

async fn a_block_keeps_two_people_apart_in_requests_messages_profiles_and_search(db: Db) {
    let w = world(db).await;
    let id = requested(&w, 5, 7).await;
    message(&w, &w.host, id, "Welcome!", Limits::OFF).await.unwrap();
    assert!(trust::profile(&w.db, &w.host, w.traveller_id, today()).await.is_ok());
    let mut query = near();
    query.apart_from = safety::coops_apart_from(&w.db, w.traveller_id).await.unwrap();
    assert_eq!(search::search(&w.db, &query).await.unwrap().hits.len(), 1, "found before the block");

    // The host blocks the traveller: everything stops, both ways.
    safety::block(&w.db, &w.host, w.traveller_id).await.unwrap();
    let refused = |r: Result<(), ServiceError>| matches!(r, Err(ServiceError::Conflict(Refusal::Blocked)));
    assert!(refused(message(&w, &w.traveller, id, "Hello?", Limits::OFF).await), "the blocked cannot write");
    assert!(refused(message(&w, &w.host, id, "And you?", Limits::OFF).await), "nor the one who blocked");
    let again = stays::request(&w.db, &w.traveller, &ask(w.offer, 20, 22, ""), today(), Limits::OFF).await;
    assert!(matches!(again, Err(ServiceError::Conflict(Refusal::Blocked))), "{again:?}");
    assert!(matches!(trust::profile(&w.db, &w.host, w.traveller_id, today()).await, Err(ServiceError::NotFound)));
    assert!(matches!(trust::profile(&w.db, &w.traveller, w.host_id, today()).await, Err(ServiceError::NotFound)));
    let apart = safety::coops_apart_from(&w.db, w.traveller_id).await.unwrap();
    assert_eq!(apart.len(), 1);
    query.apart_from = apart;
    assert!(search::search(&w.db, &query).await.unwrap().hits.is_empty(), "the host's offers are gone from search");
    let page = offer_service::offer_page(&w.db, &w.traveller, w.offer, today()).await;
    assert!(matches!(page, Err(ServiceError::NotFound)));
    // The coordinator is not part of the block.
    message(&w, &w.coordinator, id, "I am here if needed", Limits::OFF).await.unwrap();
    assert!(matches!(safety::block(&w.db, &w.host, w.host_id).await, Err(ServiceError::Invalid(Refusal::BlockSelf))));

    // Lifted, it all works again.
    assert_eq!(safety::my_blocks(&w.db, &w.host).await.unwrap().len(), 1);
    safety::unblock(&w.db, &w.host, w.traveller_id).await.unwrap();
    assert!(safety::my_blocks(&w.db, &w.host).await.unwrap().is_empty());
    message(&w, &w.traveller, id, "Thanks", Limits::OFF).await.unwrap();
    assert!(trust::profile(&w.db, &w.traveller, w.host_id, today()).await.is_ok());
}

async fn a_new_account_sends_a_few_requests_and_first_messages_a_day_and_no_links(db: Db) {
    let w = world(db).await;
    let limits = Limits { per_day: 2, new_for_days: 30 };
    let link = stays::request(&w.db, &w.traveller, &ask(w.offer, 1, 2, "see www.example.com"), today(), limits).await;
    assert!(matches!(link, Err(ServiceError::Invalid(Refusal::NewAccountLink { days: 30 }))), "{link:?}");
    let first = stays::request(&w.db, &w.traveller, &ask(w.offer, 1, 2, "Hola"), today(), limits).await.unwrap();
    stays::request(&w.db, &w.traveller, &ask(w.offer, 3, 4, "Hola"), today(), limits).await.unwrap();
    let third = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 6, "Hola"), today(), limits).await;
    let Err(ServiceError::RateLimited(refusal)) = third else { panic!("{third:?}") };
    assert!(refusal.to_string().contains("at most 2 stay requests"), "{refusal}");
    // The refused ones did not count, and nothing of them was kept.
    assert_eq!(stays::mine(&w.db, &w.traveller).await.unwrap().len(), 2);

    // The host's first message in a thread counts; later ones in the same thread do not; links wait.
    let in_first = |body: &'static str| message(&w, &w.host, first, body, limits);
    assert!(matches!(in_first("https://pay.example/now").await, Err(ServiceError::Invalid(_))));
    in_first("Welcome").await.unwrap();
    for _ in 0..4 {
        in_first("More details, https://example.org/map").await.unwrap();
    }

    // An account past its first days is not limited.
    age(&w.db, w.traveller_id, 400).await;
    stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 6, "www.example.com"), today(), limits).await.unwrap();
}

async fn the_daily_limit_holds_under_concurrent_first_messages(db: Db) {
    let w = world(db).await;
    // Twelve requests (limits off for the traveller), then the new host answers each thread at once.
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(requested(&w, 1 + i * 3, 2 + i * 3).await);
    }
    let limits = Limits { per_day: 5, new_for_days: 30 };
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (db, host, id) = (w.db.clone(), w.host.clone(), *id);
            tokio::spawn(async move { stays::post_message(&db, &host, id, "Hello!", now(), limits).await })
        })
        .collect();
    let mut sent = 0;
    let mut limited = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => sent += 1,
            Err(ServiceError::RateLimited(Refusal::NewAccountLimit { per_day: 5, .. })) => limited += 1,
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!((sent, limited), (5, 7));
    let mut tx = w.db.begin_read().await.unwrap();
    let counted = app::server::store::safety::counted(&mut tx, w.host_id, now().date_naive(), "first_message").await;
    tx.commit().await.unwrap();
    assert_eq!(counted.unwrap(), 5);
}

async fn report_message(w: &World, who: &Actor, target: StayMessageId) -> Result<app::domain::ReportId, ServiceError> {
    safety::report(&w.db, who, "message", &target.to_string(), "scam", "asks for money").await
}

async fn a_report_reaches_the_coordinators_concerned_and_the_admins_only(db: Db) {
    let w = world(db).await;
    let id = requested(&w, 5, 7).await;
    message(&w, &w.host, id, "Send me your card number", Limits::OFF).await.unwrap();
    let detail = stays::detail(&w.db, &w.traveller, id, today()).await.unwrap();
    let mid = detail.messages[0].id;

    // Only someone in the thread reports a message, and not their own.
    assert!(matches!(report_message(&w, &w.other_coordinator, mid).await, Err(ServiceError::NotFound)));
    assert!(matches!(report_message(&w, &w.host, mid).await, Err(ServiceError::NotFound)));
    let bad = safety::report(&w.db, &w.traveller, "message", &mid.to_string(), "boring", "").await;
    assert!(matches!(bad, Err(ServiceError::Invalid(Refusal::UnknownValue { .. }))));
    let first = report_message(&w, &w.traveller, mid).await.unwrap();
    assert_eq!(report_message(&w, &w.traveller, mid).await.unwrap(), first, "the same report again is the same");

    assert!(notice_kinds(&w.db, &w.coordinator).await.contains(&kind::REPORT_FILED.to_owned()));
    assert!(notice_kinds(&w.db, &w.admin).await.contains(&kind::REPORT_FILED.to_owned()));
    assert!(!notice_kinds(&w.db, &w.other_coordinator).await.contains(&kind::REPORT_FILED.to_owned()));
    assert!(!notice_kinds(&w.db, &w.host).await.contains(&kind::REPORT_FILED.to_owned()), "not the person reported");

    let queue = safety::queue(&w.db, &w.coordinator, now()).await.unwrap();
    assert_eq!(queue.open.len(), 1);
    let r = &queue.open[0];
    assert_eq!((r.kind.as_str(), r.reason.as_str()), ("message", "scam"));
    assert_eq!(r.content, "Send me your card number");
    assert_eq!(r.about.as_ref().map(|a| a.0), Some(w.host_id));
    assert_eq!(safety::queue(&w.db, &w.admin, now()).await.unwrap().open.len(), 1);
    assert!(safety::queue(&w.db, &w.other_coordinator, now()).await.unwrap().open.is_empty());
    assert!(matches!(safety::queue(&w.db, &w.traveller, now()).await, Err(ServiceError::Forbidden)));
    assert!(matches!(safety::queue(&w.db, &w.host, now()).await, Err(ServiceError::Forbidden)));
    let dismiss = Decision { action: "dismiss".into(), ..Default::default() };
    let by_other = safety::moderate(&w.db, &w.other_coordinator, r.id, &dismiss, now()).await;
    assert!(matches!(by_other, Err(ServiceError::NotFound)), "{by_other:?}");
}

async fn a_suspended_account_cannot_log_in_and_its_session_ends(db: Db) {
    let w = world(db).await;
    // A real password, to log in with.
    let hash = app::server::password::hash("a long enough password".into()).await.unwrap();
    let mut tx = w.db.begin_write().await.unwrap();
    users::set_password_hash(&mut tx, w.host_id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    let session = accounts::log_in(&w.db, "host@t.coop", "a long enough password", now()).await.unwrap();
    let backend = app::server::auth::Backend::new(w.db.clone());
    use axum_login::AuthnBackend as _;
    let before = backend.get_user(&w.host_id.0).await.unwrap().unwrap();
    assert_eq!(axum_login::AuthUser::session_auth_hash(&before), axum_login::AuthUser::session_auth_hash(&session));

    safety::report(&w.db, &w.traveller, "person", &w.host_id.to_string(), "harassment", "").await.unwrap();
    let report = safety::queue(&w.db, &w.coordinator, now()).await.unwrap().open.remove(0);
    let suspend = Decision { action: "suspend".into(), days: "7".into(), note: "threats in messages".into() };
    safety::moderate(&w.db, &w.coordinator, report.id, &suspend, now()).await.unwrap();

    assert!(backend.get_user(&w.host_id.0).await.unwrap().is_none(), "the session ends at once");
    let again = accounts::log_in(&w.db, "host@t.coop", "a long enough password", now()).await;
    let Err(ServiceError::Invalid(Refusal::SuspendedUntil { until })) = again else { panic!("{again:?}") };
    assert_eq!(until, (now() + chrono::Duration::days(7)).date_naive());
    // Nobody reaches them: their profile is gone for the members.
    assert!(matches!(trust::profile(&w.db, &w.traveller, w.host_id, today()).await, Err(ServiceError::NotFound)));
    assert!(trust::profile(&w.db, &w.admin, w.host_id, today()).await.is_ok(), "the admins still see it");
    // Once the time is over they log in again (with a new session: the old one stays ended).
    let later = now() + chrono::Duration::days(8);
    let back = accounts::log_in(&w.db, "host@t.coop", "a long enough password", later).await.unwrap();
    assert_ne!(axum_login::AuthUser::session_auth_hash(&back), axum_login::AuthUser::session_auth_hash(&session));

    // The reporter hears it was handled; the audit trail has who, what and why.
    assert!(notice_kinds(&w.db, &w.traveller).await.contains(&kind::REPORT_HANDLED.to_owned()));
    let audit = safety::audit_page(&w.db, &w.admin, "suspended").await.unwrap();
    assert!(audit.lines.iter().any(|l| l.action == "account_suspended" && l.note.contains("threats")), "{audit:?}");
    assert!(matches!(safety::audit_page(&w.db, &w.coordinator, "").await, Err(ServiceError::Forbidden)));
    let again = safety::moderate(&w.db, &w.coordinator, report.id, &suspend, now()).await;
    assert!(matches!(again, Err(ServiceError::Conflict(Refusal::ReportHandled))));

    // A moderator lifts it: they log in again at once; lifting twice is a clear conflict.
    let by_other = safety::lift_suspension(&w.db, &w.other_coordinator, report.id, "", now()).await;
    assert!(matches!(by_other, Err(ServiceError::NotFound)));
    safety::lift_suspension(&w.db, &w.admin, report.id, "decided too fast", now()).await.unwrap();
    accounts::log_in(&w.db, "host@t.coop", "a long enough password", now()).await.unwrap();
    let twice = safety::lift_suspension(&w.db, &w.admin, report.id, "", now()).await;
    assert!(matches!(twice, Err(ServiceError::Conflict(Refusal::NotSuspended))));
    let audit = safety::audit_page(&w.db, &w.admin, "decided too fast").await.unwrap();
    assert_eq!(audit.lines.iter().map(|l| l.action.as_str()).collect::<Vec<_>>(), vec!["suspension_lifted"]);
}

async fn hidden_content_stays_hidden_and_every_decision_is_audited(db: Db) {
    let w = world(db).await;
    let id = requested(&w, 5, 7).await;
    message(&w, &w.host, id, "Buy cheap stuff", Limits::OFF).await.unwrap();
    let mid = stays::detail(&w.db, &w.traveller, id, today()).await.unwrap().messages[0].id;
    safety::report(&w.db, &w.traveller, "message", &mid.to_string(), "spam", "").await.unwrap();
    safety::report(&w.db, &w.traveller, "offer", &w.offer.to_string(), "unsafe", "no fire exit").await.unwrap();
    let queue = safety::queue(&w.db, &w.admin, now()).await.unwrap();
    assert_eq!(queue.open.len(), 2);
    let hide = Decision { action: "hide".into(), ..Default::default() };
    for report in &queue.open {
        safety::moderate(&w.db, &w.admin, report.id, &hide, now()).await.unwrap();
    }
    let thread = stays::detail(&w.db, &w.traveller, id, today()).await.unwrap();
    assert!(thread.messages[0].hidden && thread.messages[0].body.is_empty());
    // The offer is unpublished and stays so: its co-op cannot publish it again.
    let page = offer_service::offer_page(&w.db, &w.traveller, w.offer, today()).await;
    assert!(matches!(page, Err(ServiceError::NotFound)));
    let publish = offer_service::set_status(&w.db, &w.host, w.offer, "published").await;
    assert!(matches!(publish, Err(ServiceError::Conflict(Refusal::HiddenByModerators))), "{publish:?}");

    // A warning reaches the person with the moderator's note.
    safety::report(&w.db, &w.traveller, "person", &w.host_id.to_string(), "spam", "").await.unwrap();
    let report = safety::queue(&w.db, &w.coordinator, now()).await.unwrap().open.remove(0);
    let warn = Decision { action: "warn".into(), note: "No advertising, please".into(), ..Default::default() };
    safety::moderate(&w.db, &w.coordinator, report.id, &warn, now()).await.unwrap();
    let notices = stays::notifications(&w.db, &w.host).await.unwrap().items;
    assert!(notices.iter().any(|n| n.notice.kind == kind::WARNED && n.notice.note == "No advertising, please"));

    let audit = safety::audit_page(&w.db, &w.admin, "report").await.unwrap();
    assert_eq!(audit.lines.iter().filter(|l| l.action == "report_handled").count(), 3, "{audit:?}");
    let csv = safety::audit_csv(&w.db, &w.admin, "").await.unwrap();
    assert!(csv.starts_with("at,action,by,person,coop,network,note"), "{csv}");
    assert!(csv.contains("report_handled") && csv.contains("No advertising"), "{csv}");
    let escaped = safety::audit_page(&w.db, &w.admin, "100%_").await.unwrap();
    assert!(escaped.lines.is_empty(), "% and _ are searched as themselves");
}
