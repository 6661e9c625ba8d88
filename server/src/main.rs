//! `coop-travel`: the Co-op & Travel server.
//!
//! ```text
//! coop-travel [serve]     migrate, then serve the app on LEPTOS_SITE_ADDR (default 127.0.0.1:3000)
//! coop-travel migrate     bring the database schema up to date
//! coop-travel seed-demo   migrate, then write the demo network into an empty database (no-op otherwise)
//! ```
//!
//! The database is `DATABASE_URL` (default `sqlite://data/coop-travel.db`; `postgres://…` for PostgreSQL).

use std::process::ExitCode;

use app::server::seed::{SeedOutcome, seed_demo};
use app::server::{AppState, Db, db::DEFAULT_DATABASE_URL};
use tracing_subscriber::EnvFilter;

const USAGE: &str = "usage: coop-travel [serve | migrate | seed-demo]

  serve       migrate the database, then serve the app (the default)
  migrate     bring the database schema up to date
  seed-demo   write the demo network into an empty database (does nothing if it holds data)

environment:
  DATABASE_URL       sqlite://path/to/file.db (default sqlite://data/coop-travel.db) or postgres://…
  LEPTOS_SITE_ADDR   address to listen on (default 127.0.0.1:3000)
  LEPTOS_SITE_ROOT   folder of the built site (default target/site)
  RUST_LOG           log filter (default info)
  COOP_TRAVEL_INSECURE_COOKIES=1   session cookie without Secure/__Host- (plain http beyond localhost)";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();

    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".to_owned());
    let result = match command.as_str() {
        "serve" => serve().await,
        "migrate" => open_database().await.map(|_| ()),
        "seed-demo" => seed().await,
        "help" | "-h" | "--help" => {
            eprintln!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("unknown command {other:?}\n\n{USAGE}");
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

/// Connects to `DATABASE_URL` and migrates it.
async fn open_database() -> Result<Db, String> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    let db = Db::connect(&url).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate().await.map_err(|e| format!("cannot migrate the database: {e}"))?;
    tracing::info!(backend = ?db.backend(), "database ready");
    Ok(db)
}

async fn seed() -> Result<(), String> {
    let db = open_database().await?;
    let today = chrono::Local::now().date_naive();
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
    let db = open_database().await?;
    let addr = conf.leptos_options.site_addr;
    let state = AppState { db: db.clone(), leptos_options: conf.leptos_options };
    let sessions = server::router::prepare_sessions(&state).await?;
    // Expired sessions are deleted every five minutes.
    tokio::spawn(async move {
        use tower_sessions::ExpiredDeletion;
        if let Err(error) = sessions.continuously_delete_expired(std::time::Duration::from_secs(300)).await {
            tracing::error!("deleting expired sessions stopped: {error}");
        }
    });
    let config = server::router::HttpConfig::from_env();
    if !config.secure_cookies {
        tracing::warn!("session cookies are not marked Secure (COOP_TRAVEL_INSECURE_COOKIES): plain-http use only");
    }
    let app = server::router::router(state, &config);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    db.close().await;
    Ok(())
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
