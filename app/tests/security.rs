//! Fixes of the security review, through the services on SQLite and PostgreSQL: an outbox that always drains
//! (a real SMTP listener that refuses one recipient), log-in throttling that says nothing about which accounts
//! exist, calendar imports authorized before they are read, and one public point per exact location.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use app::domain::{LatLon, location::FUZZ_MIN_METERS};
use app::error::Refusal;
use app::server::authz::Actor;
use app::server::email::{MailSettings, Mailer, send_pending};
use app::server::services::{accounts, calendar as calendar_service, coops as coop_service, offers as offer_service};
use app::server::store::{coops, notifications, offers, users};
use app::server::{Db, ServiceError};
use app::views::coops::CoopForm;
use app::views::offers::OfferForm;

on_both_databases!(
    one_unsendable_message_never_holds_up_the_others,
    three_senders_at_once_send_each_message_exactly_once,
    failed_log_ins_slow_down_known_and_unknown_addresses_alike,
    a_calendar_import_is_authorized_before_the_file_is_read,
    every_public_point_of_a_coop_is_the_same_fuzzed_point,
);

/// A minimal SMTP server on a free local port: it accepts every recipient but `refused`, and keeps what it
/// receives by recipient.
struct SmtpListener {
    url: String,
    received: Arc<Mutex<HashMap<String, usize>>>,
}

async fn smtp_listener(refused: &'static str) -> SmtpListener {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(HashMap::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let mut recipients = Vec::new();
                write.write_all(b"220 test ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        recipients.clear();
                        b"250 ok\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        if line.contains(refused) {
                            b"550 5.1.1 no such user\r\n"
                        } else {
                            recipients.push(line.clone());
                            b"250 ok\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.ok();
                        while let Ok(Some(body)) = lines.next_line().await {
                            if body == "." {
                                break;
                            }
                        }
                        let mut seen = store.lock().unwrap();
                        for r in &recipients {
                            *seen.entry(r.clone()).or_insert(0) += 1;
                        }
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    SmtpListener { url, received }
}

fn settings() -> MailSettings {
    MailSettings {
        from: "Co-op & Travel <noreply@coop.example>".parse().unwrap(),
        base_url: "https://coop.example".into(),
    }
}

/// Users with e-mail on, each with one notification (about a stay request) to send. Names and addresses are
/// written straight into the tables, as older rows or a bug elsewhere could have left them.
async fn users_with_mail(db: &Db, people: &[(&str, &str)]) -> Vec<i64> {
    let mut tx = db.begin_write().await.unwrap();
    let mut ids = Vec::new();
    for (email, name) in people {
        let user = users::insert(
            &mut tx,
            &users::NewUser { email, display_name: name, password_hash: "x", is_admin: false, locale: "en" },
        )
        .await
        .unwrap();
        ids.push(notifications::insert_plain(&mut tx, user, "test", "Something happened.").await.unwrap());
    }
    tx.commit().await.unwrap();
    ids
}

async fn one_unsendable_message_never_holds_up_the_others(db: Db) {
    let smtp = smtp_listener("refused@coop.example").await;
    let mailer = Mailer::smtp(&smtp.url).unwrap();
    let ids = users_with_mail(
        &db,
        &[
            ("first@coop.example", "First"),
            ("bad(123@example.org", "Bad address"),
            ("crlf@coop.example", "Mallory\r\nBcc: everyone@coop.example"),
            ("refused@coop.example", "Refused"),
            ("last@coop.example", "Last"),
        ],
    )
    .await;
    let round = send_pending(&db, &mailer, &settings(), 100).await.unwrap();
    assert_eq!((round.sent, round.failed), (3, 2), "{round:?}");
    // Nothing is left to do, and nothing is sent twice.
    assert_eq!(send_pending(&db, &mailer, &settings(), 100).await.unwrap(), Default::default());
    let received = smtp.received.lock().unwrap().clone();
    let to = |who: &str| received.iter().filter(|(r, _)| r.contains(who)).map(|(_, n)| *n).sum::<usize>();
    assert_eq!((to("first@"), to("crlf@"), to("last@"), to("refused@")), (1, 1, 1, 0), "{received:?}");
    assert!(!received.keys().any(|r| r.contains("everyone@")), "a name never adds a recipient: {received:?}");
    let mut tx = db.begin_read().await.unwrap();
    let (sent, failed, attempts, error) = notifications::email_state(&mut tx, ids[1]).await.unwrap();
    assert!(!sent && failed && attempts == 1, "the bad address is given up at once");
    assert!(error.unwrap_or_default().contains("refused"));
    let (sent, failed, _, error) = notifications::email_state(&mut tx, ids[3]).await.unwrap();
    assert!(!sent && failed, "a permanent SMTP refusal is not retried");
    assert!(error.unwrap_or_default().contains("550"));
    tx.commit().await.unwrap();
}

async fn three_senders_at_once_send_each_message_exactly_once(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::files(dir.path().to_owned()).unwrap();
    let people: Vec<(String, String)> = (0..60).map(|i| (format!("p{i}@coop.example"), format!("P {i}"))).collect();
    let refs: Vec<(&str, &str)> = people.iter().map(|(e, n)| (e.as_str(), n.as_str())).collect();
    users_with_mail(&db, &refs).await;
    let senders = (0..3).map(|_| {
        let (db, mailer) = (db.clone(), mailer.clone());
        tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let round = send_pending(&db, &mailer, &settings(), 7).await.unwrap();
                if round == Default::default() {
                    return sent;
                }
                sent += round.sent;
            }
        })
    });
    let mut total = 0;
    for sender in senders.collect::<Vec<_>>() {
        total += sender.await.unwrap();
    }
    assert_eq!(total, 60);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 60, "one file per message");
}

async fn failed_log_ins_slow_down_known_and_unknown_addresses_alike(db: Db) {
    let hash = app::server::password::hash("llama-tandem-orchard".into()).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let new = users::NewUser {
        email: "ana@coop.example",
        display_name: "Ana",
        password_hash: &hash,
        is_admin: false,
        locale: "en",
    };
    users::insert(&mut tx, &new).await.unwrap();
    tx.commit().await.unwrap();
    let t0 = Utc::now();
    let at = |seconds: i64| t0 + Duration::seconds(seconds);
    for email in ["ana@coop.example", "nobody@coop.example"] {
        for i in 0..5 {
            let wrong = accounts::log_in(&db, email, "wrong-password", at(i)).await;
            assert!(matches!(wrong, Err(ServiceError::Unauthorized)), "{email} #{i}: {wrong:?}");
        }
        // The fifth failure (at 4 s) makes the next attempt wait two seconds, for an account or not alike.
        let waiting = accounts::log_in(&db, email, "wrong-password", at(4)).await;
        assert!(
            matches!(&waiting, Err(ServiceError::RateLimited(Refusal::TooManyAttempts { seconds: 2 }))),
            "{email}: {waiting:?}"
        );
    }
    // During the wait even the right password waits; after it, it works and the count starts again.
    assert!(matches!(
        accounts::log_in(&db, "ana@coop.example", "llama-tandem-orchard", at(5)).await,
        Err(ServiceError::RateLimited(_))
    ));
    accounts::log_in(&db, "ana@coop.example", "llama-tandem-orchard", at(7)).await.unwrap();
    assert!(matches!(
        accounts::log_in(&db, "ana@coop.example", "wrong-password", at(8)).await,
        Err(ServiceError::Unauthorized)
    ));
    assert!(
        accounts::log_in(&db, "ana@coop.example", "llama-tandem-orchard", at(9)).await.is_ok(),
        "one failure costs nothing"
    );
    // Failures older than the window are forgotten: a stranger cannot keep an account waiting.
    for i in 0..5 {
        accounts::log_in(&db, "nobody@coop.example", "x", at(20 + i)).await.unwrap_err();
    }
    let later = at(20 + 16 * 60);
    assert!(matches!(accounts::log_in(&db, "nobody@coop.example", "x", later).await, Err(ServiceError::Unauthorized)));
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@test\r\nDTSTART;VALUE=DATE:20261201\r\n\
                   DTEND;VALUE=DATE:20261202\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

async fn a_calendar_import_is_authorized_before_the_file_is_read(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let world = support::two_verified_coops(&mut tx, false).await;
    let host = support::new_user(&mut tx, "host@t.coop").await;
    users::add_to_coop(&mut tx, world.host_coop, host, "host_admin").await.unwrap();
    support::new_user(&mut tx, "outsider@t.coop").await;
    let offer = offers::insert(&mut tx, &support::room(world.host_coop)).await.unwrap();
    tx.commit().await.unwrap();
    let as_user = |email: &'static str| {
        let db = db.clone();
        async move {
            let mut tx = db.begin_read().await.unwrap();
            Actor::user(users::find_by_email(&mut tx, email).await.unwrap().unwrap().into())
        }
    };
    let (host, outsider) = (as_user("host@t.coop").await, as_user("outsider@t.coop").await);
    let garbage = "not a calendar at all";
    // Were the file read first, these would be "not a valid iCalendar file".
    let anonymous = calendar_service::import(&db, &Actor::anonymous(), offer, garbage, support::today()).await;
    assert!(matches!(anonymous, Err(ServiceError::Unauthorized)), "{anonymous:?}");
    let stranger = calendar_service::import(&db, &outsider, offer, garbage, support::today()).await;
    assert!(matches!(stranger, Err(ServiceError::Forbidden)), "{stranger:?}");
    assert!(matches!(
        calendar_service::import(&db, &host, offer, garbage, support::today()).await,
        Err(ServiceError::Invalid(_))
    ));
    // A host may import a bounded number of files per hour (the garbage one counted).
    for _ in 1..app::server::services::throttle::IMPORTS_PER_HOUR {
        calendar_service::import(&db, &host, offer, ICS, support::today()).await.unwrap();
    }
    let over = calendar_service::import(&db, &host, offer, ICS, support::today()).await;
    assert!(matches!(over, Err(ServiceError::RateLimited(_))), "{over:?}");
}

fn coop_form(lat: f64, lon: f64) -> CoopForm {
    CoopForm {
        name: "Fuzz Coop".into(),
        country: "AR".into(),
        city: "Rosario".into(),
        lat: lat.to_string(),
        lon: lon.to_string(),
        website: String::new(),
        description: String::new(),
        languages: "es".into(),
        time_zone: String::new(),
    }
}

fn offer_form(kind: &str) -> OfferForm {
    OfferForm {
        kind: kind.into(),
        title: format!("A {kind}"),
        capacity: "2".into(),
        min_nights: "1".into(),
        max_nights: "7".into(),
        notice_days: "1".into(),
        languages: "es".into(),
        address: "Calle 1".into(),
        ..Default::default()
    }
}

/// The co-op and all its offers show one point, at least the fuzz distance from the door, so no average of them
/// narrows the area; the offers move with the co-op.
async fn every_public_point_of_a_coop_is_the_same_fuzzed_point(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    support::new_user(&mut tx, "founder@t.coop").await;
    let founder = Actor::user(users::find_by_email(&mut tx, "founder@t.coop").await.unwrap().unwrap().into());
    tx.commit().await.unwrap();
    let slug = coop_service::create(&db, &founder, "fuzz-coop", &coop_form(-32.95, -60.66)).await.unwrap();
    let mut made = Vec::new();
    for kind in ["room", "bed", "couch", "desk", "visit"] {
        made.push(offer_service::create(&db, &founder, &slug, &offer_form(kind)).await.unwrap());
    }
    for exact in [(-32.95, -60.66), (-34.6, -58.4)] {
        if exact.0 != -32.95 {
            coop_service::update(&db, &founder, &slug, &coop_form(exact.0, exact.1)).await.unwrap();
        }
        let mut tx = db.begin_read().await.unwrap();
        let coop = coops::find_by_slug(&mut tx, &slug).await.unwrap().unwrap();
        let public = (coop.public_lat, coop.public_lon);
        for id in &made {
            let offer = offers::find(&mut tx, *id).await.unwrap().unwrap();
            assert_eq!((offer.public_lat, offer.public_lon), public, "offer {id} shows its co-op's point");
        }
        tx.commit().await.unwrap();
        let door = LatLon::new(exact.0, exact.1).unwrap();
        let shown = LatLon::new(public.0, public.1).unwrap();
        assert!(door.distance_m(&shown) >= FUZZ_MIN_METERS - 1.0, "{} m", door.distance_m(&shown));
    }
}
