//! The SQLite backup (`coop-travel backup --to FILE`, `Db::backup_sqlite`) taken while bookings are being
//! written: the copy passes SQLite's integrity check and holds every booking acknowledged before it began.
//! (PostgreSQL is backed up with `pg_dump`.)

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use app::domain::{DateRange, Purpose};
use app::server::Db;
use app::server::store::{offers, stays, users};
use support::{TestDb, day};

const WRITERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_bookings_is_whole_and_holds_every_acknowledged_one() {
    let test_db = TestDb::sqlite().await;
    support::within_time_limit(backup_during_bookings(&test_db.db)).await;
    test_db.cleanup().await;
}

async fn backup_during_bookings(db: &Db) {
    let mut tx = db.begin_write().await.unwrap();
    let coops = support::two_verified_coops(&mut tx, false).await;
    let offer = offers::insert(&mut tx, &support::room(coops.host_coop)).await.unwrap();
    let mut travellers = Vec::new();
    for i in 0..WRITERS {
        let user = support::new_user(&mut tx, &format!("writer{i}@t.coop")).await;
        users::add_to_coop(&mut tx, coops.traveller_coop, user, "member").await.unwrap();
        travellers.push(user);
    }
    tx.commit().await.unwrap();

    // Writers book until told to stop; each booking counts once its commit has returned.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for traveller in travellers {
        let (db, stop, acknowledged) = (db.clone(), stop.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let range = DateRange::new(day(10 + n % 300), day(11 + n % 300)).unwrap();
                let new = stays::NewStayRequest {
                    traveller,
                    traveller_coop: coops.traveller_coop,
                    offer,
                    network: coops.network,
                    range,
                    guests: 1,
                    purpose: Purpose::Visit,
                    message: "a booking written during the backup",
                    skills_offered: "",
                };
                let mut tx = db.begin_write().await.unwrap();
                let id = stays::insert(&mut tx, &new).await.unwrap();
                tx.commit().await.unwrap();
                acknowledged.lock().unwrap().push(id);
                n += 1;
            }
        }));
    }
    // Let bookings pile up, note which were acknowledged, then back up while the writers go on.
    while acknowledged.lock().unwrap().len() < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before: BTreeSet<_> = acknowledged.lock().unwrap().iter().copied().collect();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    db.backup_sqlite(&copy).await.unwrap();
    let during = acknowledged.lock().unwrap().len();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(during > before.len(), "the writers kept writing while the backup ran");
    assert!(db.backup_sqlite(&copy).await.is_err(), "an existing file is never overwritten");

    // Restore: open the copy as a database of its own.
    let restored = Db::connect(&format!("sqlite://{}", copy.display())).await.unwrap();
    let Db::Sqlite(pool) = &restored else { unreachable!("a SQLite copy") };
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(pool).await.unwrap();
    assert_eq!(integrity, "ok");
    let ids: Vec<i64> = sqlx::query_scalar("SELECT stay_request_id FROM stay_requests").fetch_all(pool).await.unwrap();
    let in_copy: BTreeSet<i64> = ids.into_iter().collect();
    let missing: Vec<_> = before.iter().filter(|id| !in_copy.contains(&id.0)).collect();
    assert!(missing.is_empty(), "bookings acknowledged before the backup but not in it: {missing:?}");
    restored.close().await;
}
