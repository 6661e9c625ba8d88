//! `coop-travel`: the Co-op & Travel server.
//!
//! ```text
//! coop-travel [serve]     migrate, then serve the app on LEPTOS_SITE_ADDR (default 127.0.0.1:3000)
//! coop-travel migrate     bring the database schema up to date
//! coop-travel seed-demo   migrate, then write the demo network into an empty database (no-op otherwise)
//! coop-travel bench       generate synthetic networks and benchmark search (issue #6; see bench.rs)
//! coop-travel load        mixed traffic against a running server (issue #16; see load.rs)
//! ```
//!
//! The database is `DATABASE_URL` (default `sqlite://data/coop-travel.db`; `postgres://…` for PostgreSQL).

mod bench;
mod http1;
mod load;

use std::process::ExitCode;

use app::server::seed::{SeedOutcome, seed_demo};
use app::server::{AppState, Clock, Db, db::DEFAULT_DATABASE_URL};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's allocator: a page or an API answer makes many short-lived allocations, which
/// glibc's arenas served with a fifth of the server's CPU under load (docs/BENCHMARKS.md), and glibc kept the
/// password hashes' memory long after use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: coop-travel [serve | migrate | seed-demo | bench [options] | load [options]]

  serve       migrate the database, then serve the app (the default)
  migrate     bring the database schema up to date
  seed-demo   write the demo network into an empty database (does nothing if it holds data)
  backup --to FILE   a consistent copy of the SQLite database, taken while the server runs (FILE must not
              exist; PostgreSQL: use pg_dump)
{BENCH}
{LOAD}

environment:
  DATABASE_URL       sqlite://path/to/file.db (default sqlite://data/coop-travel.db) or postgres://…
  LEPTOS_SITE_ADDR   address to listen on (default 127.0.0.1:3000)
  LEPTOS_SITE_ROOT   folder of the built site (default target/site)
  RUST_LOG           log filter (default info)
  COOP_TRAVEL_INSECURE_COOKIES=1   session cookie without Secure/__Host- (plain http beyond localhost)
  COOP_TRAVEL_AUTH_BURST   log-in/sign-up attempts per address in a burst (default 10; then one per 6 s)
  SMTP_URL           send e-mail through SMTP (smtps://user:pass@host:465); default: .eml files in OUTBOX_DIR
  OUTBOX_DIR         folder for e-mails when there is no SMTP_URL (default data/outbox)
  MAIL_FROM          sender of notification e-mails (default Co-op & Travel <noreply@localhost>)
  PUBLIC_URL         the site's address, for links in e-mails (default http://LEPTOS_SITE_ADDR)
  MAIL_INTERVAL_SECONDS  how often the e-mail sender looks for due mail (default 30)
  DATABASE_MAX_CONNECTIONS  pool size (default 8)
  COOP_TRAVEL_TODAY  tests and demos only: fix the server's calendar day (YYYY-MM-DD; logged as a warning)";

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".to_owned());
    // The benchmark's bulk INSERTs are slow statements by design: sqlx would log each one, SQL text and all.
    let default_filter = if command == "bench" { "info,sqlx=error" } else { "info,sqlx=warn" };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter)))
        .init();

    let usage = USAGE.replace("{BENCH}", bench::USAGE).replace("{LOAD}", load::USAGE);
    let result = match command.as_str() {
        "serve" => serve().await,
        "migrate" => open_database().await.map(|_| ()),
        "seed-demo" => seed().await,
        "backup" => backup(&std::env::args().skip(2).collect::<Vec<_>>()).await,
        "bench" => bench::run(&std::env::args().skip(2).collect::<Vec<_>>()).await,
        "load" => load::run(&std::env::args().skip(2).collect::<Vec<_>>()).await,
        "help" | "-h" | "--help" => {
            eprintln!("{usage}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("unknown command {other:?}\n\n{usage}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// `DATABASE_URL`, or the default SQLite file.
fn database_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned())
}

/// Connects to `DATABASE_URL` and migrates it.
async fn open_database() -> Result<Db, String> {
    let url = database_url();
    let max_connections = match std::env::var("DATABASE_MAX_CONNECTIONS") {
        Ok(value) => Some(value.trim().parse::<u32>().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| {
            format!("DATABASE_MAX_CONNECTIONS={value:?}: a whole number of connections from 1 to 1000")
        })?),
        Err(_) => None,
    };
    let db = Db::connect_with(&url, max_connections).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate().await.map_err(|e| format!("cannot migrate the database: {e}"))?;
    let hashed = app::server::services::calendar::protect_feed_tokens(&db)
        .await
        .map_err(|e| format!("cannot hash the calendar feed secrets: {e}"))?;
    if hashed > 0 {
        tracing::info!(hashed, "calendar feed secrets stored in clear are now hashed (the addresses keep working)");
    }
    tracing::info!(backend = ?db.backend(), "database ready");
    Ok(db)
}

/// Never the demo on a public address: when the site is reachable beyond this machine (`PUBLIC_URL`, else the
/// listening address, is not loopback) and a demo account still has the password published in the README,
/// `serve` stops with what to do instead.
async fn refuse_public_demo(db: &Db, addr: std::net::SocketAddr) -> Result<(), String> {
    let public_url = std::env::var("PUBLIC_URL").ok().filter(|u| !u.trim().is_empty());
    let public = match &public_url {
        Some(url) => !is_loopback_url(url),
        None => !addr.ip().is_loopback(),
    };
    if !public {
        return Ok(());
    }
    let demo = app::server::seed::accounts_with_demo_password(db)
        .await
        .map_err(|e| format!("cannot check for demo accounts: {e}"))?;
    if demo.is_empty() {
        return Ok(());
    }
    let place = public_url.unwrap_or_else(|| format!("http://{addr}"));
    Err(format!(
        "refusing to serve on {place}: {} demo account(s) ({}{}) still have the demo password, which is public. For a \
         real network start from an empty database (a new DATABASE_URL; `coop-travel migrate` creates it), or give \
         those accounts new passwords. To try the demo, serve it on this machine only (PUBLIC_URL unset and \
         LEPTOS_SITE_ADDR=127.0.0.1:3000, as ./scripts/run does).",
        demo.len(),
        demo.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
        if demo.len() > 3 { ", …" } else { "" }
    ))
}

/// Whether a URL's host is this machine (`localhost`, `127.0.0.1`, `[::1]`…).
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The second, small pool for sessions and their users (see `AppState::sessions_db`), on the same database.
async fn open_sessions_pool() -> Result<Db, String> {
    let url = database_url();
    Db::connect_with(&url, Some(SESSIONS_POOL_CONNECTIONS)).await.map_err(|e| format!("cannot open the database: {e}"))
}

/// Connections of the sessions pool, besides `DATABASE_MAX_CONNECTIONS`.
const SESSIONS_POOL_CONNECTIONS: u32 = 4;

/// `backup --to FILE`.
async fn backup(args: &[String]) -> Result<(), String> {
    let to = match args {
        [flag, file] if flag == "--to" => std::path::PathBuf::from(file),
        _ => return Err("usage: coop-travel backup --to FILE".into()),
    };
    let url = database_url();
    if !url.starts_with("sqlite:") {
        return Err("backup copies SQLite databases; back PostgreSQL up with pg_dump".into());
    }
    // The server may be running: no migration here, one connection is enough.
    let db = Db::connect_with(&url, Some(1)).await.map_err(|e| format!("cannot open the database: {e}"))?;
    let started = std::time::Instant::now();
    db.backup_sqlite(&to).await.map_err(|e| format!("backup failed: {e}"))?;
    db.close().await;
    let bytes = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
    tracing::info!(
        file = %to.display(),
        megabytes = format!("{:.1}", bytes as f64 / 1e6),
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        "backup written"
    );
    Ok(())
}

async fn seed() -> Result<(), String> {
    let db = open_database().await?;
    let today = Clock::from_env()?.today();
    match seed_demo(&db, today).await.map_err(|e| format!("seeding failed: {e}"))? {
        SeedOutcome::Seeded { networks, coops, offers, nights, requests } => tracing::info!(
            networks,
            coops,
            offers,
            nights,
            requests,
            "demo network written (accounts and password in the README)"
        ),
        SeedOutcome::AlreadyPopulated => tracing::info!("the database already holds data: demo not written"),
    }
    db.close().await;
    Ok(())
}

async fn serve() -> Result<(), String> {
    let mut conf = leptos::config::get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
    if conf.leptos_options.output_name.is_empty() {
        conf.leptos_options.output_name = "coop-travel".into();
    }
    let clock = Clock::from_env()?;
    let db = open_database().await?;
    let addr = conf.leptos_options.site_addr;
    refuse_public_demo(&db, addr).await?;
    let sessions_db = open_sessions_pool().await?;
    let state = AppState { db: db.clone(), sessions_db, leptos_options: conf.leptos_options, clock };
    let sessions = server::router::prepare_sessions(&state).await?;
    // Expired sessions are deleted every five minutes.
    tokio::spawn(async move {
        use tower_sessions::ExpiredDeletion;
        if let Err(error) = sessions.continuously_delete_expired(std::time::Duration::from_secs(300)).await {
            tracing::error!("deleting expired sessions stopped: {error}");
        }
    });
    spawn_background_work(&db, clock, addr)?;
    let config = server::router::HttpConfig::from_env();
    if !config.secure_cookies {
        tracing::warn!("session cookies are not marked Secure (COOP_TRAVEL_INSECURE_COOKIES): plain-http use only");
    }
    let app = server::router::router(state, &config);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    server::serve::serve(listener, app, shutdown_signal()).await;
    db.close().await;
    Ok(())
}

/// The request workflow's clock (completing and expiring requests, every ten minutes) and the e-mail sender
/// (every `MAIL_INTERVAL_SECONDS`, default thirty). Both are idempotent, so a restart or a second server does no
/// harm, and both are supervised: a panic is logged and the task starts again.
fn spawn_background_work(db: &Db, clock: Clock, addr: std::net::SocketAddr) -> Result<(), String> {
    use app::server::email::{BATCH, MailSettings, Mailer};
    let outbox = std::env::var("OUTBOX_DIR").unwrap_or_else(|_| "data/outbox".to_owned());
    let mailer = Mailer::from_env(outbox.into()).map_err(|e| e.to_string())?;
    let from = std::env::var("MAIL_FROM").unwrap_or_else(|_| "Co-op & Travel <noreply@localhost>".to_owned());
    let settings = MailSettings {
        from: from.parse().map_err(|e| format!("MAIL_FROM {from:?}: {e}"))?,
        base_url: std::env::var("PUBLIC_URL").unwrap_or_else(|_| format!("http://{addr}")),
    };
    let mail_every = match std::env::var("MAIL_INTERVAL_SECONDS") {
        Ok(value) => value
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=3600).contains(n))
            .ok_or_else(|| format!("MAIL_INTERVAL_SECONDS={value:?}: a whole number of seconds from 1 to 3600"))?,
        Err(_) => 30,
    };
    let clock_db = db.clone();
    supervise("request clock", move || {
        let db = clock_db.clone();
        async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                tick.tick().await;
                match app::server::services::stays::run_due(&db, clock.today()).await {
                    Ok(0) => {}
                    Ok(moved) => tracing::info!(moved, "stay requests completed or expired"),
                    Err(error) => tracing::error!("completing and expiring stay requests: {error}"),
                }
            }
        }
    });
    let mail_db = db.clone();
    supervise("e-mail sender", move || {
        let (db, mailer, settings) = (mail_db.clone(), mailer.clone(), settings.clone());
        async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(mail_every));
            loop {
                tick.tick().await;
                // Drain what is due, a batch at a time, before waiting for the next tick.
                loop {
                    match app::server::email::send_pending(&db, &mailer, &settings, BATCH).await {
                        Ok(round) if round == Default::default() => break,
                        Ok(round) => {
                            tracing::info!(
                                sent = round.sent,
                                retrying = round.retrying,
                                failed = round.failed,
                                "e-mail round"
                            );
                        }
                        Err(error) => {
                            tracing::error!("sending notification e-mails: {error}");
                            break;
                        }
                    }
                }
            }
        }
    });
    Ok(())
}

/// Runs the task `make` builds, and builds and runs it again whenever it panics (after a pause, so a task that
/// panics at once does not spin), logging each panic. A task that returns is done.
fn supervise<F, Fut>(name: &'static str, make: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        loop {
            match tokio::spawn(make()).await {
                Ok(()) => return,
                Err(error) if error.is_panic() => {
                    tracing::error!(task = name, "background task panicked; restarting it in 5 seconds: {error}");
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                }
                Err(error) => {
                    tracing::error!(task = name, "background task stopped: {error}");
                    return;
                }
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish and the database closes cleanly.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for url in ["http://localhost:3000", "http://127.0.0.1:3000/", "http://[::1]:3000", "https://app.localhost"] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in
            ["https://travel.example.coop", "http://10.0.0.5:3000", "http://localhost.example.org", "http://0.0.0.0"]
        {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
