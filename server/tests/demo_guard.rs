//! Never the demo in production: `coop-travel serve` on a public address refuses to start while demo accounts
//! keep the public password, and starts on this machine's own address.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn serve(url: &str, public_url: Option<&str>) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coop-travel"));
    command
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "coop-travel")
        .env("RUST_LOG", "info")
        .env_remove("PUBLIC_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(public_url) = public_url {
        command.env("PUBLIC_URL", public_url);
    }
    command.spawn().unwrap()
}

/// Waits up to `limit` for the process to exit; `None` if it is still running.
fn exited_within(child: &mut std::process::Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

#[test]
fn the_demo_is_refused_on_a_public_address_and_served_on_localhost() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let seeded = Command::new(env!("CARGO_BIN_EXE_coop-travel")).arg("seed-demo").env("DATABASE_URL", &url).output();
    assert!(seeded.unwrap().status.success());

    let mut public = serve(&url, Some("https://travel.example.coop"));
    let status = exited_within(&mut public, Duration::from_secs(60)).expect("serve should refuse and stop");
    assert!(!status.success());
    let output = public.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("demo password") && said.contains("admin@demo.coop"), "{said}");

    for local in [None, Some("http://localhost:3000"), Some("http://127.0.0.1:3000/")] {
        let mut server = serve(&url, local);
        let status = exited_within(&mut server, Duration::from_secs(3));
        server.kill().ok();
        let output = server.wait_with_output().unwrap();
        assert!(
            status.is_none(),
            "{local:?}: the demo should be served on this machine: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}
