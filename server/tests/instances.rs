//! Three `coop-travel serve` processes on one database, started together as three instances behind a load
//! balancer would be: every pending notification is e-mailed exactly once (one `.eml` file per message, no
//! `Message-ID` twice), on both databases. Before the sender claimed its rows, three instances sent the same
//! message up to three times.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

#[path = "../../app/tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use app::server::store::{notifications, users};
use support::TestDb;

const MESSAGES: usize = 90;
const INSTANCES: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_three_instances_send_each_message_once() {
    let test_db = TestDb::sqlite().await;
    support::within_time_limit(three_instances_send_each_message_once(&test_db)).await;
    test_db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_three_instances_send_each_message_once() {
    let test_db = TestDb::postgres().await;
    support::within_time_limit(three_instances_send_each_message_once(&test_db)).await;
    test_db.cleanup().await;
}

async fn three_instances_send_each_message_once(test_db: &TestDb) {
    let mut tx = test_db.db.begin_write().await.unwrap();
    for i in 0..MESSAGES {
        let email = format!("person{i}@coop.example");
        let new =
            users::NewUser { email: &email, display_name: "Person", password_hash: "x", is_admin: false, locale: "en" };
        let user = users::insert(&mut tx, &new).await.unwrap();
        notifications::insert_plain(&mut tx, user, "test", "Something happened.").await.unwrap();
    }
    tx.commit().await.unwrap();

    let outbox = tempfile::tempdir().unwrap();
    let mut servers = Vec::new();
    for _ in 0..INSTANCES {
        let server = tokio::process::Command::new(env!("CARGO_BIN_EXE_coop-travel"))
            .arg("serve")
            .env("DATABASE_URL", &test_db.url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_OUTPUT_NAME", "coop-travel")
            .env("OUTBOX_DIR", outbox.path())
            .env("MAIL_INTERVAL_SECONDS", "1")
            .env("PUBLIC_URL", "https://coop.example")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        servers.push(server);
    }

    let files =
        || std::fs::read_dir(outbox.path()).unwrap().filter_map(Result::ok).map(|e| e.path()).collect::<Vec<_>>();
    let started = Instant::now();
    while files().len() < MESSAGES && started.elapsed() < Duration::from_secs(90) {
        for server in &mut servers {
            assert!(server.try_wait().unwrap().is_none(), "an instance exited early");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Each instance looks again every second: give them a few more rounds to send anything twice.
    tokio::time::sleep(Duration::from_secs(4)).await;
    for server in &mut servers {
        server.kill().await.unwrap();
    }

    let files = files();
    let mut ids = BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let id = text.lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap_or_else(|| panic!("{text}"));
        ids.insert(id.trim().to_owned());
    }
    assert_eq!(ids.len(), MESSAGES, "every message sent ({} distinct of {MESSAGES})", ids.len());
    assert_eq!(files.len(), MESSAGES, "{} files for {MESSAGES} messages: some were sent twice", files.len());
}
