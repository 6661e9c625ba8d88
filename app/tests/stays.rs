//! The stay request workflow through the services, on SQLite and PostgreSQL: the golden path, every refusal a
//! traveller can meet, capacity held and released, suggestions, auto-approval, the background task, notifications
//! and the race of 200 hosts' clicks for the last places.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use std::time::Instant;

use app::domain::notice::{Audience, EmailMode, Topic};
use app::domain::{DateRange, OfferId, StayAction, StayRequestId, StayStatus};
use app::error::Refusal;
use app::server::authz::Actor;
use app::server::services::stays::{self, NewRequest};
use app::server::store::{calendar, networks, notifications, offers, users};
use app::server::{Db, ServiceError};

on_both_databases!(
    a_traveller_requests_the_host_accepts_and_a_coordinator_approves,
    requests_that_break_a_rule_are_refused_with_the_rule,
    withdrawing_after_acceptance_gives_the_nights_back,
    a_suggestion_becomes_a_new_request_in_one_step,
    a_network_can_approve_visits_between_verified_coops_itself,
    only_the_people_involved_may_act_and_only_in_their_role,
    the_background_task_completes_and_expires_exactly_once,
    every_event_is_notified_once_to_everyone_involved_but_the_actor,
    two_hundred_concurrent_accepts_never_overbook,
    notification_emails_are_written_once_and_respect_the_preference,
    a_trip_lists_its_legs_in_order_with_the_route,
    a_request_is_filed_under_a_trip_after_it_was_sent,
    the_inbox_shows_each_request_beside_its_own_nights,
    nobody_approves_a_visit_they_travel_on_or_host,
    a_traveller_firing_many_overlapping_requests_at_once_gets_exactly_one,
    a_request_is_neither_accepted_nor_approved_once_its_coops_are_no_longer_verified,
    a_decline_is_told_in_the_travellers_language_with_the_hosts_note,
    a_daily_digest_carries_everything_that_waited_once,
    coordinators_hear_only_of_what_waits_for_them,
    a_join_request_reaches_the_coordinators_and_the_decision_the_coops_admins,
    a_stay_ends_by_the_host_coops_date_not_the_servers,
);

/// A small world: one network, a host co-op with an offer open for 30 nights, a traveller co-op.
struct World {
    db: Db,
    offer: OfferId,
    host: Actor,
    traveller: Actor,
    coordinator: Actor,
    outsider: Actor,
    traveller_coop: app::domain::CoopId,
    network: app::domain::NetworkId,
}

use app::server::services::safety::Limits;
use support::actor;

async fn world(db: Db, capacity: i32, auto_approve: bool) -> World {
    let mut tx = db.begin_write().await.unwrap();
    let support::TwoCoops { network, host_coop, traveller_coop } =
        support::two_verified_coops(&mut tx, auto_approve).await;
    let host = support::new_user(&mut tx, "host@t.coop").await;
    users::add_to_coop(&mut tx, host_coop, host, "host_admin").await.unwrap();
    let traveller = support::new_user(&mut tx, "traveller@t.coop").await;
    users::add_to_coop(&mut tx, traveller_coop, traveller, "member").await.unwrap();
    let coordinator = support::new_user(&mut tx, "coordinator@t.coop").await;
    networks::add_coordinator(&mut tx, network, coordinator).await.unwrap();
    support::new_user(&mut tx, "outsider@t.coop").await;
    let room = offers::NewOffer { default_capacity: capacity, notice_days: 2, ..support::room(host_coop) };
    let offer = offers::insert(&mut tx, &room).await.unwrap();
    let nights: Vec<_> = (0..30).map(|n| (day(n), capacity)).collect();
    calendar::set_capacity(&mut tx, offer, &nights).await.unwrap();
    tx.commit().await.unwrap();
    World {
        host: actor(&db, "host@t.coop").await,
        traveller: actor(&db, "traveller@t.coop").await,
        coordinator: actor(&db, "coordinator@t.coop").await,
        outsider: actor(&db, "outsider@t.coop").await,
        db,
        offer,
        traveller_coop,
        network,
    }
}

fn ask(offer: OfferId, from: u64, to: u64, guests: i32) -> NewRequest {
    NewRequest {
        offer,
        check_in: day(from).to_string(),
        check_out: day(to).to_string(),
        guests,
        purpose: "intercooperation".into(),
        message: "Hola".into(),
        skills_offered: "Rust".into(),
        trip: None,
    }
}

async fn reserved(w: &World, from: u64, to: u64) -> Vec<i32> {
    let mut tx = w.db.begin_read().await.unwrap();
    let range = DateRange::new(day(from), day(to)).unwrap();
    calendar::nights(&mut tx, w.offer, range).await.unwrap().into_iter().map(|n| n.reserved).collect()
}

async fn act(w: &World, who: &Actor, id: StayRequestId, action: StayAction) -> Result<StayStatus, ServiceError> {
    stays::act(&w.db, who, id, action, "", (None, None), today()).await
}

async fn a_traveller_requests_the_host_accepts_and_a_coordinator_approves(db: Db) {
    let w = world(db, 2, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 8, 2), today(), Limits::OFF).await.unwrap();
    let before = stays::detail(&w.db, &w.traveller, id, today()).await.unwrap();
    assert_eq!(before.stay.status.as_str(), "requested");
    assert_eq!(before.address, None, "no address before confirmation");
    assert_eq!(before.actions, [StayAction::Withdraw]);

    assert_eq!(act(&w, &w.host, id, StayAction::Accept).await.unwrap(), StayStatus::Accepted);
    assert_eq!(reserved(&w, 5, 8).await, [2, 2, 2], "held at acceptance");
    assert_eq!(stays::approvals(&w.db, &w.coordinator).await.unwrap().len(), 1);
    assert_eq!(act(&w, &w.coordinator, id, StayAction::Approve).await.unwrap(), StayStatus::Confirmed);

    let after = stays::detail(&w.db, &w.traveller, id, today()).await.unwrap();
    assert_eq!(after.address.as_deref(), Some("Calle Falsa 123"), "the address once confirmed");
    let trail: Vec<_> = after.events.iter().map(|e| e.to.as_str()).collect();
    assert_eq!(trail, ["requested", "accepted", "confirmed"]);
    assert_eq!(reserved(&w, 5, 8).await, [2, 2, 2]);
    assert!(stays::approvals(&w.db, &w.coordinator).await.unwrap().is_empty());
}

async fn requests_that_break_a_rule_are_refused_with_the_rule(db: Db) {
    let w = world(db, 2, false).await;
    let refused = |r: Result<StayRequestId, ServiceError>| r.unwrap_err().to_string();
    let req = |from, to, guests| {
        let new = ask(w.offer, from, to, guests);
        let (db, traveller) = (w.db.clone(), w.traveller.clone());
        async move { stays::request(&db, &traveller, &new, today(), Limits::OFF).await }
    };
    assert!(refused(req(1, 3, 1).await).contains("earliest check-in"), "notice days");
    assert!(refused(req(5, 15, 1).await).contains("1 to 7 nights"), "max nights");
    assert!(refused(req(5, 7, 3).await).contains("1 to 2 guests"), "capacity");
    assert!(refused(req(28, 32, 1).await).contains("is not open"), "nights without calendar");
    let first = req(5, 8, 2).await.unwrap();
    act(&w, &w.host, first, StayAction::Accept).await.unwrap();
    let other = actor(&w.db, "outsider@t.coop").await;
    let mut tx = w.db.begin_write().await.unwrap();
    let outsider_id = other.user.as_ref().unwrap().id;
    users::add_to_coop(&mut tx, w.traveller_coop, outsider_id, "member").await.unwrap();
    tx.commit().await.unwrap();
    let full = stays::request(&w.db, &other, &ask(w.offer, 6, 7, 1), today(), Limits::OFF).await;
    assert!(refused(full).contains(&format!("the night of {} has 0 free places", day(6))));
    assert!(refused(req(7, 9, 1).await).contains("overlapping"), "a second overlapping request");
    let stranger = stays::request(&w.db, &w.host, &ask(w.offer, 10, 11, 1), today(), Limits::OFF).await;
    assert!(refused(stranger).contains("your own co-op"));
    let mut bad = ask(w.offer, 9, 8, 1);
    assert!(refused(stays::request(&w.db, &w.traveller, &bad, today(), Limits::OFF).await).contains("after check-in"));
    bad = ask(w.offer, 9, 10, 1);
    bad.purpose = "tourism".into();
    assert!(refused(stays::request(&w.db, &w.traveller, &bad, today(), Limits::OFF).await).contains("tourism"));
}

async fn withdrawing_after_acceptance_gives_the_nights_back(db: Db) {
    let w = world(db, 1, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, id, StayAction::Accept).await.unwrap();
    assert_eq!(reserved(&w, 5, 7).await, [1, 1]);
    assert_eq!(act(&w, &w.traveller, id, StayAction::Withdraw).await.unwrap(), StayStatus::Withdrawn);
    assert_eq!(reserved(&w, 5, 7).await, [0, 0]);
    // The nights can be requested and accepted again.
    let again = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    assert_eq!(act(&w, &w.host, again, StayAction::Accept).await.unwrap(), StayStatus::Accepted);
    // A confirmed stay cancelled by the host releases too.
    act(&w, &w.coordinator, again, StayAction::Approve).await.unwrap();
    assert_eq!(act(&w, &w.host, again, StayAction::Cancel).await.unwrap(), StayStatus::Cancelled);
    assert_eq!(reserved(&w, 5, 7).await, [0, 0]);
}

async fn a_suggestion_becomes_a_new_request_in_one_step(db: Db) {
    let w = world(db, 2, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    let suggestion = (Some(day(10).to_string()), Some(day(12).to_string()));
    let status = stays::act(&w.db, &w.host, id, StayAction::SuggestDates, "Busy that week", suggestion, today());
    assert_eq!(status.await.unwrap(), StayStatus::Suggested);
    let new_id = stays::rebook(&w.db, &w.traveller, id, today(), Limits::OFF).await.unwrap();
    let new = stays::detail(&w.db, &w.traveller, new_id, today()).await.unwrap();
    assert_eq!((new.stay.check_in, new.stay.check_out, new.stay.status.as_str()), (day(10), day(12), "requested"));
    assert_eq!(new.stay.message, "Hola");
    assert!(stays::rebook(&w.db, &w.host, id, today(), Limits::OFF).await.is_err(), "only the traveller rebooks");
}

async fn a_network_can_approve_visits_between_verified_coops_itself(db: Db) {
    let w = world(db, 2, true).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    assert_eq!(act(&w, &w.host, id, StayAction::Accept).await.unwrap(), StayStatus::Confirmed);
    let trail = stays::detail(&w.db, &w.host, id, today()).await.unwrap().events;
    let approval = trail.last().unwrap();
    assert_eq!((approval.actor.as_deref(), approval.to), (None, StayStatus::Confirmed), "the network approved it");
    // The traveller hears once: the host confirmed it.
    let page = stays::notifications(&w.db, &w.traveller).await.unwrap();
    let kinds: Vec<_> = page.items.iter().map(|n| (n.notice.kind.as_str(), n.notice.who.as_deref())).collect();
    assert_eq!(kinds, [("confirmed", Some("host@t.coop"))]);
    let _ = w.network;
}

async fn only_the_people_involved_may_act_and_only_in_their_role(db: Db) {
    let w = world(db, 2, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    assert!(matches!(act(&w, &w.outsider, id, StayAction::Accept).await, Err(ServiceError::NotFound)));
    assert!(matches!(stays::detail(&w.db, &w.outsider, id, today()).await, Err(ServiceError::NotFound)));
    assert!(matches!(act(&w, &w.traveller, id, StayAction::Accept).await, Err(ServiceError::Forbidden)));
    assert!(matches!(act(&w, &w.host, id, StayAction::Approve).await, Err(ServiceError::Forbidden)));
    assert!(matches!(act(&w, &w.coordinator, id, StayAction::Accept).await, Err(ServiceError::Forbidden)));
    assert!(matches!(act(&w, &w.host, id, StayAction::Complete).await, Err(ServiceError::Forbidden)));
    let anonymous = Actor::anonymous();
    assert!(matches!(act(&w, &anonymous, id, StayAction::Withdraw).await, Err(ServiceError::Unauthorized)));
    // A coordinator may only approve what the host accepted.
    assert!(matches!(act(&w, &w.coordinator, id, StayAction::Approve).await, Err(ServiceError::Domain(_))));
}

async fn the_background_task_completes_and_expires_exactly_once(db: Db) {
    let w = world(db, 2, false).await;
    let stay = stays::request(&w.db, &w.traveller, &ask(w.offer, 3, 5, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, stay, StayAction::Accept).await.unwrap();
    act(&w, &w.coordinator, stay, StayAction::Approve).await.unwrap();
    let waiting = stays::request(&w.db, &w.traveller, &ask(w.offer, 6, 8, 1), today(), Limits::OFF).await.unwrap();
    let held = stays::request(&w.db, &w.traveller, &ask(w.offer, 9, 10, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, held, StayAction::Accept).await.unwrap();

    assert_eq!(stays::run_due(&w.db, day(2)).await.unwrap(), 0, "nothing is due yet");
    let later = day(12);
    assert_eq!(stays::run_due(&w.db, later).await.unwrap(), 3);
    assert_eq!(stays::run_due(&w.db, later).await.unwrap(), 0, "running again changes nothing");
    let status = |id| {
        let (db, traveller) = (w.db.clone(), w.traveller.clone());
        async move { stays::detail(&db, &traveller, id, later).await.unwrap().stay.status }
    };
    assert_eq!(status(stay).await.as_str(), "completed");
    assert_eq!(status(waiting).await.as_str(), "expired");
    assert_eq!(status(held).await.as_str(), "expired");
    assert_eq!(reserved(&w, 9, 10).await, [0], "an expired hold is released");
    assert_eq!(reserved(&w, 3, 5).await, [1, 1], "a completed stay keeps its nights");
}

async fn every_event_is_notified_once_to_everyone_involved_but_the_actor(db: Db) {
    let w = world(db, 2, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, id, StayAction::Accept).await.unwrap();
    stays::post_message(&w.db, &w.coordinator, id, "Looks good to me", chrono::Utc::now(), Limits::OFF).await.unwrap();
    let count = |who: &Actor| {
        let db = w.db.clone();
        let user = who.user.as_ref().unwrap().id;
        async move {
            let mut tx = db.begin_read().await.unwrap();
            notifications::list(&mut tx, user, 100).await.unwrap().into_iter().map(|n| n.kind).collect::<Vec<_>>()
        }
    };
    assert_eq!(count(&w.traveller).await, ["message", "accepted"]);
    assert_eq!(count(&w.host).await, ["message", "requested"]);
    assert_eq!(count(&w.coordinator).await, ["accepted"]);
    assert_eq!(stays::notifications(&w.db, &w.host).await.unwrap().unread, 2);
    stays::mark_read(&w.db, &w.host).await.unwrap();
    assert_eq!(stays::notifications(&w.db, &w.host).await.unwrap().unread, 0);

    // Notifying the same event again (a retried transaction, a restart) adds nothing.
    let mut tx = w.db.begin_write().await.unwrap();
    let event = app::server::store::stays::last_event(&mut tx, id).await.unwrap();
    let traveller = w.traveller.user.as_ref().unwrap().id;
    let again = notifications::NewNotice {
        kind: "accepted",
        topic: Topic::Stays,
        request: Some(id),
        event: Some(event),
        message: None,
        network: None,
        coop: None,
        actor: None,
        body: "again",
    };
    assert_eq!(notifications::notify(&mut tx, &[(traveller, Audience::Traveller)], &again).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(count(&w.traveller).await.len(), 2);
}

/// The booking target: 0 over-capacity nights with 200 concurrent bookers. 200 requests for the same three nights of
/// an offer with 5 places; the host's 200 accepts race each other.
async fn two_hundred_concurrent_accepts_never_overbook(db: Db) {
    const CLIENTS: usize = 200;
    const CAPACITY: i32 = 5;
    let w = world(db, CAPACITY, false).await;
    let mut ids = Vec::new();
    let mut tx = w.db.begin_write().await.unwrap();
    let hash = "x";
    for i in 0..CLIENTS {
        let email = format!("racer{i}@t.coop");
        let user = users::insert(
            &mut tx,
            &users::NewUser { email: &email, display_name: &email, password_hash: hash, is_admin: false, locale: "en" },
        )
        .await
        .unwrap();
        users::add_to_coop(&mut tx, w.traveller_coop, user, "member").await.unwrap();
        let new = app::server::store::stays::NewStayRequest {
            traveller: user,
            traveller_coop: w.traveller_coop,
            offer: w.offer,
            network: w.network,
            range: DateRange::new(day(10), day(13)).unwrap(),
            guests: 1,
            purpose: app::domain::Purpose::Visit,
            message: "",
            skills_offered: "",
        };
        ids.push(app::server::store::stays::insert(&mut tx, &new).await.unwrap());
    }
    tx.commit().await.unwrap();

    let started = Instant::now();
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let db = w.db.clone();
            let host = w.host.clone();
            tokio::spawn(async move {
                (id, stays::act(&db, &host, id, StayAction::Accept, "", (None, None), today()).await)
            })
        })
        .collect();
    let mut accepted = Vec::new();
    let mut unavailable = 0;
    for task in tasks {
        match task.await.unwrap() {
            (id, Ok(StayStatus::Accepted)) => accepted.push(id),
            (_, Err(ServiceError::Conflict(Refusal::NightsTaken))) => unavailable += 1,
            (id, other) => panic!("request {id}: unexpected {other:?}"),
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(accepted.len(), CAPACITY as usize, "exactly as many succeed as there are places");
    assert_eq!(unavailable, CLIENTS - CAPACITY as usize);
    assert_eq!(reserved(&w, 10, 13).await, [CAPACITY; 3], "no night over capacity, none under");
    for id in &accepted {
        let detail = stays::detail(&w.db, &w.host, *id, today()).await.unwrap();
        assert_eq!(detail.stay.status.as_str(), "accepted", "acknowledged hold {id} is in the database");
    }
    eprintln!(
        "concurrency ({:?}): {CLIENTS} clients, {} accepted, {unavailable} no longer available, {elapsed:?}",
        w.db.backend(),
        accepted.len()
    );
}

async fn notification_emails_are_written_once_and_respect_the_preference(db: Db) {
    use app::server::email::{Mailer, send_pending};
    let w = world(db, 2, false).await;
    stays::set_email(&w.db, &w.coordinator, &[(Topic::Approvals, EmailMode::None)]).await.unwrap();
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, id, StayAction::Accept).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::files(dir.path().to_owned()).unwrap();
    let settings = mail_settings();
    // host: "requested"; traveller: "accepted"; coordinator: opted out.
    assert_eq!(send_pending(&w.db, &mailer, &settings, 100).await.unwrap().sent, 2);
    assert_eq!(send_pending(&w.db, &mailer, &settings, 100).await.unwrap().sent, 0, "nothing is sent twice");
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 2);
    let all: String = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    assert!(all.contains("traveller@t.coop") && all.contains("host@t.coop") && !all.contains("coordinator@t.coop"));
    assert!(all.contains(&format!("https://coop.example/stays/{id}")), "{all}");
    assert!(all.contains("Message-ID: <notification-"), "{all}");
    assert!(all.contains("Content-Type: multipart/alternative"), "a plain-text and an HTML part: {all}");
}

/// A person reads what happened in their own language: who did it, their note, the next step and the link, in the
/// page and in the e-mail (plain text and HTML).
async fn a_decline_is_told_in_the_travellers_language_with_the_hosts_note(db: Db) {
    use app::server::email::{Mailer, send_pending};
    let w = world(db, 2, false).await;
    let traveller = w.traveller.user.as_ref().unwrap().id;
    let mut tx = w.db.begin_write().await.unwrap();
    users::set_locale(&mut tx, traveller, "es").await.unwrap();
    tx.commit().await.unwrap();
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.host, id, StayAction::Decline, "Estamos llenos esa semana", (None, None), today())
        .await
        .unwrap();
    let page = stays::notifications(&w.db, &w.traveller).await.unwrap();
    let notice = &page.items[0].notice;
    assert_eq!((notice.kind.as_str(), notice.note.as_str()), ("declined", "Estamos llenos esa semana"));
    assert_eq!(notice.who.as_deref(), Some("host@t.coop"), "who declined");

    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::files(dir.path().to_owned()).unwrap();
    let settings = mail_settings();
    send_pending(&w.db, &mailer, &settings, 100).await.unwrap();
    let mail = mail_to(dir.path(), "traveller@t.coop");
    assert!(mail.contains("host@t.coop rechazó la solicitud para"), "{mail}");
    assert!(mail.contains("host@t.coop escribió:\r\n> Estamos llenos esa semana"), "{mail}");
    assert!(mail.contains("Buscá otra oferta"), "{mail}");
    assert!(mail.contains(&format!("https://coop.example/stays/{id}")), "{mail}");
    assert!(mail.contains("text/html") && mail.contains("text/plain"), "{mail}");
    // The host wrote in English; the host's own notice of the request is in English.
    assert!(mail_to(dir.path(), "host@t.coop").contains("asks to stay at"));
}

fn mail_settings() -> app::server::email::MailSettings {
    app::server::email::MailSettings {
        from: "Co-op & Travel <noreply@coop.example>".parse().unwrap(),
        base_url: "https://coop.example".into(),
    }
}

/// The .eml written to `address` (one expected), its quoted-printable parts decoded.
fn mail_to(dir: &std::path::Path, address: &str) -> String {
    let mails: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| un_quoted_printable(&std::fs::read_to_string(e.unwrap().path()).unwrap()))
        .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(address)))
        .collect();
    assert_eq!(mails.len(), 1, "one mail to {address}");
    mails.into_iter().next().unwrap()
}

fn un_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let mut bytes = Vec::with_capacity(joined.len());
    let raw = joined.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = raw.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (raw[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte))
                if hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())) =>
            {
                bytes.push(byte);
                i += 3;
            }
            (other, _) => {
                bytes.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// Chosen "once a day": nothing goes at once; at the digest hour one e-mail carries all of it, and only once even
/// with two senders gathering at the same moment.
async fn a_daily_digest_carries_everything_that_waited_once(db: Db) {
    use app::server::email::{Mailer, digest_time, gather_digests, send_pending};
    let w = world(db, 3, false).await;
    let digest = [(Topic::Stays, EmailMode::Digest), (Topic::Messages, EmailMode::Digest)];
    stays::set_email(&w.db, &w.host, &digest).await.unwrap();
    let first = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    stays::request(&w.db, &w.traveller, &ask(w.offer, 10, 12, 1), today(), Limits::OFF).await.unwrap();
    stays::post_message(&w.db, &w.traveller, first, "We arrive by train", chrono::Utc::now(), Limits::OFF)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::files(dir.path().to_owned()).unwrap();
    let settings = mail_settings();
    assert_eq!(send_pending(&w.db, &mailer, &settings, 100).await.unwrap().sent, 0, "nothing at once");
    let due = digest_time(chrono::Utc::now(), chrono_tz::Tz::UTC);
    let (a, b) = tokio::join!(gather_digests(&w.db, due), gather_digests(&w.db, due));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one digest, however many senders gather");
    assert_eq!(send_pending(&w.db, &mailer, &settings, 100).await.unwrap().sent, 1);
    let mail = mail_to(dir.path(), "host@t.coop");
    assert!(mail.contains("3 notifications today"), "{mail}");
    assert!(mail.contains("We arrive by train"), "{mail}");
    assert_eq!(gather_digests(&w.db, due + chrono::Duration::days(2)).await.unwrap(), 0, "nothing left to gather");
    // The page lists them whatever the e-mail choice.
    assert_eq!(stays::notifications(&w.db, &w.host).await.unwrap().items.len(), 3);
}

/// Coordinators hear only of what waits for them: the accepted request to approve, not the request, the
/// confirmation or the messages of a thread they did not write in.
async fn coordinators_hear_only_of_what_waits_for_them(db: Db) {
    let w = world(db, 3, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    stays::post_message(&w.db, &w.traveller, id, "Hello", chrono::Utc::now(), Limits::OFF).await.unwrap();
    act(&w, &w.host, id, StayAction::Accept).await.unwrap();
    act(&w, &w.coordinator, id, StayAction::Approve).await.unwrap();
    stays::post_message(&w.db, &w.host, id, "Welcome", chrono::Utc::now(), Limits::OFF).await.unwrap();
    let kinds = |page: app::views::notifications::NotificationsView| {
        page.items.into_iter().map(|n| n.notice.kind).collect::<Vec<_>>()
    };
    assert_eq!(kinds(stays::notifications(&w.db, &w.coordinator).await.unwrap()), ["accepted"]);
    let page = stays::notifications(&w.db, &w.coordinator).await.unwrap();
    assert_eq!(page.items[0].notice.audience, Audience::Coordinator);
    assert_eq!(kinds(stays::notifications(&w.db, &w.traveller).await.unwrap()), ["message", "confirmed", "accepted"]);
}

async fn a_trip_lists_its_legs_in_order_with_the_route(db: Db) {
    let w = world(db, 2, false).await;
    let trip = stays::create_trip(&w.db, &w.traveller, "Litoral").await.unwrap();
    let mut second = ask(w.offer, 10, 12, 1);
    second.trip = Some(trip);
    let mut first = ask(w.offer, 5, 7, 1);
    first.trip = Some(trip);
    stays::request(&w.db, &w.traveller, &second, today(), Limits::OFF).await.unwrap();
    stays::request(&w.db, &w.traveller, &first, today(), Limits::OFF).await.unwrap();
    let mut overlapping = ask(w.offer, 6, 8, 1);
    overlapping.trip = Some(trip);
    let refused = stays::request(&w.db, &w.traveller, &overlapping, today(), Limits::OFF).await.unwrap_err();
    assert!(refused.to_string().contains("overlapping"), "legs never overlap: {refused}");
    let view = stays::trip(&w.db, &w.traveller, trip).await.unwrap();
    let starts: Vec<_> = view.legs.iter().map(|l| l.stay.check_in).collect();
    assert_eq!(starts, [day(5), day(10)], "in travel order");
    assert_eq!(view.legs[0].km_from_previous, None);
    assert_eq!(view.legs[1].km_from_previous, Some(0.0), "same host twice: no distance");
    assert!(matches!(stays::trip(&w.db, &w.host, trip).await, Err(ServiceError::NotFound)), "only the traveller");
    let mut foreign = ask(w.offer, 20, 21, 1);
    foreign.trip = Some(trip);
    let other = stays::request(&w.db, &w.host, &foreign, today(), Limits::OFF).await.unwrap_err();
    assert!(matches!(other, ServiceError::Invalid(_) | ServiceError::NotFound), "{other:?}");
}

async fn a_request_is_filed_under_a_trip_after_it_was_sent(db: Db) {
    let w = world(db, 2, false).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    let trip = stays::create_trip(&w.db, &w.traveller, "Afterwards").await.unwrap();
    assert!(stays::trip(&w.db, &w.traveller, trip).await.unwrap().legs.is_empty());

    stays::set_trip(&w.db, &w.traveller, id, Some(trip)).await.unwrap();
    let legs = stays::trip(&w.db, &w.traveller, trip).await.unwrap().legs;
    assert_eq!(legs.iter().map(|l| l.stay.id).collect::<Vec<_>>(), [id], "now a leg of the trip");
    assert_eq!(stays::detail(&w.db, &w.traveller, id, today()).await.unwrap().stay.trip, Some(trip));

    // Nobody else files it, and nobody files it under someone else's trip.
    let hosts_trip = stays::create_trip(&w.db, &w.host, "Not theirs").await.unwrap();
    for (who, trip) in [(&w.host, Some(trip)), (&w.outsider, None), (&w.traveller, Some(hosts_trip))] {
        let refused = stays::set_trip(&w.db, who, id, trip).await.unwrap_err();
        assert!(matches!(refused, ServiceError::NotFound), "{refused:?}");
    }
    stays::set_trip(&w.db, &w.traveller, id, None).await.unwrap();
    assert!(stays::trip(&w.db, &w.traveller, trip).await.unwrap().legs.is_empty(), "and out of it again");
}

async fn the_inbox_shows_each_request_beside_its_own_nights(db: Db) {
    let w = world(db, 2, false).await;
    let first = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 8, 2), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, first, StayAction::Accept).await.unwrap();
    let second = stays::request(&w.db, &w.traveller, &ask(w.offer, 10, 12, 1), today(), Limits::OFF).await.unwrap();

    let inbox = stays::inbox(&w.db, &w.host).await.unwrap();
    let ids: Vec<_> = inbox.iter().map(|item| item.stay.id).collect();
    assert_eq!(ids, [second, first], "waiting requests first");
    let nights = |i: usize| {
        inbox[i].nights.iter().map(|n| n.places.map(|p| (n.night, p.capacity, p.free))).collect::<Option<Vec<_>>>()
    };
    let nights = |i| nights(i).unwrap();
    assert_eq!(nights(0), [(day(10), 2, 2), (day(11), 2, 2)], "the nights of its own range, all free yet");
    assert_eq!(nights(1), [(day(5), 2, 0), (day(6), 2, 0), (day(7), 2, 0)], "held by the acceptance");
    assert!(stays::inbox(&w.db, &w.outsider).await.unwrap().is_empty(), "nobody else's inbox shows them");
    assert!(stays::inbox(&w.db, &w.traveller).await.unwrap().is_empty(), "nor the traveller's");
}

/// The coordinator is also a member of the traveller's co-op, and a host admin of the host co-op in a second
/// request: they may approve neither; another coordinator may.
async fn nobody_approves_a_visit_they_travel_on_or_host(db: Db) {
    let w = world(db, 3, false).await;
    let coordinator_id = w.coordinator.user.as_ref().unwrap().id;
    let mut tx = w.db.begin_write().await.unwrap();
    users::add_to_coop(&mut tx, w.traveller_coop, coordinator_id, "member").await.unwrap();
    let second = support::new_user(&mut tx, "second-coordinator@t.coop").await;
    networks::add_coordinator(&mut tx, w.network, second).await.unwrap();
    tx.commit().await.unwrap();
    let second = actor(&w.db, "second-coordinator@t.coop").await;

    let own = stays::request(&w.db, &w.coordinator, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, own, StayAction::Accept).await.unwrap();
    let seen = stays::detail(&w.db, &w.coordinator, own, today()).await.unwrap();
    assert!(!seen.actions.contains(&StayAction::Approve), "no approve button on one's own visit: {:?}", seen.actions);
    for action in [StayAction::Approve, StayAction::Reject] {
        assert!(matches!(act(&w, &w.coordinator, own, action).await, Err(ServiceError::Forbidden)), "{action:?}");
    }
    assert_eq!(act(&w, &second, own, StayAction::Approve).await.unwrap(), StayStatus::Confirmed);

    // The host admin who also coordinates the network.
    let host_id = w.host.user.as_ref().unwrap().id;
    let mut tx = w.db.begin_write().await.unwrap();
    networks::add_coordinator(&mut tx, w.network, host_id).await.unwrap();
    tx.commit().await.unwrap();
    let host = actor(&w.db, "host@t.coop").await;
    let hosted = stays::request(&w.db, &w.traveller, &ask(w.offer, 10, 12, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &host, hosted, StayAction::Accept).await.unwrap();
    assert!(matches!(act(&w, &host, hosted, StayAction::Approve).await, Err(ServiceError::Forbidden)));
    assert_eq!(act(&w, &second, hosted, StayAction::Approve).await.unwrap(), StayStatus::Confirmed);
}

async fn a_request_is_neither_accepted_nor_approved_once_its_coops_are_no_longer_verified(db: Db) {
    let w = world(db, 3, false).await;
    let first = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    let second = stays::request(&w.db, &w.traveller, &ask(w.offer, 10, 12, 1), today(), Limits::OFF).await.unwrap();
    act(&w, &w.host, second, StayAction::Accept).await.unwrap();
    let mut tx = w.db.begin_write().await.unwrap();
    let revoked = app::domain::MembershipStatus::Revoked;
    networks::set_membership(&mut tx, w.network, w.traveller_coop, revoked, "", None).await.unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(act(&w, &w.host, first, StayAction::Accept).await, Err(ServiceError::Conflict(_))));
    assert!(matches!(act(&w, &w.coordinator, second, StayAction::Approve).await, Err(ServiceError::Conflict(_))));
    assert_eq!(reserved(&w, 5, 7).await, [0, 0], "nothing held by the refused accept");
    // Rejecting (and so releasing the hold) is still possible.
    assert_eq!(act(&w, &w.coordinator, second, StayAction::Reject).await.unwrap(), StayStatus::Rejected);
    assert_eq!(reserved(&w, 10, 12).await, [0, 0]);
}

/// 100 requests at once by one traveller, all overlapping (some on the very same dates): exactly one is taken,
/// every other is the clean "overlapping dates" conflict, and the database holds one live request.
async fn a_traveller_firing_many_overlapping_requests_at_once_gets_exactly_one(db: Db) {
    let w = world(db, 200, false).await;
    let (db, traveller, offer) = (w.db.clone(), w.traveller.clone(), w.offer);
    let attempts = (0..100u64).map(|i| {
        let (db, traveller) = (db.clone(), traveller.clone());
        tokio::spawn(async move {
            let from = 5 + i % 3;
            stays::request(&db, &traveller, &ask(offer, from, from + 3, 1), today(), Limits::OFF).await
        })
    });
    let mut taken = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        match attempt.await.unwrap() {
            Ok(_) => taken += 1,
            Err(ServiceError::Conflict(refusal)) => assert_eq!(refusal, Refusal::OverlappingRequest),
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(taken, 1);
    assert_eq!(stays::mine(&w.db, &w.traveller).await.unwrap().len(), 1);
}

/// The network's coordinators hear of a co-op asking to join, with its note; the co-op's admins hear of the
/// decision, with the coordinator's note; an appointed coordinator hears of the appointment.
async fn a_join_request_reaches_the_coordinators_and_the_decision_the_coops_admins(db: Db) {
    use app::server::services::networks as network_service;
    let w = world(db, 2, false).await;
    let mut tx = w.db.begin_write().await.unwrap();
    let here = app::domain::LatLon::new(-31.6, -60.7).unwrap();
    let new = app::server::store::coops::NewCoop {
        slug: "new-coop",
        name: "New Coop",
        country: "AR",
        city: "Rosario",
        location: here,
        public_location: here,
        website: "",
        description: "",
        languages: "es",
    };
    let coop = app::server::store::coops::insert(&mut tx, &new).await.unwrap();
    let admin = support::new_user(&mut tx, "admin@new.coop").await;
    users::add_to_coop(&mut tx, coop, admin, "host_admin").await.unwrap();
    users::insert(
        &mut tx,
        &users::NewUser {
            email: "root@t.coop",
            display_name: "Root",
            password_hash: "x",
            is_admin: true,
            locale: "en",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (admin, site_admin) = (actor(&w.db, "admin@new.coop").await, actor(&w.db, "root@t.coop").await);

    network_service::request_membership(&w.db, &admin, "net", "new-coop", "We are 12 people").await.unwrap();
    let told = stays::notifications(&w.db, &w.coordinator).await.unwrap();
    let notice = &told.items[0].notice;
    assert_eq!((notice.kind.as_str(), notice.note.as_str()), ("membership_requested", "We are 12 people"));
    assert_eq!(notice.audience, Audience::Coordinator);
    assert_eq!((notice.coop.as_ref().unwrap().slug.as_str(), notice.path().as_str()), ("new-coop", "/networks/net"));

    network_service::decide(&w.db, &w.coordinator, "net", "new-coop", "verify", "Welcome").await.unwrap();
    let told = stays::notifications(&w.db, &admin).await.unwrap();
    let notice = &told.items[0].notice;
    assert_eq!((notice.kind.as_str(), notice.note.as_str()), ("membership_verified", "Welcome"));
    assert_eq!(notice.who.as_deref(), Some("coordinator@t.coop"));
    assert_eq!(notice.audience, Audience::Member);

    network_service::appoint(&w.db, &site_admin, "net", "admin@new.coop").await.unwrap();
    let told = stays::notifications(&w.db, &admin).await.unwrap();
    assert_eq!(told.items[0].notice.kind, "coordinator_appointed");
    assert_eq!(told.items[0].notice.who.as_deref(), Some("Root"));
}

/// Completion and notice days follow the host co-op's date: its place's zone (Buenos Aires, UTC-3), or the one
/// its admins chose.
async fn a_stay_ends_by_the_host_coops_date_not_the_servers(db: Db) {
    use app::server::Today;
    let w = world(db, 2, true).await;
    let id = stays::request(&w.db, &w.traveller, &ask(w.offer, 5, 7, 1), today(), Limits::OFF).await.unwrap();
    assert_eq!(act(&w, &w.host, id, StayAction::Accept).await.unwrap(), StayStatus::Confirmed);
    let utc = |day: chrono::NaiveDate, hour: u32| Today::At(day.and_hms_opt(hour, 0, 0).unwrap().and_utc());
    // 02:00 UTC on the check-out day is still the evening before in Buenos Aires.
    assert_eq!(stays::run_due(&w.db, utc(day(7), 2)).await.unwrap(), 0);
    assert_eq!(stays::run_due(&w.db, utc(day(7), 4)).await.unwrap(), 1, "01:00 in Buenos Aires: over");
    assert_eq!(stays::detail(&w.db, &w.host, id, today()).await.unwrap().stay.status, StayStatus::Completed);

    // Two notice days: a check-in on day 4 may be asked until the end of day 2 at the host's.
    let early = ask(w.offer, 4, 6, 1);
    let too_late = |r: Result<StayRequestId, ServiceError>| {
        matches!(r, Err(ServiceError::Invalid(Refusal::Notice { days: 2, .. })))
    };
    assert!(
        too_late(stays::request(&w.db, &w.traveller, &early, utc(day(3), 4), Limits::OFF).await),
        "01:00 on day 3 there"
    );
    // Chosen by its admins: Madrid (UTC+1), already on day 3 at 23:00 UTC on day 2.
    let mut tx = w.db.begin_write().await.unwrap();
    let host_coop = app::server::store::offers::find(&mut tx, w.offer).await.unwrap().unwrap().coop_id;
    app::server::store::coops::set_time_zone(&mut tx, host_coop, Some("Europe/Madrid")).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        too_late(stays::request(&w.db, &w.traveller, &early, utc(day(2), 23), Limits::OFF).await),
        "00:00 on day 3 in Madrid"
    );
    let mut tx = w.db.begin_write().await.unwrap();
    app::server::store::coops::set_time_zone(&mut tx, host_coop, None).await.unwrap();
    tx.commit().await.unwrap();
    let asked = stays::request(&w.db, &w.traveller, &early, utc(day(2), 23), Limits::OFF).await;
    assert!(asked.is_ok(), "20:00 on day 2 in Buenos Aires: {asked:?}");
}
