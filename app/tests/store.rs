//! Store and service tests, each on a fresh SQLite database and a fresh PostgreSQL database.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use app::domain::{
    CoopId, CountryCode, DateRange, LatLon, MembershipStatus, OfferId, OfferKind, OfferStatus, Purpose, StayStatus,
    UserId,
};
use app::server::seed::{SeedOutcome, seed_demo};
use app::server::services::directory::coop_directory;
use app::server::store::{self, calendar, coops, networks, offers, stays, users};
use app::server::{Db, StoreError};

on_both_databases!(
    a_migrated_database_starts_empty,
    the_demo_network_has_every_role_kind_and_state,
    seeding_twice_changes_nothing,
    the_directory_lists_verified_coops_with_published_offers,
    the_directory_filters_by_country,
    the_database_refuses_a_night_reserved_beyond_capacity,
    capacity_cannot_drop_below_what_is_reserved,
    holding_is_all_or_nothing,
    releasing_gives_the_places_back,
    a_taken_email_is_a_conflict,
    a_stay_moves_only_from_the_state_it_is_in,
    an_empty_stay_is_refused_by_the_database,
);

fn range(from: u64, to: u64) -> DateRange {
    DateRange::new(day(from), day(to)).unwrap()
}

/// A co-op with one published offer whose nights `[0, nights)` from today have `capacity` places.
async fn coop_with_offer(db: &Db, slug: &str, capacity: i32, nights: u64) -> (CoopId, OfferId) {
    let mut tx = db.begin_write().await.unwrap();
    let here = LatLon::new(-34.6037, -58.3816).unwrap();
    let coop = coops::insert(
        &mut tx,
        &coops::NewCoop {
            slug,
            name: slug,
            country: "AR",
            city: "Buenos Aires",
            location: here,
            public_location: here.fuzzed((0.5, 0.5)),
            website: "",
            description: "",
            languages: "es",
        },
    )
    .await
    .unwrap();
    let offer = offers::insert(
        &mut tx,
        &offers::NewOffer {
            coop,
            kind: OfferKind::Bed,
            title: "A bed",
            description: "",
            default_capacity: capacity,
            min_nights: 1,
            max_nights: 30,
            notice_days: 0,
            languages: "es",
            amenities: "",
            accessibility: "",
            house_rules: "",
            skills_wanted: "",
            address: "Calle Falsa 123",
            public_location: here.fuzzed((0.1, 0.9)),
            status: OfferStatus::Published,
        },
    )
    .await
    .unwrap();
    let open: Vec<_> = (0..nights).map(|n| (day(n), capacity)).collect();
    calendar::set_capacity(&mut tx, offer, &open).await.unwrap();
    tx.commit().await.unwrap();
    (coop, offer)
}

async fn user(db: &Db, email: &str) -> UserId {
    let mut tx = db.begin_write().await.unwrap();
    let id = users::insert(
        &mut tx,
        &users::NewUser { email, display_name: "Test", password_hash: "x", is_admin: false, locale: "en" },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn nights_of(db: &Db, offer: OfferId, r: DateRange) -> Vec<(i32, i32)> {
    let mut tx = db.begin_read().await.unwrap();
    let rows = calendar::nights(&mut tx, offer, r).await.unwrap();
    tx.commit().await.unwrap();
    rows.into_iter().map(|n| (n.capacity, n.reserved)).collect()
}

async fn a_migrated_database_starts_empty(db: Db) {
    let mut tx = db.begin_read().await.unwrap();
    assert!(store::is_empty(&mut tx).await.unwrap());
}

async fn the_demo_network_has_every_role_kind_and_state(db: Db) {
    let outcome = seed_demo(&db, today()).await.unwrap();
    let SeedOutcome::Seeded { networks: n, coops: c, offers: o, nights, requests } = outcome else {
        panic!("an empty database was not seeded: {outcome:?}");
    };
    assert_eq!(n, 2);
    assert!(c >= 12, "{c} co-ops");
    assert!(o >= c, "{o} offers");
    assert!(nights >= o * 180, "{nights} nights for {o} offers");
    assert!(requests >= 6);

    let mut tx = db.begin_read().await.unwrap();
    let all_networks = networks::list(&mut tx).await.unwrap();
    assert!(all_networks.iter().any(|n| n.country.is_none()), "a global network");
    assert!(all_networks.iter().any(|n| n.country.as_deref() == Some("AR")), "a national federation");
    for email in ["traveller@demo.coop", "host@demo.coop", "coordinator@demo.coop", "admin@demo.coop"] {
        let account = users::find_by_email(&mut tx, email).await.unwrap().unwrap_or_else(|| panic!("{email}"));
        assert!(account.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", account.password_hash);
        assert_eq!(account.is_admin, email == "admin@demo.coop");
    }
    let statuses: Vec<String> = stays::count_by_status(&mut tx).await.unwrap().into_iter().map(|(s, _)| s).collect();
    for expected in ["requested", "accepted", "confirmed", "declined", "rejected", "withdrawn", "completed"] {
        assert!(statuses.iter().any(|s| s == expected), "no {expected} request in {statuses:?}");
    }
    tx.commit().await.unwrap();

    let directory = coop_directory(&db, None).await.unwrap();
    let countries: std::collections::BTreeSet<_> = directory.coops.iter().map(|c| c.country.clone()).collect();
    assert!(countries.len() >= 5, "{countries:?}");
    for kind in OfferKind::ALL {
        assert!(directory.coops.iter().flat_map(|c| &c.offers).any(|o| o.kind == *kind), "no {kind} offer");
    }
}

async fn seeding_twice_changes_nothing(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let before = coop_directory(&db, None).await.unwrap();
    assert_eq!(seed_demo(&db, today()).await.unwrap(), SeedOutcome::AlreadyPopulated);
    assert_eq!(coop_directory(&db, None).await.unwrap(), before);
}

async fn the_directory_lists_verified_coops_with_published_offers(db: Db) {
    let (listed, _) = coop_with_offer(&db, "listed-coop", 2, 3).await;
    let (unlisted, _) = coop_with_offer(&db, "pending-coop", 2, 3).await;
    let (_, draft_offer) = {
        let mut tx = db.begin_write().await.unwrap();
        let network = networks::insert(
            &mut tx,
            &networks::NewNetwork {
                slug: "net",
                name: "Net",
                description: "",
                country: None,
                auto_approve_verified: false,
            },
        )
        .await
        .unwrap();
        networks::set_membership(&mut tx, network, listed, MembershipStatus::Verified, "ok", None).await.unwrap();
        networks::set_membership(&mut tx, network, unlisted, MembershipStatus::Pending, "", None).await.unwrap();
        let here = LatLon::new(0.0, 0.0).unwrap();
        let draft = offers::insert(
            &mut tx,
            &offers::NewOffer {
                coop: listed,
                kind: OfferKind::Desk,
                title: "Not ready yet",
                description: "",
                default_capacity: 1,
                min_nights: 1,
                max_nights: 1,
                notice_days: 0,
                languages: "",
                amenities: "",
                accessibility: "",
                house_rules: "",
                skills_wanted: "",
                address: "",
                public_location: here,
                status: OfferStatus::Draft,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        (network, draft)
    };

    let directory = coop_directory(&db, None).await.unwrap();
    let slugs: Vec<_> = directory.coops.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["listed-coop"]);
    let offers = &directory.coops[0].offers;
    assert_eq!(offers.len(), 1, "{offers:?}");
    assert_ne!(offers[0].id, draft_offer, "a draft offer is not public");
    assert_eq!(directory.countries.len(), 1);
    assert_eq!(directory.countries[0].coops, 1);
}

async fn the_directory_filters_by_country(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let argentina = CountryCode::parse("AR").unwrap();
    let directory = coop_directory(&db, Some(&argentina)).await.unwrap();
    assert!(directory.coops.len() >= 4, "{} co-ops in AR", directory.coops.len());
    assert!(directory.coops.iter().all(|c| c.country == argentina));
    assert_eq!(directory.country, Some(argentina));
    assert!(directory.countries.len() >= 5, "the filter still offers every country");

    let nowhere = CountryCode::parse("AQ").unwrap();
    assert!(coop_directory(&db, Some(&nowhere)).await.unwrap().coops.is_empty());
}

async fn the_database_refuses_a_night_reserved_beyond_capacity(db: Db) {
    let (_, offer) = coop_with_offer(&db, "host-coop", 2, 3).await;
    let mut tx = db.begin_write().await.unwrap();
    let sql = "UPDATE calendar_nights SET reserved = 3 WHERE offer_id = $1";
    let error = match &mut tx {
        app::server::Tx::Sqlite(t) => sqlx::query(sql).bind(offer).execute(&mut **t).await.map(|_| ()),
        app::server::Tx::Postgres(t) => sqlx::query(sql).bind(offer).execute(&mut **t).await.map(|_| ()),
    }
    .map_err(StoreError::from)
    .unwrap_err();
    assert!(matches!(error, StoreError::Invariant(_)), "{error:?}");
    drop(tx);

    let mut tx = db.begin_write().await.unwrap();
    let sql = "UPDATE calendar_nights SET reserved = -1 WHERE offer_id = $1";
    let error = match &mut tx {
        app::server::Tx::Sqlite(t) => sqlx::query(sql).bind(offer).execute(&mut **t).await.map(|_| ()),
        app::server::Tx::Postgres(t) => sqlx::query(sql).bind(offer).execute(&mut **t).await.map(|_| ()),
    }
    .map_err(StoreError::from)
    .unwrap_err();
    assert!(matches!(error, StoreError::Invariant(_)), "{error:?}");
}

async fn capacity_cannot_drop_below_what_is_reserved(db: Db) {
    let (_, offer) = coop_with_offer(&db, "host-coop", 3, 3).await;
    let mut tx = db.begin_write().await.unwrap();
    assert!(calendar::hold(&mut tx, offer, range(0, 3), 2).await.unwrap());
    tx.commit().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    let error = calendar::set_capacity(&mut tx, offer, &[(day(0), 5), (day(1), 1)]).await.unwrap_err();
    assert!(matches!(error, StoreError::Invariant(_)), "{error:?}");
    tx.rollback().await.unwrap();
    assert_eq!(nights_of(&db, offer, range(0, 3)).await, [(3, 2), (3, 2), (3, 2)], "nothing changed");
}

async fn holding_is_all_or_nothing(db: Db) {
    let (_, offer) = coop_with_offer(&db, "host-coop", 2, 4).await;
    let mut tx = db.begin_write().await.unwrap();
    calendar::set_capacity(&mut tx, offer, &[(day(2), 1)]).await.unwrap();
    tx.commit().await.unwrap();

    // Two guests fit on nights 0, 1 and 3 but not on night 2: the hold must change nothing.
    let mut tx = db.begin_write().await.unwrap();
    assert!(!calendar::hold(&mut tx, offer, range(0, 4), 2).await.unwrap());
    tx.rollback().await.unwrap();
    assert_eq!(nights_of(&db, offer, range(0, 4)).await, [(2, 0), (2, 0), (1, 0), (2, 0)]);

    // A night without a row is not available either.
    let mut tx = db.begin_write().await.unwrap();
    assert!(!calendar::hold(&mut tx, offer, range(3, 5), 1).await.unwrap());
    tx.rollback().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    assert!(calendar::hold(&mut tx, offer, range(1, 3), 1).await.unwrap());
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert!(!calendar::hold(&mut tx, offer, range(2, 3), 1).await.unwrap(), "night 2 is full");
    assert!(calendar::hold(&mut tx, offer, range(1, 2), 1).await.unwrap(), "night 1 has one place left");
    tx.commit().await.unwrap();
    assert_eq!(nights_of(&db, offer, range(0, 4)).await, [(2, 0), (2, 2), (1, 1), (2, 0)]);
}

async fn releasing_gives_the_places_back(db: Db) {
    let (_, offer) = coop_with_offer(&db, "host-coop", 2, 3).await;
    let mut tx = db.begin_write().await.unwrap();
    assert!(calendar::hold(&mut tx, offer, range(0, 3), 2).await.unwrap());
    assert!(calendar::release(&mut tx, offer, range(0, 2), 2).await.unwrap());
    assert!(!calendar::release(&mut tx, offer, range(0, 1), 1).await.unwrap(), "nothing left to release");
    tx.commit().await.unwrap();
    assert_eq!(nights_of(&db, offer, range(0, 3)).await, [(2, 0), (2, 0), (2, 2)]);
}

async fn a_taken_email_is_a_conflict(db: Db) {
    user(&db, "ana@example.coop").await;
    let mut tx = db.begin_write().await.unwrap();
    let error = users::insert(
        &mut tx,
        &users::NewUser {
            email: "ana@example.coop",
            display_name: "Another Ana",
            password_hash: "x",
            is_admin: false,
            locale: "es",
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
}

async fn a_stay_moves_only_from_the_state_it_is_in(db: Db) {
    let (coop, offer) = coop_with_offer(&db, "host-coop", 2, 3).await;
    let traveller = user(&db, "t@example.coop").await;
    let mut tx = db.begin_write().await.unwrap();
    let network = networks::insert(
        &mut tx,
        &networks::NewNetwork {
            slug: "net",
            name: "Net",
            description: "",
            country: None,
            auto_approve_verified: false,
        },
    )
    .await
    .unwrap();
    let request = stays::insert(
        &mut tx,
        &stays::NewStayRequest {
            traveller,
            traveller_coop: coop,
            offer,
            network,
            range: range(0, 2),
            guests: 1,
            purpose: Purpose::Visit,
            message: "hola",
            skills_offered: "",
        },
    )
    .await
    .unwrap();
    stays::transition(&mut tx, request, Some(traveller), StayStatus::Requested, StayStatus::Withdrawn, "")
        .await
        .unwrap();
    let error =
        stays::transition(&mut tx, request, None, StayStatus::Requested, StayStatus::Accepted, "").await.unwrap_err();
    assert!(matches!(error, StoreError::NotFound), "{error:?}");
    tx.commit().await.unwrap();

    let mut tx = db.begin_read().await.unwrap();
    let rows = stays::list_for_offer(&mut tx, offer).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "withdrawn");
    assert_eq!((rows[0].check_in, rows[0].check_out), (day(0), day(2)));
}

async fn an_empty_stay_is_refused_by_the_database(db: Db) {
    let (coop, offer) = coop_with_offer(&db, "host-coop", 2, 3).await;
    let traveller = user(&db, "t@example.coop").await;
    let mut tx = db.begin_write().await.unwrap();
    let network = networks::insert(
        &mut tx,
        &networks::NewNetwork {
            slug: "net",
            name: "Net",
            description: "",
            country: None,
            auto_approve_verified: false,
        },
    )
    .await
    .unwrap();
    // Bypass DateRange (which would refuse it first) to prove the CHECK constraint itself holds.
    let sql = "INSERT INTO stay_requests (traveller_id, traveller_coop_id, offer_id, network_id, check_in, check_out, \
               guests, purpose, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, 1, 'visit', $6, $6)";
    let error = match &mut tx {
        app::server::Tx::Sqlite(t) => sqlx::query(sql)
            .bind(traveller)
            .bind(coop)
            .bind(offer)
            .bind(network)
            .bind(day(1))
            .bind(store::now())
            .execute(&mut **t)
            .await
            .map(|_| ()),
        app::server::Tx::Postgres(t) => sqlx::query(sql)
            .bind(traveller)
            .bind(coop)
            .bind(offer)
            .bind(network)
            .bind(day(1))
            .bind(store::now())
            .execute(&mut **t)
            .await
            .map(|_| ()),
    }
    .map_err(StoreError::from)
    .unwrap_err();
    assert!(matches!(error, StoreError::Invariant(_)), "{error:?}");
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    let test_db = support::TestDb::sqlite().await;
    let Db::Sqlite(pool) = &test_db.db else { panic!("not SQLite") };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(pool).await.unwrap();
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(pool).await.unwrap();
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(pool).await.unwrap();
    assert_eq!((mode.as_str(), sync, foreign_keys), ("wal", 2, 1));
    test_db.cleanup().await;
}
