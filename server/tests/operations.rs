//! The operator's commands as an operator runs them: the binary, its environment and its exit status. `--help`
//! everywhere, a bad variable named, `admin create` on both databases, `check`, and JSON logs that name the real
//! client behind a trusted proxy.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure panics with its cause")]

#[path = "../../app/tests/support/mod.rs"]
mod support;

mod common;

use std::io::{BufRead as _, Read as _, Write as _};
use std::process::{Command, Stdio};

use support::TestDb;

/// The binary with a clean configuration: none of the variables it reads comes from the test's environment.
fn coop_travel() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coop-travel"));
    for variable in [
        "DATABASE_URL",
        "DATABASE_MAX_CONNECTIONS",
        "PUBLIC_URL",
        "TRUSTED_PROXIES",
        "SMTP_URL",
        "MAIL_FROM",
        "COOP_TRAVEL_AUTH_BURST",
        "COOP_TRAVEL_INSECURE_COOKIES",
        "COOP_TRAVEL_TODAY",
        "LOG_FORMAT",
        "LEPTOS_SITE_ROOT",
        "LEPTOS_SITE_ADDR",
    ] {
        command.env_remove(variable);
    }
    command.env("RUST_LOG", "info");
    command
}

fn said(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn every_command_answers_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["seed-demo", "--help"],
        vec!["admin", "create", "--help"],
        vec!["admin", "promote", "--help"],
        vec!["backup", "--help"],
        vec!["check", "--help"],
        vec!["bench", "--help"],
        vec!["load", "--help"],
    ] {
        let output = coop_travel().args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", said(&output));
        assert!(said(&output).contains("Usage: coop-travel"), "{args:?}: {}", said(&output));
    }
    let serve = said(&coop_travel().args(["serve", "--help"]).output().unwrap());
    for variable in
        ["DATABASE_URL", "TRUSTED_PROXIES", "PUBLIC_URL", "SMTP_URL", "COOP_TRAVEL_AUTH_BURST", "LOG_FORMAT"]
    {
        assert!(serve.contains(&format!("[env: {variable}=")), "serve --help does not name {variable}");
    }
}

#[test]
fn a_bad_variable_stops_start_up_and_is_named() {
    for (variable, value, accepted) in [
        ("COOP_TRAVEL_AUTH_BURST", "abc", "attempts"),
        ("TRUSTED_PROXIES", "10.0.0.0/8,proxy.local", "CIDR"),
        ("DATABASE_MAX_CONNECTIONS", "0", "1..=1000"),
        ("COOP_TRAVEL_INSECURE_COOKIES", "maybe", "true or false"),
        ("LOG_FORMAT", "xml", "text, json"),
        ("MAIL_FROM", "not an address", "address"),
    ] {
        let output = coop_travel().arg("serve").env(variable, value).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{variable}={value}: {}", said(&output));
        let text = said(&output);
        assert!(text.contains(&format!("{variable}={value:?}")), "{variable}: {text}");
        assert!(text.contains(accepted), "{variable}: {text}");
    }
}

/// `admin create` with the password on standard input.
fn create_admin(url: &str, email: &str, password: &str) -> std::process::Output {
    let mut child = coop_travel()
        .args(["admin", "create", "--email", email, "--name", "Operations Admin"])
        .env("DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

async fn the_first_admin_is_made_on_the_command_line(test_db: &TestDb) {
    let password = "a long and uncommon passphrase";
    let output = create_admin(&test_db.url, "ops@coop.example", password);
    assert!(output.status.success(), "{}", said(&output));

    let mut tx = test_db.db.begin_read().await.unwrap();
    let user = app::server::store::users::find_by_email(&mut tx, "ops@coop.example").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert!(user.is_admin && user.email_verified_at.is_some(), "{user:?}");
    // The password from standard input is the one that logs in.
    let app = common::router(test_db.db.clone()).await;
    let mut client = common::Client::logged_in(&app, "ops@coop.example", password).await;
    assert!(client.who().await.is_some());

    // Once only; the message says how to promote instead. A weak password creates nothing.
    let again = create_admin(&test_db.url, "ops@coop.example", password);
    assert!(!again.status.success() && said(&again).contains("admin promote"), "{}", said(&again));
    let weak = create_admin(&test_db.url, "weak@coop.example", "short");
    assert!(!weak.status.success() && said(&weak).contains("8 characters"), "{}", said(&weak));
    let mut tx = test_db.db.begin_read().await.unwrap();
    assert!(app::server::store::users::find_by_email(&mut tx, "weak@coop.example").await.unwrap().is_none());
    tx.commit().await.unwrap();

    // An existing account is promoted, and both are in the audit log.
    let mut tx = test_db.db.begin_write().await.unwrap();
    support::new_user(&mut tx, "member@coop.example").await;
    tx.commit().await.unwrap();
    let promoted = coop_travel()
        .args(["admin", "promote", "--email", "member@coop.example"])
        .env("DATABASE_URL", &test_db.url)
        .output()
        .unwrap();
    assert!(promoted.status.success(), "{}", said(&promoted));
    let mut tx = test_db.db.begin_read().await.unwrap();
    let member = app::server::store::users::find_by_email(&mut tx, "member@coop.example").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert!(member.is_admin);
    let audited: i64 = match &test_db.db {
        app::server::Db::Sqlite(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action IN ('admin_created', 'admin_promoted')")
                .fetch_one(pool)
                .await
                .unwrap()
        }
        app::server::Db::Postgres(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action IN ('admin_created', 'admin_promoted')")
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(audited, 2);
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_first_admin_is_made_on_the_command_line() {
        let test_db = super::TestDb::sqlite().await;
        super::support::within_time_limit(super::the_first_admin_is_made_on_the_command_line(&test_db)).await;
        test_db.cleanup().await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_first_admin_is_made_on_the_command_line() {
        let test_db = super::TestDb::postgres().await;
        super::support::within_time_limit(super::the_first_admin_is_made_on_the_command_line(&test_db)).await;
        test_db.cleanup().await;
    }
}

#[test]
fn check_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("check.db").display());
    let site = dir.path().join("site");
    let check = || {
        coop_travel()
            .arg("check")
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ROOT", &site)
            .env("OUTBOX_DIR", dir.path().join("outbox"))
            .output()
            .unwrap()
    };
    assert!(coop_travel().arg("migrate").env("DATABASE_URL", &url).output().unwrap().status.success());
    let missing = check();
    assert_eq!(missing.status.code(), Some(1), "{}", said(&missing));
    assert!(said(&missing).contains("FAIL  site files"), "{}", said(&missing));
    assert!(said(&missing).contains("ok    migrations: the schema is current"), "{}", said(&missing));

    std::fs::create_dir_all(site.join("pkg")).unwrap();
    // The names the binary's hash file gives, if a build left one beside it.
    let beside = std::path::Path::new(env!("CARGO_BIN_EXE_coop-travel")).with_file_name(server::assets::HASH_FILE);
    let hashes = std::fs::read_to_string(beside).ok();
    for file in server::assets::SiteFiles::named("coop-travel", hashes.as_deref()).all() {
        std::fs::write(site.join("pkg").join(file), b"built").unwrap();
    }
    let complete = check();
    assert!(complete.status.success(), "{}", said(&complete));
    assert!(said(&complete).contains("ok    mail: written as .eml files"), "{}", said(&complete));

    // An SMTP server that does not answer fails the check (port 9 on this machine: nothing listens).
    let no_smtp = coop_travel()
        .arg("check")
        .env("DATABASE_URL", &url)
        .env("LEPTOS_SITE_ROOT", &site)
        .env("SMTP_URL", "smtp://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(no_smtp.status.code(), Some(1), "{}", said(&no_smtp));
    assert!(said(&no_smtp).contains("FAIL  mail"), "{}", said(&no_smtp));
}

#[test]
fn json_logs_name_the_client_behind_a_trusted_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let mut server = coop_travel()
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "coop-travel")
        .env("OUTBOX_DIR", dir.path().join("outbox"))
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if let Some(listening) =
            entry["fields"]["message"].as_str().and_then(|m| m.strip_prefix("listening on http://"))
        {
            addr = Some(listening.to_owned());
            break;
        }
    }
    let addr = addr.expect("the server said where it listens");

    // A cross-site write, forwarded by the proxy (us, on 127.0.0.1) for the client 198.51.100.23.
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /api/auth/logout HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://elsewhere.example\r\nX-Forwarded-For: \
         198.51.100.23\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");

    let mut ready = std::net::TcpStream::connect(&addr).unwrap();
    write!(ready, "GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    ready.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ready"), "{answer}");

    let mut refused = None;
    for line in lines.by_ref() {
        let entry: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if entry["fields"]["message"] == "cross-origin write refused" {
            refused = Some(entry);
            break;
        }
    }
    server.kill().ok();
    server.wait().ok();
    let refused = refused.expect("the refusal was logged");
    assert_eq!(refused["span"]["client"], "198.51.100.23", "{refused}");
    assert_eq!(refused["span"]["path"], "/api/auth/logout", "{refused}");
}
