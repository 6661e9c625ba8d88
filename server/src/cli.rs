//! The command line and the configuration: every option is a flag and an environment variable (a `.env` file in
//! the working folder is read first, and never overrides what the environment already says), every subcommand
//! has `--help`, and a bad value stops start-up with a message that names the variable and what it accepts.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use app::server::Clock;
use app::server::db::DEFAULT_DATABASE_URL;
use chrono::NaiveDate;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use lettre::message::Mailbox;
use server::proxy::TrustedProxies;
use server::router::{DEFAULT_AUTH_BURST, HttpConfig};

use crate::{bench, load};

/// The Co-op & Travel server. Without a subcommand it serves.
#[derive(Debug, Parser)]
#[command(name = "coop-travel", version, about, max_term_width = 110)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How log lines are written: text for people, json for a log collector (one object per line).
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the site (the default).
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date, then stop.
    Migrate(DatabaseArgs),
    /// Migrate, then write the demo network into an empty database (does nothing if it holds data).
    SeedDemo(SeedArgs),
    /// Site administrators.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// A consistent copy of the SQLite database, taken while the server runs (PostgreSQL: use pg_dump).
    Backup(BackupArgs),
    /// Check the configuration, the database, the site files and the mail server, without serving.
    Check(Box<ServeArgs>),
    /// Generate synthetic networks and benchmark search.
    Bench(bench::Options),
    /// Mixed traffic against a running server.
    Load(load::Options),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a site administrator. The password is read from standard input: typed twice without echo on a
    /// terminal, else the first line (e.g. `coop-travel admin create … < password-file`).
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The administrator's e-mail address (the log-in).
        #[arg(long)]
        email: String,
        /// The name shown to others.
        #[arg(long)]
        name: String,
    },
    /// Make an existing account a site administrator.
    Promote {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// The database: sqlite://path/to/file.db, or postgres://user:password@host/name (TLS with
    /// ?sslmode=require, or verify-full&sslrootcert=/path/ca.pem).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_parser = parse_database_url)]
    pub database_url: String,
    /// Connections in the pool (default 8), besides 4 for sessions. Several instances on one PostgreSQL
    /// share its max_connections (100 by default): see docs/OPERATIONS.md.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_max_connections: Option<u32>,
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub clock: ClockArgs,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The file to write; it must not exist (nothing is overwritten). Its folder is created.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ClockArgs {
    /// Tests and demos only: fix the server's calendar day (YYYY-MM-DD; logged as a warning).
    #[arg(long, env = "COOP_TRAVEL_TODAY", value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

impl ClockArgs {
    pub fn clock(&self) -> Clock {
        match self.today {
            Some(day) => {
                tracing::warn!(
                    "COOP_TRAVEL_TODAY={day}: the server's calendar day is fixed (tests and demos only; unset it in \
                     production)"
                );
                Clock::Fixed(day)
            }
            None => Clock::System,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The folder of the built site (pkg/ with the script, the WebAssembly and the style sheet).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// The site's public address, e.g. https://travel.example.coop: links in e-mails, the origin that writes
    /// must come from, and HSTS when https.
    #[arg(long, env = "PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
    /// Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or CIDR ranges,
    /// comma-separated (e.g. 127.0.0.1,::1). From anyone else those headers are ignored.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', value_parser = TrustedProxies::parse_entry)]
    pub trusted_proxies: Vec<IpNet>,
    /// Session cookie without Secure and the __Host- prefix: plain http beyond localhost, never in production.
    #[arg(long, env = "COOP_TRAVEL_INSECURE_COOKIES", value_parser = parse_switch,
          action = ArgAction::Set, num_args = 0..=1, default_value = "false", default_missing_value = "true")]
    pub insecure_cookies: bool,
    /// Log-in and sign-up attempts per client address in a burst (then one every 6 seconds).
    #[arg(long, env = "COOP_TRAVEL_AUTH_BURST", default_value_t = DEFAULT_AUTH_BURST,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub auth_burst: u32,
    /// Stay requests, and first messages in a thread, that a new account may send a day.
    #[arg(long, env = "NEW_ACCOUNT_DAILY_LIMIT", default_value_t = 5,
          value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub new_account_daily_limit: i64,
    /// How many days an account counts as new (daily limit, no links in first messages); 0: none does.
    #[arg(long, env = "NEW_ACCOUNT_DAYS", default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=365))]
    pub new_account_days: i64,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub clock: ClockArgs,
}

impl ServeArgs {
    pub fn limits(&self) -> app::server::services::safety::Limits {
        app::server::services::safety::Limits {
            per_day: self.new_account_daily_limit,
            new_for_days: self.new_account_days,
        }
    }

    pub fn http_config(&self) -> HttpConfig {
        HttpConfig {
            secure_cookies: !self.insecure_cookies,
            auth_burst: self.auth_burst,
            public_url: self.public_url.clone(),
            trusted_proxies: TrustedProxies::new(self.trusted_proxies.clone()),
        }
    }

    /// Whether the site is reachable beyond this machine: `PUBLIC_URL`, else the listening address, is not
    /// loopback.
    pub fn is_public(&self) -> bool {
        match &self.public_url {
            Some(url) => !crate::is_loopback_url(url),
            None => !self.addr.ip().is_loopback(),
        }
    }

    /// Links in e-mails start with this.
    pub fn base_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.addr))
    }
}

#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// Send e-mail through SMTP: smtps://user:password@host:465, or smtp://host:587?tls=required. Without it,
    /// e-mails are written as .eml files to OUTBOX_DIR.
    #[arg(long, env = "SMTP_URL", value_parser = parse_smtp_url)]
    pub smtp_url: Option<String>,
    /// The folder for e-mails when there is no SMTP_URL.
    #[arg(long, env = "OUTBOX_DIR", default_value = "data/outbox")]
    pub outbox_dir: PathBuf,
    /// The sender of notification e-mails, e.g. "Co-op & Travel <noreply@travel.example.coop>".
    #[arg(long, env = "MAIL_FROM", default_value = "Co-op & Travel <noreply@localhost>", value_parser = parse_mailbox)]
    pub mail_from: Mailbox,
    /// How often the e-mail sender looks for due mail, in seconds.
    #[arg(long, env = "MAIL_INTERVAL_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub mail_interval_seconds: u64,
}

/// On or off: true/false, 1/0, yes/no, on/off.
fn parse_switch(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err("true or false (or 1/0, yes/no, on/off)".into()),
    }
}

fn parse_database_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.starts_with("sqlite:") || text.starts_with("postgres://") || text.starts_with("postgresql://") {
        Ok(text.to_owned())
    } else {
        Err("a URL that starts with sqlite: (sqlite://data/coop-travel.db) or postgres://".into())
    }
}

fn parse_public_url(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    let host = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Ok(text.to_owned()),
        _ => Err("the site's address without a path, e.g. https://travel.example.coop".into()),
    }
}

fn parse_smtp_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.starts_with("smtp://") || text.starts_with("smtps://") {
        Ok(text.to_owned())
    } else {
        Err("a URL that starts with smtps:// (TLS, port 465) or smtp:// (add ?tls=required for STARTTLS)".into())
    }
}

fn parse_mailbox(text: &str) -> Result<Mailbox, String> {
    text.trim().parse::<Mailbox>().map_err(|e| format!("{e}: an address, or a name and an address in <…>"))
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| "a day as YYYY-MM-DD".into())
}

/// Reads `.env`, then the command line (no subcommand means `serve`). On a bad value, prints what is wrong and
/// exits with status 2; on `--help` or `--version`, prints it and exits with 0.
pub fn parse() -> Cli {
    // Only the working folder's `.env`, never one found further up.
    if let Err(error) = dotenvy::from_path(".env")
        && !error.not_found()
    {
        eprintln!("error: .env: {error}");
        std::process::exit(2);
    }
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.len() == 1 {
        args.push("serve".into());
    }
    match parse_from(&args) {
        Ok(cli) => cli,
        Err(Refusal::Clap(error)) => error.exit(),
        Err(Refusal::Variable(message)) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    }
}

/// Why the command line was not accepted.
pub enum Refusal {
    /// Clap's own message (also `--help` and `--version`).
    Clap(clap::Error),
    /// A bad value that came from an environment variable, explained by its name.
    Variable(String),
}

pub fn parse_from(args: &[OsString]) -> Result<Cli, Refusal> {
    let mut command = Cli::command();
    let matches = command.try_get_matches_from_mut(args).map_err(|error| explain(&command, args, error))?;
    Cli::from_arg_matches(&matches).map_err(|error| Refusal::Clap(error.with_cmd(&command)))
}

/// Clap names the flag of a bad value (`--auth-burst <AUTH_BURST>`), not the environment variable it came from,
/// which is where a value set in a service's environment file is. When the flag is not on the command line and
/// its variable is set, the message names the variable, its value, why it was refused and what the option is.
fn explain(command: &clap::Command, args: &[OsString], error: clap::Error) -> Refusal {
    if !matches!(error.kind(), ErrorKind::InvalidValue | ErrorKind::ValueValidation) {
        return Refusal::Clap(error);
    }
    let Some(ContextValue::String(invalid)) = error.get(ContextKind::InvalidArg) else {
        return Refusal::Clap(error);
    };
    let long = invalid.split([' ', '=']).next().unwrap_or_default().trim_start_matches('-').to_owned();
    let on_command_line = args
        .iter()
        .filter_map(|a| a.to_str())
        .any(|a| a == format!("--{long}") || a.starts_with(&format!("--{long}=")));
    let found = find_arg(command, &long);
    let (Some(arg), false) = (found, on_command_line) else {
        return Refusal::Clap(error);
    };
    let Some(variable) = arg.get_env().and_then(|v| v.to_str()).map(str::to_owned) else {
        return Refusal::Clap(error);
    };
    let Some(value) = std::env::var_os(&variable) else {
        return Refusal::Clap(error);
    };
    let reason = match std::error::Error::source(&error) {
        Some(source) => source.to_string(),
        None => match error.get(ContextKind::ValidValue) {
            Some(ContextValue::Strings(valid)) => format!("it must be one of {}", valid.join(", ")),
            _ => "it is not a valid value".to_owned(),
        },
    };
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    Refusal::Variable(format!(
        "{variable}={:?} is not accepted: {reason}.\n  {variable} (or --{long}): {help}",
        value.to_string_lossy()
    ))
}

/// The argument with this long name, in the command or any subcommand.
fn find_arg<'a>(command: &'a clap::Command, long: &str) -> Option<&'a clap::Arg> {
    command
        .get_arguments()
        .find(|arg| arg.get_long() == Some(long))
        .or_else(|| command.get_subcommands().find_map(|sub| find_arg(sub, long)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_help() {
        for sub in ["serve", "migrate", "seed-demo", "backup", "check", "bench", "load"] {
            match parse_from(&args(&["coop-travel", sub, "--help"])) {
                Err(Refusal::Clap(error)) => assert_eq!(error.kind(), ErrorKind::DisplayHelp, "{sub}"),
                _ => panic!("{sub} --help did not print help"),
            }
        }
        for sub in ["create", "promote"] {
            assert!(matches!(
                parse_from(&args(&["coop-travel", "admin", sub, "--help"])),
                Err(Refusal::Clap(e)) if e.kind() == ErrorKind::DisplayHelp
            ));
        }
    }

    #[test]
    fn flags_set_what_the_variables_would() {
        let Ok(cli) = parse_from(&args(&[
            "coop-travel",
            "serve",
            "--trusted-proxies",
            "127.0.0.1,10.0.0.0/8",
            "--auth-burst",
            "3",
            "--insecure-cookies",
            "--public-url",
            "https://travel.example.coop/",
        ])) else {
            panic!("refused")
        };
        let Command::Serve(serve) = cli.command else { panic!("not serve") };
        assert_eq!(serve.trusted_proxies.len(), 2);
        assert_eq!(serve.auth_burst, 3);
        assert!(serve.insecure_cookies);
        assert_eq!(serve.public_url.as_deref(), Some("https://travel.example.coop"));
    }

    #[test]
    fn bad_flag_values_are_refused() {
        for bad in [
            ["--auth-burst", "abc"],
            ["--auth-burst", "0"],
            ["--trusted-proxies", "proxy.local"],
            ["--public-url", "travel.example.coop"],
            ["--mail-from", "not an address"],
            ["--database-url", "mysql://x"],
        ] {
            let mut list = vec!["coop-travel", "serve"];
            list.extend(bad);
            assert!(parse_from(&args(&list)).is_err(), "{bad:?} was accepted");
        }
    }
}
