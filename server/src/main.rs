//! `coop-travel`: the Co-op & Travel server. `coop-travel --help` lists the subcommands, and `coop-travel
//! <subcommand> --help` each one's options with their environment variables (cli.rs).

mod bench;
mod check;
mod cli;
mod http1;
mod load;

use std::process::ExitCode;

use app::server::seed::{SeedOutcome, seed_demo};
use app::server::{AppState, Db};
use cli::{AdminCommand, Command, DatabaseArgs, LogFormat, ServeArgs};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's allocator: a page or an API answer makes many short-lived allocations, which
/// glibc's arenas served with a fifth of the server's CPU under load (docs/BENCHMARKS.md), and glibc kept the
/// password hashes' memory long after use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::parse();
    // The benchmark's bulk INSERTs are slow statements by design: sqlx would log each one, SQL text and all.
    let default_filter = if matches!(cli.command, Command::Bench(_)) { "info,sqlx=error" } else { "info,sqlx=warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt().json().with_current_span(true).with_env_filter(filter).init(),
    }

    let result = match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Migrate(database) => match open_database(&database).await {
            Ok(db) => {
                db.close().await;
                Ok(())
            }
            Err(error) => Err(error),
        },
        Command::SeedDemo(args) => seed(&args).await,
        Command::Admin { action } => admin(action).await,
        Command::Backup(args) => backup(&args).await,
        Command::Check(args) => return check::run(&args).await,
        Command::Bench(options) => bench::run(options).await,
        Command::Load(options) => load::run(options).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// Connects to the database without migrating it.
async fn connect(database: &DatabaseArgs) -> Result<Db, String> {
    Db::connect_with(&database.database_url, database.database_max_connections)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

/// Connects to the database and migrates it.
async fn open_database(database: &DatabaseArgs) -> Result<Db, String> {
    let db = connect(database).await?;
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
async fn refuse_public_demo(db: &Db, args: &ServeArgs) -> Result<(), String> {
    if !args.is_public() {
        return Ok(());
    }
    let demo = app::server::seed::accounts_with_demo_password(db)
        .await
        .map_err(|e| format!("cannot check for demo accounts: {e}"))?;
    if demo.is_empty() {
        return Ok(());
    }
    Err(format!(
        "refusing to serve on {}: {} demo account(s) ({}{}) still have the demo password, which is public. For a \
         real network start from an empty database (a new DATABASE_URL; `coop-travel migrate` creates it), or give \
         those accounts new passwords. To try the demo, serve it on this machine only (PUBLIC_URL unset and \
         LEPTOS_SITE_ADDR=127.0.0.1:3000, as ./scripts/run does).",
        args.base_url(),
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
async fn open_sessions_pool(database: &DatabaseArgs) -> Result<Db, String> {
    connect(&DatabaseArgs { database_max_connections: Some(SESSIONS_POOL_CONNECTIONS), ..database.clone() }).await
}

/// Connections of the sessions pool, besides `DATABASE_MAX_CONNECTIONS`.
const SESSIONS_POOL_CONNECTIONS: u32 = 4;

/// `backup --to FILE`.
async fn backup(args: &cli::BackupArgs) -> Result<(), String> {
    if !args.database.database_url.starts_with("sqlite:") {
        return Err("backup copies SQLite databases; back PostgreSQL up with pg_dump (docs/OPERATIONS.md)".into());
    }
    // The server may be running: no migration here, one connection is enough.
    let db = connect(&DatabaseArgs { database_max_connections: Some(1), ..args.database.clone() }).await?;
    let started = std::time::Instant::now();
    db.backup_sqlite(&args.to).await.map_err(|e| format!("backup failed: {e}"))?;
    db.close().await;
    let bytes = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    tracing::info!(
        file = %args.to.display(),
        megabytes = format!("{:.1}", bytes as f64 / 1e6),
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        "backup written"
    );
    Ok(())
}

async fn seed(args: &cli::SeedArgs) -> Result<(), String> {
    let db = open_database(&args.database).await?;
    let today = args.clock.clock().today();
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

/// `admin create` and `admin promote`.
async fn admin(action: AdminCommand) -> Result<(), String> {
    use app::server::services::accounts;
    match action {
        AdminCommand::Create { database, email, name } => {
            let password = read_new_password()?;
            let db = open_database(&database).await?;
            let created = accounts::create_admin(&db, &email, &name, &password).await;
            db.close().await;
            created.map_err(|e| format!("no administrator created: {e}"))?;
            tracing::info!("administrator {email} created: log in at /login");
        }
        AdminCommand::Promote { database, email } => {
            let db = open_database(&database).await?;
            let promoted = accounts::promote_admin(&db, &email).await;
            db.close().await;
            match promoted.map_err(|e| format!("no administrator made: {e}"))? {
                accounts::Promotion::Promoted(_) => tracing::info!("{email} is now a site administrator"),
                accounts::Promotion::AlreadyAdmin(_) => tracing::info!("{email} was a site administrator already"),
            }
        }
    }
    Ok(())
}

/// The new administrator's password from standard input: typed twice without echo on a terminal, else the
/// first line (the rest is ignored), so it never appears in the shell history or the process list.
fn read_new_password() -> Result<String, String> {
    use std::io::{BufRead as _, IsTerminal as _};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password for the new administrator: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("The same password again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ: nothing was created".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("reading the password: {e}"))?;
        let password = line.trim_end_matches(['\n', '\r']).to_owned();
        if password.is_empty() {
            return Err("no password on standard input (pipe it in, or run the command on a terminal)".into());
        }
        Ok(password)
    }
}

/// Leptos's options: what cargo-leptos and the `LEPTOS_*` variables say (the output name, hashed file names…), with
/// the site's folder and address from our own options.
fn leptos_options(args: &ServeArgs) -> Result<leptos::config::LeptosOptions, String> {
    let mut options =
        leptos::config::get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?.leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "coop-travel".into();
    }
    options.site_root = args.site_root.to_string_lossy().into_owned().into();
    options.site_addr = args.addr;
    // Hashed file names exactly when the build wrote their hashes beside this binary (leptos reads them there).
    options.hash_files = server::assets::hash_file().is_some();
    Ok(options)
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let clock = args.clock.clock();
    let db = open_database(&args.database).await?;
    refuse_public_demo(&db, &args).await?;
    let sessions_db = open_sessions_pool(&args.database).await?;
    let public_url = args.base_url();
    let limits = args.limits();
    let state =
        AppState { db: db.clone(), sessions_db, leptos_options: leptos_options(&args)?, clock, public_url, limits };
    let sessions = server::router::prepare_sessions(&state).await?;
    // Expired sessions are deleted every five minutes.
    tokio::spawn(async move {
        use tower_sessions::ExpiredDeletion;
        if let Err(error) = sessions.continuously_delete_expired(std::time::Duration::from_secs(300)).await {
            tracing::error!("deleting expired sessions stopped: {error}");
        }
    });
    spawn_background_work(&db, clock, &args)?;
    let config = args.http_config();
    if !config.secure_cookies {
        tracing::warn!("session cookies are not marked Secure (COOP_TRAVEL_INSECURE_COOKIES): plain-http use only");
    }
    if !config.trusted_proxies.is_empty() {
        tracing::info!(proxies = ?args.trusted_proxies, "forwarding headers believed from these proxies only");
    }
    let app = server::router::router(state, &config);
    let addr = args.addr;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    tracing::info!("listening on http://{bound}");
    server::serve::serve(listener, app, shutdown_signal()).await;
    db.close().await;
    Ok(())
}

/// The mail transport the settings ask for.
fn mailer(mail: &cli::MailArgs) -> Result<app::server::email::Mailer, String> {
    use app::server::email::Mailer;
    match &mail.smtp_url {
        Some(url) => Mailer::smtp(url),
        None => Mailer::files(mail.outbox_dir.clone()),
    }
    .map_err(|e| e.to_string())
}

/// The request workflow's clock (completing and expiring requests, every ten minutes) and the e-mail sender
/// (every `MAIL_INTERVAL_SECONDS`, default thirty). Both claim their rows in the database, so several instances
/// on one PostgreSQL do each piece of work once, and both are supervised: a panic is logged and the task starts
/// again.
fn spawn_background_work(db: &Db, clock: app::server::Clock, args: &ServeArgs) -> Result<(), String> {
    use app::server::email::{BATCH, MailSettings};
    let mailer = mailer(&args.mail)?;
    let settings = MailSettings { from: args.mail.mail_from.clone(), base_url: args.base_url() };
    let mail_every = args.mail.mail_interval_seconds;
    let clock_db = db.clone();
    supervise("request clock", move || {
        let db = clock_db.clone();
        async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                tick.tick().await;
                match app::server::services::stays::run_due(&db, clock.now()).await {
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
