//! `coop-travel check`: everything `serve` needs, checked without serving — the configuration (parsed by then),
//! the database and its migrations, the site's files, the mail, and that no demo account is on a public
//! address. One line per check; the exit status is 1 when any check failed.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::ServeArgs;

/// How one check came out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Warn,
    Fail,
}

struct Report {
    failed: bool,
}

impl Report {
    fn line(&mut self, outcome: Outcome, what: &str, detail: impl std::fmt::Display) {
        let label = match outcome {
            Outcome::Ok => "ok  ",
            Outcome::Warn => "warn",
            Outcome::Fail => "FAIL",
        };
        self.failed |= outcome == Outcome::Fail;
        let _ = writeln!(std::io::stdout().lock(), "{label}  {what}: {detail}");
    }
}

pub async fn run(args: &ServeArgs) -> ExitCode {
    let mut report = Report { failed: false };
    configuration(&mut report, args);
    database(&mut report, args).await;
    site_files(&mut report, args);
    mail(&mut report, args).await;
    if report.failed {
        let _ = writeln!(std::io::stdout().lock(), "\nSome checks failed: serve would not work as configured.");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn configuration(report: &mut Report, args: &ServeArgs) {
    report.line(Outcome::Ok, "configuration", format!("read; serving on {}", args.addr));
    match &args.public_url {
        Some(url) if url.starts_with("https://") => report.line(Outcome::Ok, "public address", url),
        Some(url) if crate::is_loopback_url(url) => report.line(Outcome::Ok, "public address", url),
        Some(url) => report.line(
            Outcome::Warn,
            "public address",
            format!("{url} is plain http beyond this machine: serve it through a TLS proxy (docs/OPERATIONS.md)"),
        ),
        None if args.addr.ip().is_loopback() => {
            report.line(Outcome::Ok, "public address", format!("none: this machine only (http://{})", args.addr))
        }
        None => report.line(
            Outcome::Warn,
            "public address",
            "PUBLIC_URL is not set, so links in e-mails name the listening address",
        ),
    }
    if args.insecure_cookies && !args.addr.ip().is_loopback() {
        report.line(Outcome::Warn, "cookies", "COOP_TRAVEL_INSECURE_COOKIES on a non-local address");
    }
    if args.trusted_proxies.is_empty() {
        report.line(Outcome::Ok, "proxies", "none trusted: the peer's address is the client's");
    } else {
        let list: Vec<String> = args.trusted_proxies.iter().map(ToString::to_string).collect();
        report.line(Outcome::Ok, "proxies", format!("X-Forwarded-For and -Proto believed from {}", list.join(", ")));
    }
    if args.clock.today.is_some() {
        report.line(Outcome::Warn, "clock", "COOP_TRAVEL_TODAY fixes the calendar day (tests and demos only)");
    }
}

async fn database(report: &mut Report, args: &ServeArgs) {
    let shown = redacted(&args.database.database_url);
    if let Some(path) = sqlite_file(&args.database.database_url)
        && !std::path::Path::new(&path).exists()
    {
        return report.line(
            Outcome::Warn,
            "database",
            format!("{path} does not exist yet: serve or migrate creates it"),
        );
    }
    let limited = crate::cli::DatabaseArgs { database_max_connections: Some(1), ..args.database.clone() };
    let db = match crate::connect(&limited).await {
        Ok(db) => db,
        Err(error) => return report.line(Outcome::Fail, "database", format!("{shown}: {error}")),
    };
    match db.ping().await {
        Ok(()) => report.line(Outcome::Ok, "database", format!("{shown} answers")),
        Err(error) => report.line(Outcome::Fail, "database", format!("{shown}: {error}")),
    }
    match db.pending_migrations().await {
        Ok(pending) if pending.is_empty() => report.line(Outcome::Ok, "migrations", "the schema is current"),
        Ok(pending) => report.line(
            Outcome::Warn,
            "migrations",
            format!("{} to apply, which serve does at start: {}", pending.len(), pending.join(", ")),
        ),
        Err(error) => report.line(Outcome::Fail, "migrations", error),
    }
    let public = args.is_public();
    match app::server::seed::accounts_with_demo_password(&db).await {
        Ok(demo) if demo.is_empty() => report.line(Outcome::Ok, "demo accounts", "none with the public password"),
        Ok(demo) if public => report.line(
            Outcome::Fail,
            "demo accounts",
            format!("{} still have the public demo password on a public address: serve refuses", demo.len()),
        ),
        Ok(demo) => report.line(Outcome::Ok, "demo accounts", format!("{} (this machine only)", demo.len())),
        // Before the first migration there are no accounts to check.
        Err(_) => report.line(Outcome::Ok, "demo accounts", "no accounts yet"),
    }
    db.close().await;
}

fn site_files(report: &mut Report, args: &ServeArgs) {
    let pkg = args.site_root.join("pkg");
    // The pages name the files the hash file beside this binary names (or the plain names without one).
    let hashes = server::assets::hash_file().and_then(|path| std::fs::read_to_string(path).ok());
    let files = server::assets::SiteFiles::named("coop-travel", hashes.as_deref());
    let missing: Vec<String> = files
        .all()
        .iter()
        .map(|name| pkg.join(name))
        .filter(|path| !path.is_file())
        .map(|path| path.display().to_string())
        .collect();
    if missing.is_empty() {
        report.line(Outcome::Ok, "site files", format!("in {}", args.site_root.display()));
    } else {
        report.line(
            Outcome::Fail,
            "site files",
            format!(
                "missing {} (LEPTOS_SITE_ROOT is {}; build them with cargo leptos build --release)",
                missing.join(", "),
                args.site_root.display()
            ),
        );
    }
}

async fn mail(report: &mut Report, args: &ServeArgs) {
    match crate::mailer(&args.mail) {
        Ok(mailer) => match mailer.check().await {
            Ok(detail) => report.line(Outcome::Ok, "mail", detail),
            Err(error) => report.line(Outcome::Fail, "mail", error),
        },
        Err(error) => report.line(Outcome::Fail, "mail", error),
    }
}

/// The file of a SQLite URL (`sqlite://data/x.db?mode=rwc` → `data/x.db`); `None` for PostgreSQL or memory.
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// A database URL without its password.
fn redacted(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}@{host}")
            }
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(super::redacted("postgres://app:s3cret@db:5432/travel"), "postgres://app@db:5432/travel");
        assert_eq!(super::redacted("sqlite://data/coop-travel.db"), "sqlite://data/coop-travel.db");
    }
}
