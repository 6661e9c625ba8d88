//! Test support: a fresh, migrated database per test, on SQLite and on PostgreSQL.
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (an admin URL, e.g. `postgres://postgres@127.0.0.1:5432/postgres`;
//! that is also the default). `scripts/test` sets it, starting a throwaway cluster when none answers. When no
//! server answers, Postgres tests fail: they never skip.

#![allow(dead_code, reason = "each test binary uses a different part of the support module")]
#![allow(clippy::expect_used, reason = "test support: a failed setup must fail the test loudly")]

use std::sync::atomic::{AtomicU32, Ordering};

use app::domain::{CoopId, LatLon, MembershipStatus, NetworkId, UserId};
use app::server::store::{coops, networks, users};
use app::server::{Db, Tx};
use chrono::{Days, NaiveDate};
use sqlx::{Connection, Executor, PgConnection};

pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The fixed "today" of the tests, so dates and notice periods never depend on the day the suite runs.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date")
}

/// `n` days after `today()`.
pub fn day(n: u64) -> NaiveDate {
    today().checked_add_days(Days::new(n)).expect("a date in range")
}

/// The logged-in caller with the account of `email`.
pub async fn actor(db: &Db, email: &str) -> app::server::authz::Actor {
    let mut tx = db.begin_read().await.expect("a read transaction");
    let user = users::find_by_email(&mut tx, email).await.expect("look the user up").expect("the user exists");
    app::server::authz::Actor::user(user.into())
}

/// A user with a placeholder password hash (these tests never log in).
pub async fn new_user(tx: &mut Tx, email: &str) -> UserId {
    let new = users::NewUser { email, display_name: email, password_hash: "x", is_admin: false, locale: "en" };
    users::insert(tx, &new).await.expect("insert user")
}

/// A network `net` in which two Buenos Aires co-ops, `host-coop` and `travel-coop`, are verified.
pub struct TwoCoops {
    pub network: NetworkId,
    pub host_coop: CoopId,
    pub traveller_coop: CoopId,
}

pub async fn two_verified_coops(tx: &mut Tx, auto_approve_verified: bool) -> TwoCoops {
    let new = networks::NewNetwork { slug: "net", name: "Net", description: "", country: None, auto_approve_verified };
    let network = networks::insert(tx, &new).await.expect("insert network");
    let here = LatLon::new(-34.6, -58.4).expect("valid coordinates");
    let coop = |slug: &'static str| coops::NewCoop {
        slug,
        name: slug,
        country: "AR",
        city: "Buenos Aires",
        location: here,
        public_location: here.fuzzed((0.5, 0.5)),
        website: "",
        description: "",
        languages: "es",
    };
    let host_coop = coops::insert(tx, &coop("host-coop")).await.expect("insert co-op");
    let traveller_coop = coops::insert(tx, &coop("travel-coop")).await.expect("insert co-op");
    for c in [host_coop, traveller_coop] {
        networks::set_membership(tx, network, c, MembershipStatus::Verified, "", None).await.expect("verify");
    }
    TwoCoops { network, host_coop, traveller_coop }
}

/// A published room for two in `coop`, at the test co-ops' place.
pub fn room(coop: CoopId) -> app::server::store::offers::NewOffer<'static> {
    let here = LatLon::new(-34.6, -58.4).expect("valid coordinates");
    app::server::store::offers::NewOffer {
        coop,
        kind: app::domain::OfferKind::Room,
        title: "Room",
        description: "",
        default_capacity: 2,
        min_nights: 1,
        max_nights: 7,
        notice_days: 1,
        languages: "es",
        amenities: "",
        accessibility: "",
        house_rules: "",
        skills_wanted: "",
        address: "Calle Falsa 123",
        public_location: here,
        status: app::domain::OfferStatus::Published,
    }
}

/// A database that exists only for one test.
pub struct TestDb {
    pub db: Db,
    /// Where it is, for another process to open.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A new SQLite file in a temporary folder (a real file, so WAL and locking behave as in production).
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        TestDb { db, url, _dir: Some(dir), postgres: None }
    }

    /// A new database on the test PostgreSQL server.
    pub async fn postgres() -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_owned());
        let name = format!(
            "ct_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
        );
        let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL tests need a server: none answered at {admin_url} ({e}). Run them through \
                 scripts/test, which starts one, or set TEST_DATABASE_URL."
            )
        });
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
        admin.close().await.ok();
        let url = app::server::db::with_database(&admin_url, &name);
        let db = Db::connect(&url).await.expect("open PostgreSQL");
        db.migrate().await.expect("migrate PostgreSQL");
        TestDb { db, url, _dir: None, postgres: Some((admin_url, name)) }
    }

    /// Closes the pool and drops a Postgres test database (SQLite's folder goes with `TestDb`).
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = PgConnection::connect(admin_url).await
        {
            let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
        }
    }
}

/// The longest a test may take before it fails (a few seconds is usual; a slow machine may take many times that).
pub const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

/// Awaits a test's body, failing it when it takes longer than `TEST_TIME_LIMIT`: a hang becomes a named failure
/// instead of a test run that never ends.
pub async fn within_time_limit(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(TEST_TIME_LIMIT, test).await.is_err() {
        panic!("the test did not finish within {} s: something waits forever", TEST_TIME_LIMIT.as_secs());
    }
}

/// Runs each listed `async fn(Db)` twice: once on a fresh SQLite database (`sqlite::name`) and once on a fresh
/// PostgreSQL database (`postgres::name`).
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let test_db = $crate::support::TestDb::sqlite().await;
                    $crate::support::within_time_limit(super::$name(test_db.db.clone())).await;
                    test_db.cleanup().await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let test_db = $crate::support::TestDb::postgres().await;
                    $crate::support::within_time_limit(super::$name(test_db.db.clone())).await;
                    test_db.cleanup().await;
                }
            )+
        }
    };
}

/// The text of a PDF, by poppler's `pdftotext` (installed by `scripts/test`): what a reader of the file sees.
pub fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext runs (apt install poppler-utils)");
    child.stdin.take().expect("its input").write_all(pdf).expect("the PDF is written to pdftotext");
    let output = child.wait_with_output().expect("pdftotext ends");
    assert!(output.status.success(), "pdftotext reads the PDF");
    String::from_utf8(output.stdout).expect("UTF-8 text")
}
