//! Offers and calendars through the services, on SQLite and PostgreSQL: editing ranges, the reserved floor,
//! iCal import (idempotent, never below what is reserved, all-or-nothing on bad files) and the feeds.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use app::domain::calendar::Weekdays;
use app::domain::{DateRange, OfferId, StayAction};
use app::server::authz::Actor;
use app::server::services::safety::Limits;
use app::server::services::{calendar as cal, offers as offer_service, stays};
use app::server::store::{calendar, networks, users};
use app::server::{Db, ServiceError};
use app::views::offers::OfferForm;
use chrono::{Datelike, NaiveDate, Weekday};

on_both_databases!(
    a_host_creates_an_offer_opens_nights_and_publishes_it,
    capacity_never_goes_below_what_is_reserved_and_the_conflicts_are_named,
    every_weekend_of_a_month_can_be_blocked_in_one_edit,
    an_import_blocks_busy_nights_and_reimporting_replaces_it,
    an_import_never_takes_reserved_places_and_lists_them,
    a_bad_file_changes_nothing,
    the_feed_lists_confirmed_stays_and_own_blocks_and_a_new_token_revokes_the_old,
    exporting_and_importing_gives_the_same_busy_nights,
    only_host_admins_manage_offers_and_calendars,
);

struct World {
    db: Db,
    host: Actor,
    traveller: Actor,
    coordinator: Actor,
    other: Actor,
    offer: OfferId,
}

async fn actor(db: &Db, email: &str) -> Actor {
    let mut tx = db.begin_read().await.unwrap();
    Actor::user(users::find_by_email(&mut tx, email).await.unwrap().unwrap().into())
}

fn offer_form() -> OfferForm {
    OfferForm {
        kind: "room".into(),
        title: "Quiet room".into(),
        description: "By the garden".into(),
        capacity: "2".into(),
        min_nights: "1".into(),
        max_nights: "10".into(),
        notice_days: "0".into(),
        languages: "es, en".into(),
        address: "Calle Falsa 123".into(),
        ..OfferForm::default()
    }
}

async fn world(db: Db) -> World {
    let mut tx = db.begin_write().await.unwrap();
    let support::TwoCoops { network, host_coop, traveller_coop: travel_coop } =
        support::two_verified_coops(&mut tx, false).await;
    let host = support::new_user(&mut tx, "host@t.coop").await;
    users::add_to_coop(&mut tx, host_coop, host, "host_admin").await.unwrap();
    let traveller = support::new_user(&mut tx, "traveller@t.coop").await;
    users::add_to_coop(&mut tx, travel_coop, traveller, "member").await.unwrap();
    let coordinator = support::new_user(&mut tx, "coordinator@t.coop").await;
    networks::add_coordinator(&mut tx, network, coordinator).await.unwrap();
    let other = support::new_user(&mut tx, "other@t.coop").await;
    users::add_to_coop(&mut tx, travel_coop, other, "host_admin").await.unwrap();
    tx.commit().await.unwrap();
    let host = actor(&db, "host@t.coop").await;
    let offer = offer_service::create(&db, &host, "host-coop", &offer_form()).await.unwrap();
    World {
        traveller: actor(&db, "traveller@t.coop").await,
        coordinator: actor(&db, "coordinator@t.coop").await,
        other: actor(&db, "other@t.coop").await,
        host,
        db,
        offer,
    }
}

async fn nights(w: &World, from: u64, to: u64) -> Vec<(i32, i32)> {
    let mut tx = w.db.begin_read().await.unwrap();
    let rows = calendar::nights(&mut tx, w.offer, DateRange::new(day(from), day(to)).unwrap()).await.unwrap();
    rows.into_iter().map(|n| (n.capacity, n.reserved)).collect()
}

async fn open(w: &World, from: u64, to: u64, capacity: &str) -> Result<usize, ServiceError> {
    cal::edit(&w.db, &w.host, w.offer, &day(from).to_string(), &day(to).to_string(), Weekdays::ALL, "open", capacity)
        .await
}

/// The traveller books `guests` on [from, to) and the host and coordinator confirm it.
async fn book(w: &World, from: u64, to: u64, guests: i32) {
    let new = stays::NewRequest {
        offer: w.offer,
        check_in: day(from).to_string(),
        check_out: day(to).to_string(),
        guests,
        purpose: "visit".into(),
        message: String::new(),
        skills_offered: String::new(),
        trip: None,
    };
    let id = stays::request(&w.db, &w.traveller, &new, today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.host, id, StayAction::Accept, "", (None, None), today()).await.unwrap();
    stays::act(&w.db, &w.coordinator, id, StayAction::Approve, "", (None, None), today()).await.unwrap();
}

async fn a_host_creates_an_offer_opens_nights_and_publishes_it(db: Db) {
    let w = world(db).await;
    let view = offer_service::manage_view(&w.db, &w.host, w.offer).await.unwrap();
    assert_eq!((view.status.as_str(), view.form.address.as_str()), ("draft", "Calle Falsa 123"));
    assert!(
        offer_service::offer_page(&w.db, &Actor::anonymous(), w.offer, today()).await.is_err(),
        "a draft is not public"
    );
    assert_eq!(open(&w, 1, 31, "2").await.unwrap(), 30);
    offer_service::set_status(&w.db, &w.host, w.offer, "published").await.unwrap();
    let page = offer_service::offer_page(&w.db, &Actor::anonymous(), w.offer, today()).await.unwrap();
    assert_eq!(page.nights.len(), 30);
    let mut bad = offer_form();
    bad.min_nights = "5".into();
    bad.max_nights = "2".into();
    let error = offer_service::update(&w.db, &w.host, w.offer, &bad).await.unwrap_err();
    assert!(error.to_string().contains("at least the minimum"), "{error}");
}

async fn capacity_never_goes_below_what_is_reserved_and_the_conflicts_are_named(db: Db) {
    let w = world(db).await;
    open(&w, 1, 10, "2").await.unwrap();
    offer_service::set_status(&w.db, &w.host, w.offer, "published").await.unwrap();
    book(&w, 3, 5, 2).await;
    let error = open(&w, 1, 10, "1").await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(&format!("{} (2 reserved)", day(3))) && message.contains(&day(4).to_string()),
        "{message}"
    );
    assert_eq!(
        nights(&w, 1, 10).await,
        [(2, 0), (2, 0), (2, 2), (2, 2), (2, 0), (2, 0), (2, 0), (2, 0), (2, 0)],
        "nothing changed"
    );
    let blocked =
        cal::edit(&w.db, &w.host, w.offer, &day(3).to_string(), &day(4).to_string(), Weekdays::ALL, "block", "").await;
    assert!(blocked.is_err(), "a booked night cannot be blocked");
    assert_eq!(open(&w, 5, 7, "0").await.unwrap(), 2, "free nights can close");
    let refused = offer_service::offer_page(&w.db, &w.host, w.offer, today()).await.unwrap();
    assert_eq!(refused.nights.iter().filter(|n| n.places.is_some_and(|p| p.capacity == 0)).count(), 2);
    // Logged-out visitors see open or full, never how many places are booked.
    let public =
        offer_service::offer_page(&w.db, &app::server::authz::Actor::anonymous(), w.offer, today()).await.unwrap();
    assert!(public.nights.iter().all(|n| n.places.is_none()));
    assert_eq!(public.nights.iter().filter(|n| !n.open).count(), refused.nights.iter().filter(|n| !n.open).count());
    delete_with_stays_is_refused(&w).await;
}

async fn delete_with_stays_is_refused(w: &World) {
    let error = offer_service::delete(&w.db, &w.host, w.offer).await.unwrap_err();
    assert!(error.to_string().contains("pause it instead"), "{error}");
}

async fn every_weekend_of_a_month_can_be_blocked_in_one_edit(db: Db) {
    let w = world(db).await;
    let (start, end) = (NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 4, 1).unwrap());
    cal::edit(&w.db, &w.host, w.offer, &start.to_string(), &end.to_string(), Weekdays::ALL, "open", "3").await.unwrap();
    let changed = cal::edit(
        &w.db,
        &w.host,
        w.offer,
        &start.to_string(),
        &end.to_string(),
        Weekdays::from_names(["fri", "sat"]),
        "block",
        "",
    )
    .await
    .unwrap();
    assert_eq!(changed, 8);
    let mut tx = w.db.begin_read().await.unwrap();
    let rows = calendar::nights(&mut tx, w.offer, DateRange::new(start, end).unwrap()).await.unwrap();
    for row in rows {
        let weekend = matches!(row.night.weekday(), Weekday::Fri | Weekday::Sat);
        assert_eq!(row.capacity, if weekend { 0 } else { 3 }, "{}", row.night);
    }
}

fn ics(events: &[(NaiveDate, NaiveDate)]) -> String {
    let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
    for (i, (start, end)) in events.iter().enumerate() {
        text.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:e{i}@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:{}\r\nDTEND;VALUE=DATE:{}\r\nSUMMARY:Busy\r\nEND:VEVENT\r\n",
            start.format("%Y%m%d"),
            end.format("%Y%m%d")
        ));
    }
    text.push_str("END:VCALENDAR\r\n");
    text
}

async fn an_import_blocks_busy_nights_and_reimporting_replaces_it(db: Db) {
    let w = world(db).await;
    open(&w, 1, 20, "2").await.unwrap();
    let outcome = cal::import(&w.db, &w.host, w.offer, &ics(&[(day(3), day(5))]), today()).await.unwrap();
    assert_eq!((outcome.events, outcome.blocked), (1, 2));
    assert_eq!(nights(&w, 2, 6).await, [(2, 0), (0, 0), (0, 0), (2, 0)]);
    // The same file again: the same calendar.
    cal::import(&w.db, &w.host, w.offer, &ics(&[(day(3), day(5))]), today()).await.unwrap();
    assert_eq!(nights(&w, 2, 6).await, [(2, 0), (0, 0), (0, 0), (2, 0)]);
    // A new file replaces the old blocks.
    cal::import(&w.db, &w.host, w.offer, &ics(&[(day(10), day(11))]), today()).await.unwrap();
    assert_eq!(nights(&w, 2, 6).await, [(2, 0), (2, 0), (2, 0), (2, 0)]);
    assert_eq!(nights(&w, 10, 11).await, [(0, 0)]);
    let view =
        cal::view(&w.db, &w.host, w.offer, Some(&day(10).format("%Y-%m").to_string()), 1, today()).await.unwrap();
    let tenth = view.months[0].days.iter().find(|d| d.date == day(10)).unwrap();
    assert!(tenth.imported);
}

async fn an_import_never_takes_reserved_places_and_lists_them(db: Db) {
    let w = world(db).await;
    open(&w, 1, 20, "2").await.unwrap();
    offer_service::set_status(&w.db, &w.host, w.offer, "published").await.unwrap();
    book(&w, 4, 6, 1).await;
    let outcome = cal::import(&w.db, &w.host, w.offer, &ics(&[(day(3), day(6))]), today()).await.unwrap();
    assert_eq!(outcome.conflicts, [day(4), day(5)]);
    assert_eq!(nights(&w, 3, 6).await, [(0, 0), (1, 1), (1, 1)], "the guest keeps the place, the free one is blocked");
    cal::import(&w.db, &w.host, w.offer, &ics(&[]), today()).await.unwrap();
    assert_eq!(nights(&w, 3, 6).await, [(2, 0), (2, 1), (2, 1)], "an empty import gives everything back");
}

async fn a_bad_file_changes_nothing(db: Db) {
    let w = world(db).await;
    open(&w, 1, 10, "2").await.unwrap();
    cal::import(&w.db, &w.host, w.offer, &ics(&[(day(3), day(4))]), today()).await.unwrap();
    for bad in ["", "   ", "hello", "BEGIN:VCARD\r\nEND:VCARD\r\n"] {
        let error = cal::import(&w.db, &w.host, w.offer, bad, today()).await.unwrap_err();
        assert!(matches!(error, ServiceError::Invalid(_)), "{bad:?}: {error:?}");
    }
    let huge = "X".repeat(app::server::ical::MAX_IMPORT_BYTES + 1);
    assert!(cal::import(&w.db, &w.host, w.offer, &huge, today()).await.unwrap_err().to_string().contains("larger"));
    assert_eq!(nights(&w, 2, 5).await, [(2, 0), (0, 0), (2, 0)], "the previous import stands");
}

async fn the_feed_lists_confirmed_stays_and_own_blocks_and_a_new_token_revokes_the_old(db: Db) {
    let w = world(db).await;
    open(&w, 1, 20, "2").await.unwrap();
    offer_service::set_status(&w.db, &w.host, w.offer, "published").await.unwrap();
    book(&w, 4, 6, 1).await;
    cal::edit(&w.db, &w.host, w.offer, &day(10).to_string(), &day(12).to_string(), Weekdays::ALL, "block", "")
        .await
        .unwrap();
    cal::import(&w.db, &w.host, w.offer, &ics(&[(day(15), day(16))]), today()).await.unwrap();
    let path = cal::rotate_offer_feed(&w.db, &w.host, w.offer).await.unwrap();
    let token = path.trim_start_matches("/ical/offers/").trim_end_matches(".ics").to_owned();
    let feed = cal::offer_feed(&w.db, &token, today()).await.unwrap().unwrap();
    assert!(feed.contains(&format!("DTSTART;VALUE=DATE:{}", day(4).format("%Y%m%d"))), "{feed}");
    assert!(feed.contains(&format!("DTSTART;VALUE=DATE:{}", day(10).format("%Y%m%d"))), "own block");
    assert!(!feed.contains(&day(15).format("%Y%m%d").to_string()), "imported blocks are not echoed back");
    assert!(feed.contains("Stay: travel-coop (1)"));
    let renewed = cal::rotate_offer_feed(&w.db, &w.host, w.offer).await.unwrap();
    assert_ne!(renewed, path);
    assert!(cal::offer_feed(&w.db, &token, today()).await.unwrap().is_none(), "the old URL is dead");

    let trips = cal::rotate_my_feed(&w.db, &w.traveller).await.unwrap();
    let token = trips.trim_start_matches("/ical/trips/").trim_end_matches(".ics");
    let feed = cal::traveller_feed(&w.db, token).await.unwrap().unwrap();
    assert!(feed.contains("Calle Falsa 123"), "a confirmed stay's address is in the traveller's own feed");
}

async fn exporting_and_importing_gives_the_same_busy_nights(db: Db) {
    let w = world(db).await;
    open(&w, 1, 40, "2").await.unwrap();
    for (from, to) in [(2, 4), (7, 8), (9, 12), (30, 33)] {
        cal::edit(&w.db, &w.host, w.offer, &day(from).to_string(), &day(to).to_string(), Weekdays::ALL, "block", "")
            .await
            .unwrap();
    }
    let path = cal::rotate_offer_feed(&w.db, &w.host, w.offer).await.unwrap();
    let token = path.trim_start_matches("/ical/offers/").trim_end_matches(".ics");
    let feed = cal::offer_feed(&w.db, token, today()).await.unwrap().unwrap();
    let second = offer_service::create(&w.db, &w.host, "host-coop", &offer_form()).await.unwrap();
    cal::edit(&w.db, &w.host, second, &day(1).to_string(), &day(40).to_string(), Weekdays::ALL, "open", "2")
        .await
        .unwrap();
    cal::import(&w.db, &w.host, second, &feed, today()).await.unwrap();
    let closed = |offer| {
        let db = w.db.clone();
        async move {
            let mut tx = db.begin_read().await.unwrap();
            let rows = calendar::nights(&mut tx, offer, DateRange::new(day(1), day(40)).unwrap()).await.unwrap();
            rows.into_iter().filter(|n| n.capacity == 0).map(|n| n.night).collect::<Vec<_>>()
        }
    };
    assert_eq!(closed(second).await, closed(w.offer).await);
}

async fn only_host_admins_manage_offers_and_calendars(db: Db) {
    let w = world(db).await;
    for who in [&w.traveller, &w.other, &w.coordinator] {
        assert!(matches!(cal::view(&w.db, who, w.offer, None, 1, today()).await, Err(ServiceError::Forbidden)));
        assert!(matches!(open_as(&w, who).await, Err(ServiceError::Forbidden)));
        assert!(matches!(offer_service::manage_view(&w.db, who, w.offer).await, Err(ServiceError::Forbidden)));
        assert!(offer_service::create(&w.db, who, "host-coop", &offer_form()).await.is_err());
    }
    assert!(matches!(
        cal::view(&w.db, &Actor::anonymous(), w.offer, None, 1, today()).await,
        Err(ServiceError::Unauthorized)
    ));
}

async fn open_as(w: &World, who: &Actor) -> Result<usize, ServiceError> {
    cal::edit(&w.db, who, w.offer, &day(1).to_string(), &day(3).to_string(), Weekdays::ALL, "open", "1").await
}
