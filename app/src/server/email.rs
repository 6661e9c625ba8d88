//! E-mail notifications: the outbox is the `notifications` rows not e-mailed yet. A sender sends them through
//! SMTP (`SMTP_URL`) or, by default, writes them as `.eml` files into a folder (nothing leaves the machine).
//!
//! Delivery is at-least-once: a row is marked after its message is handed over, so a crash in between sends it
//! again on restart, with the same `Message-ID` (`<notification-N@…>`) so mail clients show it once.

use std::path::PathBuf;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::server::store::notifications::{self, OutboxRow};
use crate::server::{Db, ServiceError};

/// Where e-mails go.
#[derive(Clone)]
pub enum Mailer {
    /// `.eml` files in a folder (the default: a co-op's box may have no mail server).
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    /// `SMTP_URL` (e.g. `smtps://user:pass@mail.example:465`) if set, else files in `outbox_dir`.
    pub fn from_env(outbox_dir: PathBuf) -> Result<Mailer, ServiceError> {
        match std::env::var("SMTP_URL") {
            Ok(url) if !url.is_empty() => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
                    .map_err(|e| ServiceError::Internal(format!("SMTP_URL: {e}")))?
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            _ => Mailer::files(outbox_dir),
        }
    }

    pub fn files(dir: PathBuf) -> Result<Mailer, ServiceError> {
        std::fs::create_dir_all(&dir).map_err(|e| ServiceError::Internal(format!("{}: {e}", dir.display())))?;
        Ok(Mailer::Files(AsyncFileTransport::new(&dir), dir))
    }

    async fn send(&self, message: Message) -> Result<(), ServiceError> {
        match self {
            Mailer::Files(transport, _) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
        .map_err(|e| ServiceError::Internal(format!("sending e-mail: {e}")))
    }
}

/// Sender identity and links.
#[derive(Clone)]
pub struct MailSettings {
    pub from: Mailbox,
    /// The site's address, for links in the messages (e.g. `https://travel.coop.example`).
    pub base_url: String,
}

fn message(row: &OutboxRow, settings: &MailSettings) -> Result<Message, ServiceError> {
    let address = row
        .email
        .parse()
        .map_err(|e| ServiceError::Internal(format!("recipient of notification {}: {e}", row.notification_id)))?;
    let to = Mailbox::new(Some(row.display_name.clone()), address);
    let link = row.stay_request_id.map(|id| format!("\n\n{}/stays/{id}", settings.base_url)).unwrap_or_default();
    let domain = settings.from.email.domain().to_owned();
    Message::builder()
        .from(settings.from.clone())
        .to(to)
        .message_id(Some(format!("<notification-{}@{domain}>", row.notification_id)))
        .subject(format!("Co-op & Travel: {}", row.kind))
        .header(ContentType::TEXT_PLAIN)
        .body(format!(
            "{}{link}\n\n-- \nCo-op & Travel. Notification settings: {}/notifications\n",
            row.body, settings.base_url
        ))
        .map_err(|e| ServiceError::Internal(format!("building e-mail: {e}")))
}

/// Sends up to `batch` pending e-mails; returns how many were sent.
pub async fn send_pending(
    db: &Db,
    mailer: &Mailer,
    settings: &MailSettings,
    batch: i64,
) -> Result<usize, ServiceError> {
    let mut tx = db.begin_read().await?;
    let pending = notifications::outbox(&mut tx, batch).await?;
    tx.commit().await?;
    let mut sent = 0;
    for row in pending {
        mailer.send(message(&row, settings)?).await?;
        let mut tx = db.begin_write().await?;
        if notifications::mark_emailed(&mut tx, row.notification_id).await? {
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
