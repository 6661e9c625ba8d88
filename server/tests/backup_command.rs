//! `coop-travel backup --to FILE` as an operator runs it: a copy of the SQLite database, never over an existing
//! file, and a pointer to `pg_dump` for PostgreSQL.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

use std::process::Command;

fn backup(database_url: &str, to: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_coop-travel"))
        .args(["backup", "--to"])
        .arg(to)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "info")
        .output()
        .unwrap()
}

/// Everything the command printed (the log goes to standard output).
fn said(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn the_backup_command_copies_sqlite_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    let migrate = Command::new(env!("CARGO_BIN_EXE_coop-travel")).arg("seed-demo").env("DATABASE_URL", &url).output();
    assert!(migrate.unwrap().status.success());
    let copy = dir.path().join("backups").join("copy.db");
    let first = backup(&url, &copy);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(std::fs::metadata(&copy).unwrap().len() > 100_000, "the demo network is in the copy");
    let again = backup(&url, &copy);
    assert!(!again.status.success());
    assert!(said(&again).contains("exists already"), "{}", said(&again));
    let postgres = backup("postgres://postgres@127.0.0.1:1/none", &dir.path().join("pg.db"));
    assert!(!postgres.status.success());
    assert!(said(&postgres).contains("pg_dump"), "{}", said(&postgres));
}
