//! Search by place and dates through the service, on SQLite and PostgreSQL, over the demo network.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use app::server::Db;
use app::server::seed::seed_demo;
use app::server::services::search::{Query, search};
use chrono::Days;

on_both_databases!(
    offers_near_buenos_aires_free_on_the_dates_come_nearest_first,
    kinds_and_guests_narrow_the_results,
    offers_of_unverified_coops_and_closed_nights_never_show,
    bad_searches_are_refused_clearly,
    a_language_narrows_the_results,
    a_typed_city_from_the_place_list_finds_its_offers,
    a_coop_located_by_city_alone_gets_the_city_centre,
    the_plan_uses_the_location_index_and_the_calendar_key,
    pages_of_a_crowded_city_follow_on_nearest_first_without_repeats,
    a_search_near_the_antimeridian_finds_offers_on_both_sides,
    a_member_finds_the_coops_that_ask_for_the_skills_they_bring,
);

fn near_buenos_aires(radius_km: f64) -> Query {
    Query {
        lat: -34.6037,
        lon: -58.3816,
        radius_km,
        check_in: day(40),
        check_out: day(42),
        guests: 1,
        kinds: String::new(),
        language: String::new(),
        page: 0,
        brought: Vec::new(),
        only_matching: false,
        apart_from: Vec::new(),
    }
}

async fn offers_near_buenos_aires_free_on_the_dates_come_nearest_first(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let near = search(&db, &near_buenos_aires(100.0)).await.unwrap();
    let cities: Vec<_> = near.hits.iter().map(|h| h.city.as_str()).collect();
    assert!(cities.contains(&"Buenos Aires") && cities.contains(&"La Plata"), "{cities:?}");
    assert!(!cities.contains(&"Rosario"), "Rosario is ~280 km away: {cities:?}");
    assert!(near.hits.windows(2).all(|w| w[0].distance_km <= w[1].distance_km), "nearest first");
    assert!(near.hits.iter().all(|h| h.distance_km <= 100.0 && h.free_places >= 1));
    let wider = search(&db, &near_buenos_aires(400.0)).await.unwrap();
    assert!(wider.hits.iter().any(|h| h.city == "Rosario") && wider.hits.iter().any(|h| h.city == "Montevideo"));
}

async fn kinds_and_guests_narrow_the_results(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let mut query = near_buenos_aires(400.0);
    query.kinds = "couch".into();
    let couches = search(&db, &query).await.unwrap();
    assert!(!couches.hits.is_empty() && couches.hits.iter().all(|h| h.kind.as_str() == "couch"));
    let mut crowd = near_buenos_aires(400.0);
    crowd.guests = 12;
    let big = search(&db, &crowd).await.unwrap();
    assert!(big.hits.iter().all(|h| h.free_places >= 12 && h.kind.as_str() == "visit"), "only big day visits");
}

async fn offers_of_unverified_coops_and_closed_nights_never_show(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    // Ringway Repair (Manchester) is only pending in Patio.
    let manchester = Query { lat: 53.4808, lon: -2.2426, radius_km: 50.0, ..near_buenos_aires(50.0) };
    assert!(search(&db, &manchester).await.unwrap().hits.is_empty());
    // Desks and visits are closed at weekends: a range with a Saturday night excludes them.
    let saturday = (0..7).map(day).find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Sat).unwrap();
    let query = Query {
        check_in: saturday,
        check_out: saturday.checked_add_days(Days::new(1)).unwrap(),
        ..near_buenos_aires(400.0)
    };
    let hits = search(&db, &query).await.unwrap().hits;
    assert!(hits.iter().all(|h| h.kind.as_str() != "desk" && h.kind.as_str() != "visit"), "{hits:?}");
}

async fn bad_searches_are_refused_clearly(db: Db) {
    let mut query = near_buenos_aires(50.0);
    query.lat = 123.0;
    assert!(search(&db, &query).await.is_err());
    let mut query = near_buenos_aires(0.0);
    assert!(search(&db, &query).await.unwrap_err().to_string().contains("radius"));
    query = near_buenos_aires(50.0);
    query.check_out = query.check_in;
    assert!(search(&db, &query).await.is_err());
    query = near_buenos_aires(50.0);
    query.kinds = "castle".into();
    assert!(search(&db, &query).await.unwrap_err().to_string().contains("castle"));
}

async fn a_language_narrows_the_results(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let all = search(&db, &near_buenos_aires(400.0)).await.unwrap();
    assert!(!all.more, "one page");
    let mut query = near_buenos_aires(400.0);
    query.language = "PT".into();
    let portuguese = search(&db, &query).await.unwrap();
    assert!(!portuguese.hits.is_empty() && portuguese.hits.len() < all.hits.len(), "{portuguese:?}");
    assert!(portuguese.hits.iter().all(|h| all.hits.contains(h)));
    query.language = "portuguese".into();
    assert!(search(&db, &query).await.is_err(), "a language is a two-letter code");
    query.language = "pt, it".into();
    assert!(search(&db, &query).await.is_err(), "one language at a time");
}

async fn a_typed_city_from_the_place_list_finds_its_offers(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let place = app::server::places::resolve("sao paulo").unwrap();
    assert_eq!((place.name, place.country.as_str()), ("São Paulo", "BR"));
    let query = Query { lat: place.lat, lon: place.lon, ..near_buenos_aires(50.0) };
    let found = search(&db, &query).await.unwrap();
    assert!(!found.hits.is_empty() && found.hits.iter().all(|h| h.city == "São Paulo"), "{found:?}");
}

async fn a_coop_located_by_city_alone_gets_the_city_centre(db: Db) {
    use app::server::authz::Actor;
    use app::server::services::coops;
    use app::views::coops::CoopForm;
    let mut tx = db.begin_write().await.unwrap();
    let user = support::new_user(&mut tx, "founder@example.coop").await;
    let found = app::server::store::users::find_by_id(&mut tx, user).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let founder = Actor::user(found.into());
    let form = CoopForm {
        name: "Cooperativa Mediterránea".into(),
        country: "ES".into(),
        city: "Cordoba".into(),
        ..CoopForm::default()
    };
    let slug = coops::create(&db, &founder, "mediterranea", &form).await.unwrap();
    let page = coops::page(&db, &Actor::anonymous(), &slug).await.unwrap();
    // Córdoba, Spain (37.88 N, 4.77 W) — not the bigger Córdoba in Argentina; the public pin within 1.5 km of it.
    assert!((page.public_lat - 37.88).abs() < 0.05 && (page.public_lon + 4.77).abs() < 0.05, "{page:?}");
    let nowhere = CoopForm { city: "Qqqzzzville".into(), ..form };
    let error = coops::create(&db, &founder, "nowhere", &nowhere).await.unwrap_err().to_string();
    assert!(error.contains("Qqqzzzville") && error.contains("latitude"), "{error}");
}

/// Runs one statement with its binds on whichever database the transaction is on.
macro_rules! execute {
    ($tx:expr, $sql:expr $(, $bind:expr)*) => {
        match $tx {
            app::server::Tx::Sqlite(c) => sqlx::query($sql)$(.bind($bind))*.execute(&mut **c).await.map(drop),
            app::server::Tx::Postgres(c) => sqlx::query($sql)$(.bind($bind))*.execute(&mut **c).await.map(drop),
        }
        .unwrap()
    };
}

/// Opens `nights` nights from `from` with `capacity` places for every offer whose title is `LIKE titles`.
async fn open_nights(tx: &mut app::server::Tx, titles: &str, capacity: i32, nights: i32, from: chrono::NaiveDate) {
    // The only dialect difference: a date plus a number of days, and a series of numbers.
    let sql = match tx {
        app::server::Tx::Sqlite(_) => {
            "INSERT INTO calendar_nights (offer_id, night, capacity, updated_at) \
             SELECT o.offer_id, date($1, '+' || d.i || ' days'), $3, $2 FROM offers o, \
             (WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < $4 - 1) SELECT i FROM d) d \
             WHERE o.title LIKE $5"
        }
        app::server::Tx::Postgres(_) => {
            "INSERT INTO calendar_nights (offer_id, night, capacity, updated_at) \
             SELECT o.offer_id, $1::date + d.i, $3, $2 FROM offers o, generate_series(0, $4 - 1) d(i) \
             WHERE o.title LIKE $5"
        }
    };
    execute!(tx, sql, from, chrono::Utc::now(), capacity, nights, titles);
}

/// 3,000 published offers spread over the globe, 14 nights each, then the statistics the planner reads.
async fn spread_offers(db: &Db) {
    let mut tx = db.begin_write().await.unwrap();
    let coop = app::server::store::coops::find_by_slug(&mut tx, "telar-sur").await.unwrap().unwrap().coop_id;
    let now = chrono::Utc::now();
    let offers = "INSERT INTO offers (coop_id, kind, title, default_capacity, public_lat, public_lon, status, \
        created_at, updated_at) \
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
        SELECT $1, 'bed', 'Synthetic ' || i, 2, ((i * 7919) % 12000) / 100.0 - 60.0, \
        ((i * 104729) % 36000) / 100.0 - 180.0, 'published', $2, $2 FROM n";
    execute!(&mut tx, offers, coop, now);
    open_nights(&mut tx, "Synthetic %", 2, 14, day(35)).await;
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    execute!(&mut tx, "ANALYZE");
    tx.commit().await.unwrap();
}

async fn the_plan_uses_the_location_index_and_the_calendar_key(db: Db) {
    use app::server::services::search::explain;
    seed_demo(&db, today()).await.unwrap();
    spread_offers(&db).await;
    let plan = explain(&db, &near_buenos_aires(50.0), false).await.unwrap();
    assert!(plan.contains("offers_published_location"), "the bounding box must use the location index:\n{plan}");
    assert!(
        plan.contains("calendar_nights_pkey") || plan.contains("sqlite_autoindex_calendar_nights_1"),
        "the nights must be read through the calendar's key, not scanned:\n{plan}"
    );
    // And the synthetic offers are found where they are: nothing near Buenos Aires but the demo's own.
    let found = search(&db, &near_buenos_aires(50.0)).await.unwrap();
    assert!(found.hits.iter().all(|h| !h.title.starts_with("Synthetic")), "{found:?}");
}

async fn pages_of_a_crowded_city_follow_on_nearest_first_without_repeats(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let demo = search(&db, &near_buenos_aires(50.0)).await.unwrap().hits.len();
    // 300 more free offers within a few km of the centre: several batches of candidates, many pages.
    let mut tx = db.begin_write().await.unwrap();
    let coop = app::server::store::coops::find_by_slug(&mut tx, "telar-sur").await.unwrap().unwrap().coop_id;
    let now = chrono::Utc::now();
    execute!(
        &mut tx,
        "INSERT INTO offers (coop_id, kind, title, default_capacity, public_lat, public_lon, status, created_at, \
         updated_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) \
         SELECT $1, 'couch', 'Crowded ' || i, 1, -34.6 + ((i * 37) % 100) / 1000.0, \
         -58.38 + ((i * 53) % 100) / 1000.0, 'published', $2, $2 FROM n",
        coop,
        now
    );
    open_nights(&mut tx, "Crowded %", 1, 2, day(40)).await;
    tx.commit().await.unwrap();

    let mut seen = Vec::new();
    for page in 0.. {
        let found = search(&db, &Query { page, ..near_buenos_aires(50.0) }).await.unwrap();
        assert!(found.hits.len() == 20 || !found.more, "a full page whenever there are more");
        seen.extend(found.hits);
        if !found.more {
            break;
        }
    }
    assert_eq!(seen.len(), demo + 300, "every offer once");
    assert!(seen.windows(2).all(|w| w[0].distance_km <= w[1].distance_km), "nearest first across pages");
    let mut ids: Vec<_> = seen.iter().map(|h| h.offer).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), seen.len(), "no offer on two pages");
}

async fn a_search_near_the_antimeridian_finds_offers_on_both_sides(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let coop = app::server::store::coops::find_by_slug(&mut tx, "telar-sur").await.unwrap().unwrap().coop_id;
    let now = chrono::Utc::now();
    // Fiji straddles the 180th meridian: one offer a few km east of it, one a few km west.
    for (title, lon) in [("East of 180", 179.95), ("West of 180", -179.95)] {
        execute!(
            &mut tx,
            "INSERT INTO offers (coop_id, kind, title, default_capacity, public_lat, public_lon, status, created_at, \
             updated_at) VALUES ($1, 'room', $2, 1, -16.8, $3, 'published', $4, $4)",
            coop,
            title,
            lon,
            now
        );
    }
    open_nights(&mut tx, "% of 180", 1, 2, day(40)).await;
    tx.commit().await.unwrap();

    for lon in [179.99, -179.99] {
        let query = Query { lat: -16.8, lon, radius_km: 25.0, ..near_buenos_aires(25.0) };
        let found = search(&db, &query).await.unwrap();
        let titles: Vec<_> = found.hits.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles.len(), 2, "from {lon}: {titles:?}");
        assert!(found.hits.iter().all(|h| h.distance_km < 10.0), "{:?}", found.hits);
    }
}

async fn a_member_finds_the_coops_that_ask_for_the_skills_they_bring(db: Db) {
    seed_demo(&db, today()).await.unwrap();
    let brought = vec!["rust".to_owned(), "soldering".to_owned()];
    let all = search(&db, &Query { brought: brought.clone(), ..near_buenos_aires(400.0) }).await.unwrap();
    let asking: Vec<_> = all.hits.iter().filter(|h| !h.matching.is_empty()).collect();
    assert!(!asking.is_empty() && asking.len() < all.hits.len(), "some offers ask for Rust, not all");
    assert!(asking.iter().all(|h| h.matching.iter().all(|m| brought.contains(m) && h.skills_wanted.contains(m))));
    let only = Query { brought, only_matching: true, ..near_buenos_aires(400.0) };
    let matching = search(&db, &only).await.unwrap();
    let ids = |hits: &[app::views::search::SearchHit]| hits.iter().map(|h| h.offer).collect::<Vec<_>>();
    assert_eq!(ids(&matching.hits), asking.iter().map(|h| h.offer).collect::<Vec<_>>(), "the same, nearest first");
    let nothing = Query { only_matching: true, ..near_buenos_aires(400.0) };
    assert!(search(&db, &nothing).await.unwrap().hits.is_empty(), "no skills brought: nothing asks for them");
}
