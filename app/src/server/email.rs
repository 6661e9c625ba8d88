//! E-mail notifications: the outbox is the `notifications` rows not e-mailed yet. A sender sends them through
//! SMTP (`SMTP_URL`) or, by default, writes them as `.eml` files into a folder (nothing leaves the machine).
//!
//! The outbox always drains. A sender claims a few due rows at a time (several instances never take the same row),
//! and every row ends on its own: sent; given back with a later next try (backoff) after a passing failure; or
//! marked failed, with the reason, when it cannot be built, its address is refused for good, or it failed
//! `MAX_ATTEMPTS` times. Nothing one row does — not even a panic while building it — stops the others.
//!
//! Delivery is at-least-once: a row is marked after its message is handed over, so a crash in between sends it
//! again once the claim runs out, with the same `Message-ID` (`<notification-N@…>`) so mail clients show it once.

use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::domain::notice::Topic;
use crate::i18n::Locale;
use crate::server::notices;
use crate::server::store::notifications::{self, OutboxRow};
use crate::server::{Db, ServiceError};

/// Attempts before an e-mail is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a sender holds the rows it claimed. Longer than a batch can take (SMTP waits `SMTP_TIMEOUT` at most
/// per message), so no other instance takes them meanwhile; a crashed sender's rows come back after it.
const CLAIM: Duration = Duration::minutes(15);
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// Rows claimed at once.
pub const BATCH: i64 = 20;

/// Whether `address` is one the mail library will send to: the same parser that builds the `To:` header, so an
/// address accepted at sign-up is never one the sender refuses.
pub fn deliverable(address: &str) -> bool {
    Address::from_str(address).is_ok()
}

/// Why a message was not handed over.
#[derive(Debug)]
enum SendError {
    /// Will not work however often it is tried (a refused recipient, a message that cannot be built).
    Permanent(String),
    /// May work later (the mail server is down, the disk is full).
    Transient(String),
}

/// Where e-mails go.
#[derive(Clone)]
pub enum Mailer {
    /// `.eml` files in a folder (the default: a co-op's box may have no mail server).
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    /// SMTP by URL (`smtp://host:port` for a local relay without TLS, `smtps://…`, `smtp://…?tls=required`).
    pub fn smtp(url: &str) -> Result<Mailer, ServiceError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ServiceError::Internal(format!("SMTP_URL: {e}")))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer::Smtp(transport))
    }

    /// Whether mail can go out: the SMTP server answers (a connection, the greeting, TLS and log-in as configured,
    /// then `NOOP`), or the outbox folder takes a file. Says where the mail goes.
    pub async fn check(&self) -> Result<String, String> {
        match self {
            Mailer::Smtp(transport) => match transport.test_connection().await {
                Ok(true) => Ok("the SMTP server answers".into()),
                Ok(false) => Err("the SMTP server does not answer NOOP".into()),
                Err(error) => Err(format!("the SMTP server cannot be reached: {error}")),
            },
            Mailer::Files(_, dir) => {
                let probe = dir.join(format!(".check-{}", std::process::id()));
                std::fs::write(&probe, b"")
                    .and_then(|()| std::fs::remove_file(&probe))
                    .map(|()| format!("written as .eml files to {} (no SMTP_URL)", dir.display()))
                    .map_err(|e| format!("{} cannot take files: {e}", dir.display()))
            }
        }
    }

    pub fn files(dir: PathBuf) -> Result<Mailer, ServiceError> {
        std::fs::create_dir_all(&dir).map_err(|e| ServiceError::Internal(format!("{}: {e}", dir.display())))?;
        Ok(Mailer::Files(AsyncFileTransport::new(&dir), dir))
    }

    async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Mailer::Files(transport, _) => {
                transport.send(message).await.map(|_| ()).map_err(|e| SendError::Transient(e.to_string()))
            }
            Mailer::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() { SendError::Permanent(e.to_string()) } else { SendError::Transient(e.to_string()) }
            }),
        }
    }
}

/// Sender identity and links.
#[derive(Clone)]
pub struct MailSettings {
    pub from: Mailbox,
    /// The site's address, for links in the messages (e.g. `https://travel.coop.example`).
    pub base_url: String,
}

/// A header-safe display name: one line, no control characters (names are checked at sign-up; older rows and
/// anything that slipped through are cleaned here rather than trusted).
fn header_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned()
}

fn message(row: &OutboxRow, settings: &MailSettings) -> Result<Message, String> {
    let address: Address = row.email.parse().map_err(|e| format!("the address {:?} is refused: {e}", row.email))?;
    let to = Mailbox::new(Some(header_name(&row.display_name)), address);
    let domain = settings.from.email.domain().to_owned();
    let mail = words(row, &settings.base_url)?;
    Message::builder()
        .from(settings.from.clone())
        .to(to)
        .message_id(Some(format!("<notification-{}@{domain}>", row.notification_id)))
        .subject(header_name(&mail.subject))
        .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
        .map_err(|e| format!("the message cannot be built: {e}"))
}

/// What the e-mail says, in its reader's language.
fn words(row: &OutboxRow, site: &str) -> Result<notices::Mail, String> {
    let locale = row.locale.parse::<Locale>().unwrap_or_default();
    match Topic::parse(&row.topic) {
        Ok(Topic::Account) => {
            let subject = row.email_subject.as_deref().ok_or("account mail without a subject")?;
            Ok(notices::account(locale, subject, &row.body.replace("{site}", site), site))
        }
        Ok(Topic::Digest) => {
            let items: Vec<_> = row.notices.iter().map(notices::notice).collect();
            if items.is_empty() {
                return Err("a digest that carries nothing".to_owned());
            }
            Ok(notices::digest(locale, &items, site))
        }
        _ => {
            let item = row.notices.first().ok_or("a notification without its facts")?;
            Ok(notices::single(locale, &notices::notice(item), site))
        }
    }
}

/// Builds a message, turning a panic inside the mail library into a plain error: one bad row must never take the
/// sender down.
fn build(row: &OutboxRow, settings: &MailSettings) -> Result<Message, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| message(row, settings)))
        .unwrap_or_else(|_| Err("building the message panicked".to_owned()))
}

/// When a message that failed `attempts` times is tried again: 1, 2, 4 … minutes, at most 6 hours.
pub fn next_try(attempts: i32, now: DateTime<Utc>) -> DateTime<Utc> {
    let minutes = 2_i64.checked_pow(u32::try_from(attempts.max(1) - 1).unwrap_or(0)).unwrap_or(i64::MAX).min(360);
    now + Duration::minutes(minutes)
}

/// Daily digests go out at this hour of the reader's day with everything that waited for them.
const DIGEST_HOUR: u32 = 7;

/// When a notification made at `at` goes out in its digest: the first digest hour after it in `zone`.
pub fn digest_time(at: DateTime<Utc>, zone: chrono_tz::Tz) -> DateTime<Utc> {
    use chrono::{NaiveTime, TimeZone};
    let hour = NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
    let local = at.with_timezone(&zone).date_naive();
    // The hour on that day, else the next; a day whose 07:00 does not exist (a clock change) has it an hour on.
    (0..=2)
        .filter_map(|days| {
            let day = local.checked_add_days(chrono::Days::new(days))?.and_time(hour);
            zone.from_local_datetime(&day)
                .earliest()
                .or_else(|| zone.from_local_datetime(&(day + Duration::hours(1))).earliest())
        })
        .map(|t| t.with_timezone(&Utc))
        .find(|t| *t > at)
        .unwrap_or(at + Duration::days(1))
}

/// Gathers the notifications whose digest hour has come into one digest e-mail per person; returns how many were
/// made. Two senders at once make one: the second finds the notifications taken.
pub async fn gather_digests(db: &Db, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let mut tx = db.begin_read().await?;
    let waiting = notifications::digests_waiting(&mut tx).await?;
    tx.commit().await?;
    let mut made = 0;
    for (user, oldest, zone) in waiting {
        if digest_time(oldest, crate::server::zones::of_person(zone.as_deref())) > now {
            continue;
        }
        let mut tx = db.begin_write().await?;
        if notifications::make_digest(&mut tx, user).await?.is_some() {
            tx.commit().await?;
            made += 1;
        } else {
            tx.rollback().await?;
        }
    }
    Ok(made)
}

/// What a round of sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Claims up to `batch` due e-mails and sends them, each on its own.
pub async fn send_pending(
    db: &Db,
    mailer: &Mailer,
    settings: &MailSettings,
    batch: i64,
) -> Result<Round, ServiceError> {
    let now = Utc::now();
    gather_digests(db, now).await?;
    let mut tx = db.begin_write().await?;
    let claimed = notifications::claim_outbox(&mut tx, now, now + CLAIM, batch).await?;
    tx.commit().await?;
    let mut round = Round::default();
    for row in claimed {
        let outcome = match build(&row, settings) {
            Ok(message) => mailer.send(message).await,
            Err(reason) => Err(SendError::Permanent(reason)),
        };
        let mut tx = db.begin_write().await?;
        match outcome {
            Ok(()) => {
                if notifications::mark_emailed(&mut tx, row.notification_id).await? {
                    round.sent += 1;
                }
            }
            Err(SendError::Transient(reason)) if row.email_attempts < MAX_ATTEMPTS => {
                tracing::warn!(
                    notification_id = row.notification_id,
                    attempts = row.email_attempts,
                    "e-mail not sent, will retry: {reason}"
                );
                let next = next_try(row.email_attempts, Utc::now());
                notifications::retry_later(&mut tx, row.notification_id, next, &reason).await?;
                round.retrying += 1;
            }
            Err(SendError::Transient(reason) | SendError::Permanent(reason)) => {
                tracing::error!(
                    notification_id = row.notification_id,
                    attempts = row.email_attempts,
                    "e-mail given up: {reason}"
                );
                notifications::mark_failed(&mut tx, row.notification_id, &reason).await?;
                round.failed += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        let now = Utc::now();
        assert_eq!(next_try(1, now) - now, Duration::minutes(1));
        assert_eq!(next_try(2, now) - now, Duration::minutes(2));
        assert_eq!(next_try(4, now) - now, Duration::minutes(8));
        assert_eq!(next_try(40, now) - now, Duration::minutes(360));
    }

    #[test]
    fn a_digest_goes_out_at_the_first_seven_o_clock_after_its_oldest_notification() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let utc = chrono_tz::Tz::UTC;
        assert_eq!(digest_time(at("2027-03-01T06:59:00Z"), utc), at("2027-03-01T07:00:00Z"));
        assert_eq!(digest_time(at("2027-03-01T07:00:00Z"), utc), at("2027-03-02T07:00:00Z"));
        assert_eq!(digest_time(at("2027-03-01T23:30:00Z"), utc), at("2027-03-02T07:00:00Z"));
        // 07:00 in Buenos Aires (UTC-3) is 10:00 UTC.
        let buenos_aires = chrono_tz::Tz::America__Argentina__Buenos_Aires;
        assert_eq!(digest_time(at("2027-03-01T23:30:00Z"), buenos_aires), at("2027-03-02T10:00:00Z"));
    }

    #[test]
    fn a_display_name_with_line_breaks_cannot_reach_a_header() {
        assert_eq!(header_name("Ana\r\nBcc: x@evil.example"), "AnaBcc: x@evil.example");
    }

    #[test]
    fn the_sign_up_check_and_the_sender_agree_on_addresses() {
        assert!(deliverable("ana@coop.example"));
        assert!(!deliverable("bad(123@example.org"));
    }
}
