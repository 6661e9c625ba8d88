//! Safety: blocks between people, reports and their moderation (dismiss, hide, warn, suspend), the limits of new
//! accounts, and the admin's audit trail.
//!
//! A block keeps two people apart in the queries that matter: a stay request to a co-op one of whose host admins is
//! on the other side, a message in a thread where the other is a party, a profile page, a search hit.

use chrono::{DateTime, Duration, Utc};

use crate::domain::account::bounded_text;
use crate::domain::notice::{Audience, Topic, kind};
use crate::domain::{CoopId, NetworkId, OfferId, ReportId, StayMessageId, UserId};
use crate::error::Refusal;
use crate::server::authz::{self, Actor};
use crate::server::services::accounts::secret_token;
use crate::server::store::audit::{self, Subject as AuditSubject};
use crate::server::store::notifications::{self, NewNotice};
use crate::server::store::safety::{self, NewReport, ReportRow, Subject};
use crate::server::store::{coops, networks, offers, stays, trust, users};
use crate::server::{Db, ServiceError, Tx};
use crate::views::safety::{
    ACTIONS, AuditLine, AuditPage, BlockedPerson, Decision, Handled, ModerationQueue, REASONS, ReportTarget,
    ReportView, SUBJECT_KINDS,
};

/// How many handled reports the queue shows below the open ones.
const HANDLED_SHOWN: i64 = 30;
/// The audit page's lines; the CSV has every matching line.
const AUDIT_SHOWN: i64 = 200;
/// A suspension's longest time in days (longer: for good).
const MAX_SUSPENSION_DAYS: i64 = 3650;

/// The limits of new accounts: during their first `new_for_days` days, at most `per_day` stay requests and as many
/// first messages in a thread a (UTC) day, and no web address in either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_day: i64,
    /// 0: no account counts as new.
    pub new_for_days: i64,
}

impl Limits {
    /// What an instance starts with.
    pub const DEFAULT: Limits = Limits { per_day: 5, new_for_days: 30 };
    /// No limits (tests of other things, and instances that choose so).
    pub const OFF: Limits = Limits { per_day: 0, new_for_days: 0 };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a new account sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    StayRequest,
    FirstMessage,
}

impl Sent {
    fn as_str(self) -> &'static str {
        match self {
            Sent::StayRequest => "stay_request",
            Sent::FirstMessage => "first_message",
        }
    }
}

/// Counts a new account's request or first message in the caller's transaction (so a refused or rolled-back one
/// never counts), refusing one past the day's limit or one that holds a link. Accounts past their first days pass.
pub async fn count_new_account(
    tx: &mut Tx,
    user: UserId,
    sent: Sent,
    text: &str,
    limits: Limits,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if limits.new_for_days <= 0 {
        return Ok(());
    }
    let Some(created) = safety::account_created(tx, user).await? else { return Err(ServiceError::NotFound) };
    if now - created >= Duration::days(limits.new_for_days) {
        return Ok(());
    }
    let days = limits.new_for_days;
    if crate::domain::safety::contains_link(text) {
        return Err(ServiceError::Invalid(Refusal::NewAccountLink { days }));
    }
    if !safety::count_one(tx, user, now.date_naive(), sent.as_str(), limits.per_day).await? {
        tracing::warn!(user_id = %user, kind = sent.as_str(), "a new account reached its daily limit");
        return Err(ServiceError::RateLimited(Refusal::NewAccountLimit { per_day: limits.per_day, days }));
    }
    Ok(())
}

/// Refuses when a block stands between `user` and any of `others`.
pub async fn require_not_apart(tx: &mut Tx, user: UserId, others: &[UserId]) -> Result<(), ServiceError> {
    if safety::apart_from_any(tx, user, others).await? { Err(ServiceError::Conflict(Refusal::Blocked)) } else { Ok(()) }
}

/// The co-ops whose offers `user` neither finds nor asks for (a block with one of their host admins).
pub async fn coops_apart_from(db: &Db, user: UserId) -> Result<Vec<CoopId>, ServiceError> {
    let mut tx = db.reader().await?;
    let coops = safety::coops_apart_from(&mut tx, user).await?;
    tx.commit().await?;
    Ok(coops)
}

// Blocks.

/// The caller blocks `other`. They stop seeing each other at once; nobody is told.
pub async fn block(db: &Db, actor: &Actor, other: UserId) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    if other == user.id {
        return Err(ServiceError::Invalid(Refusal::BlockSelf));
    }
    let mut tx = db.begin_write().await?;
    let person = trust::profile(&mut tx, other).await?.ok_or(ServiceError::NotFound)?;
    if person.deleted {
        return Err(ServiceError::NotFound);
    }
    safety::block(&mut tx, user.id, other).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "blocked someone");
    Ok(())
}

pub async fn unblock(db: &Db, actor: &Actor, other: UserId) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_write().await?;
    safety::unblock(&mut tx, user.id, other).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn my_blocks(db: &Db, actor: &Actor) -> Result<Vec<BlockedPerson>, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.reader().await?;
    let rows = safety::blocked_by(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(|r| BlockedPerson { id: r.user_id, name: r.display_name, since: r.created_at }).collect())
}

// Reports.

/// What a report names, found and checked: the reporter may see it.
struct Found {
    kind: &'static str,
    subject: Subject,
    label: String,
    back: String,
    networks: Vec<NetworkId>,
}

fn kind_of(raw: &str) -> Result<&'static str, ServiceError> {
    SUBJECT_KINDS.iter().copied().find(|k| *k == raw).ok_or_else(|| {
        ServiceError::Invalid(Refusal::UnknownValue { field: "kind".into(), value: raw.chars().take(40).collect() })
    })
}

fn number(raw: &str) -> Result<i64, ServiceError> {
    raw.trim().parse().map_err(|_| ServiceError::NotFound)
}

/// Finds what `kind` and `target` name, if `user` may see it: a profile they may open, a published offer (or one
/// of their own co-op), a co-op, a message in a thread they are part of.
async fn find_subject(
    tx: &mut Tx,
    user: &crate::server::auth::SessionUser,
    kind: &str,
    target: &str,
) -> Result<Found, ServiceError> {
    let kind = kind_of(kind)?;
    match kind {
        "person" => {
            let id = UserId(number(target)?);
            let person = trust::profile(tx, id).await?.ok_or(ServiceError::NotFound)?;
            let visible = id != user.id && (user.is_admin || trust::shares_network(tx, id, user.id).await?);
            if person.deleted || !visible {
                return Err(ServiceError::NotFound);
            }
            Ok(Found {
                kind,
                subject: Subject { person: Some(id), about: Some(id), ..Default::default() },
                label: person.display_name,
                back: format!("/people/{id}"),
                networks: safety::networks_of_person(tx, id).await?,
            })
        }
        "offer" => {
            let id = OfferId(number(target)?);
            let offer = offers::find(tx, id).await?.ok_or(ServiceError::NotFound)?;
            if offer.status != "published" && !authz::hosts(tx, user, offer.coop_id).await? && !user.is_admin {
                return Err(ServiceError::NotFound);
            }
            Ok(Found {
                kind,
                subject: Subject { offer: Some(id), ..Default::default() },
                label: offer.title,
                back: format!("/offers/{id}"),
                networks: safety::networks_of_coop(tx, offer.coop_id).await?,
            })
        }
        "coop" => {
            let coop = coops::find_by_slug(tx, target.trim()).await?.ok_or(ServiceError::NotFound)?;
            Ok(Found {
                kind,
                subject: Subject { coop: Some(coop.coop_id), ..Default::default() },
                label: coop.name,
                back: format!("/coops/{}", coop.slug),
                networks: safety::networks_of_coop(tx, coop.coop_id).await?,
            })
        }
        _ => {
            let id = StayMessageId(number(target)?);
            let facts = safety::message_facts(tx, id).await?.ok_or(ServiceError::NotFound)?;
            let row = stays::find(tx, facts.stay_request_id).await?.ok_or(ServiceError::NotFound)?;
            let party = row.traveller_id == user.id
                || authz::hosts(tx, user, row.host_coop_id).await?
                || authz::coordinates(tx, user, row.network_id).await?;
            if !party || facts.author_id == Some(user.id) {
                return Err(ServiceError::NotFound);
            }
            let body = stays::message_body(tx, id).await?.unwrap_or_default();
            Ok(Found {
                kind,
                subject: Subject { message: Some(id), about: facts.author_id, ..Default::default() },
                label: body.chars().take(80).collect(),
                back: format!("/stays/{}", facts.stay_request_id),
                networks: vec![facts.network_id],
            })
        }
    }
}

/// What the report page shows about its subject.
pub async fn report_target(db: &Db, actor: &Actor, kind: &str, target: &str) -> Result<ReportTarget, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let found = find_subject(&mut tx, user, kind, target).await?;
    tx.commit().await?;
    Ok(ReportTarget {
        kind: found.kind.to_owned(),
        target: target.trim().to_owned(),
        label: found.label,
        back: found.back,
    })
}

/// A member reports something. The coordinators of the networks concerned and the admins are told; the reporter's
/// name is shown to them only in the queue.
pub async fn report(
    db: &Db,
    actor: &Actor,
    kind: &str,
    target: &str,
    reason: &str,
    note: &str,
) -> Result<ReportId, ServiceError> {
    let user = actor.require_user()?;
    let reason = REASONS.iter().copied().find(|r| *r == reason).ok_or_else(|| {
        ServiceError::Invalid(Refusal::UnknownValue {
            field: "reason".into(),
            value: reason.chars().take(40).collect(),
        })
    })?;
    let note = bounded_text(note, "note", 0, 2000)?;
    let mut tx = db.begin_write().await?;
    let found = find_subject(&mut tx, user, kind, target).await?;
    // Reporting the same thing again while it waits changes nothing (and tells nobody twice).
    if let Some(open) = safety::open_report_of(&mut tx, user.id, found.kind, found.subject).await? {
        return Ok(open);
    }
    let id = safety::insert_report(
        &mut tx,
        &NewReport { reporter: user.id, kind: found.kind, subject: found.subject, reason, note: &note },
    )
    .await?;
    let mut moderators = users::admin_ids(&mut tx).await?;
    for network in &found.networks {
        safety::add_report_network(&mut tx, id, *network).await?;
        moderators.extend(networks::coordinator_ids(&mut tx, *network).await?);
    }
    moderators.sort();
    moderators.dedup();
    // Nobody moderates a report about themselves; the reporter already knows.
    moderators.retain(|m| *m != user.id && Some(*m) != found.subject.about);
    let readers: Vec<_> = moderators.into_iter().map(|m| (m, Audience::Coordinator)).collect();
    let notice = NewNotice {
        kind: kind::REPORT_FILED,
        topic: Topic::Network,
        request: None,
        event: None,
        message: None,
        network: found.networks.first().copied(),
        coop: None,
        actor: None,
        body: "",
    };
    notifications::notify(&mut tx, &readers, &notice).await?;
    tx.commit().await?;
    tracing::info!(report_id = %id, kind = found.kind, reason, "report made");
    Ok(id)
}

/// Whether `user` moderates a report of `networks`: an admin, or a coordinator of one of them.
async fn moderates(
    tx: &mut Tx,
    user: &crate::server::auth::SessionUser,
    networks: &[NetworkId],
) -> Result<bool, ServiceError> {
    if user.is_admin {
        return Ok(true);
    }
    for network in networks {
        if authz::coordinates(tx, user, *network).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn view(row: ReportRow) -> ReportView {
    let (label, link, content) = match row.subject_kind.as_str() {
        "person" => (
            row.person_name.clone().unwrap_or_default(),
            row.person_id.map(|p| format!("/people/{p}")),
            row.person_bio.clone().unwrap_or_default(),
        ),
        "offer" => (
            row.offer_title.clone().unwrap_or_default(),
            row.offer_id.map(|o| format!("/offers/{o}")),
            row.offer_description.clone().unwrap_or_default(),
        ),
        "coop" => (
            row.coop_name.clone().unwrap_or_default(),
            row.coop_slug.as_ref().map(|s| format!("/coops/{s}")),
            row.coop_description.clone().unwrap_or_default(),
        ),
        _ => (
            row.about_name.clone().unwrap_or_default(),
            row.message_stay.map(|s| format!("/stays/{s}")),
            row.message_body.clone().unwrap_or_default(),
        ),
    };
    let handled = row.handled_at.map(|at| Handled {
        at,
        by: row.handled_by.clone().unwrap_or_default(),
        outcome: row.outcome.clone().unwrap_or_default(),
        note: row.outcome_note.clone(),
    });
    ReportView {
        id: row.report_id,
        hideable: row.subject_kind != "photo",
        kind: row.subject_kind,
        reason: row.reason,
        note: row.note,
        at: row.created_at,
        reporter: row.reporter.unwrap_or_default(),
        label,
        link,
        content,
        about: row.about_id.map(|id| (id, row.about_name.unwrap_or_default())),
        about_suspended: row.about_suspended,
        about_reports: row.about_reports,
        hidden: row.hidden,
        handled,
        stay: row.message_stay,
    }
}

/// The moderation queue of the caller: every report for an admin, those of the networks they coordinate for a
/// coordinator; `Forbidden` for anyone else.
pub async fn queue(db: &Db, actor: &Actor, now: DateTime<Utc>) -> Result<ModerationQueue, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    if !user.is_admin && !safety::coordinates_any(&mut tx, user.id).await? {
        return Err(ServiceError::Forbidden);
    }
    let scope = if user.is_admin { None } else { Some(user.id) };
    let rows = safety::queue(&mut tx, scope, HANDLED_SHOWN, now).await?;
    tx.commit().await?;
    let (open, handled): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(view)
        .filter(|r| r.about.as_ref().map(|a| a.0) != Some(user.id))
        .partition(|r| r.handled.is_none());
    Ok(ModerationQueue { open, handled, is_admin: user.is_admin })
}

/// A moderator decides on a report: dismiss it, hide the content, warn the person responsible, or suspend them
/// (for `days`, or for good). Recorded in the audit trail with the note; the reporter is told it was handled.
pub async fn moderate(
    db: &Db,
    actor: &Actor,
    id: ReportId,
    decision: &Decision,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let action = ACTIONS.iter().copied().find(|a| *a == decision.action).ok_or_else(|| {
        ServiceError::Invalid(Refusal::UnknownValue {
            field: "action".into(),
            value: decision.action.chars().take(40).collect(),
        })
    })?;
    let note = bounded_text(&decision.note, "note", 0, 2000)?;
    let days = match decision.days.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(d) if (1..=MAX_SUSPENSION_DAYS).contains(&d) => Some(d),
            _ => {
                return Err(ServiceError::Invalid(Refusal::WholeNumber {
                    field: "days".into(),
                    min: 1,
                    max: MAX_SUSPENSION_DAYS,
                }));
            }
        },
    };
    let mut tx = db.begin_write().await?;
    let row = safety::find_report(&mut tx, id, now).await?.ok_or(ServiceError::NotFound)?;
    let networks = safety::report_networks(&mut tx, id).await?;
    if !moderates(&mut tx, user, &networks).await? {
        return Err(ServiceError::NotFound);
    }
    if row.about_id == Some(user.id) {
        return Err(ServiceError::Forbidden);
    }
    if row.handled_at.is_some() {
        return Err(ServiceError::Conflict(Refusal::ReportHandled));
    }
    let audit_subject = AuditSubject { network: networks.first().copied(), coop: row.coop_id, user: row.about_id };
    let outcome = match action {
        "dismiss" => "dismissed",
        "hide" => {
            match row.subject_kind.as_str() {
                "message" => safety::hide_message(&mut tx, row.stay_message_id.ok_or(ServiceError::NotFound)?).await?,
                "offer" => safety::hide_offer(&mut tx, row.offer_id.ok_or(ServiceError::NotFound)?).await?,
                "coop" => safety::hide_coop(&mut tx, row.coop_id.ok_or(ServiceError::NotFound)?).await?,
                "person" => safety::hide_profile(&mut tx, row.person_id.ok_or(ServiceError::NotFound)?).await?,
                _ => return Err(ServiceError::Invalid(Refusal::NothingToHide)),
            }
            "hidden"
        }
        "warn" => {
            let person = row.about_id.ok_or(ServiceError::Invalid(Refusal::NoOneToModerate))?;
            let notice = NewNotice {
                kind: kind::WARNED,
                topic: Topic::Network,
                request: None,
                event: None,
                message: None,
                network: networks.first().copied(),
                coop: None,
                actor: None,
                body: &note,
            };
            notifications::notify(&mut tx, &[(person, Audience::Member)], &notice).await?;
            "warned"
        }
        _ => {
            let person = row.about_id.ok_or(ServiceError::Invalid(Refusal::NoOneToModerate))?;
            let target = users::find_by_id(&mut tx, person).await?.ok_or(ServiceError::NotFound)?;
            // A coordinator suspends members of their networks, not the instance's admins.
            if target.is_admin && !user.is_admin {
                return Err(ServiceError::Forbidden);
            }
            let until = days.map(|d| now + Duration::days(d));
            safety::suspend(&mut tx, person, until, &secret_token()).await?;
            let what = match days {
                Some(d) => format!("{d} days"),
                None => "for good".to_owned(),
            };
            audit::record(&mut tx, Some(user.id), "account_suspended", audit_subject, &join(&what, &note)).await?;
            "suspended"
        }
    };
    if !safety::handle(&mut tx, id, user.id, outcome, &note).await? {
        return Err(ServiceError::Conflict(Refusal::ReportHandled));
    }
    let recorded = format!("report {id} ({}, {}): {outcome}", row.subject_kind, row.reason);
    audit::record(&mut tx, Some(user.id), "report_handled", audit_subject, &join(&recorded, &note)).await?;
    if let Some(reporter) = row.reporter_id {
        let notice = NewNotice {
            kind: kind::REPORT_HANDLED,
            topic: Topic::Network,
            request: None,
            event: None,
            message: None,
            network: None,
            coop: None,
            actor: None,
            body: "",
        };
        notifications::notify(&mut tx, &[(reporter, Audience::Member)], &notice).await?;
    }
    tx.commit().await?;
    tracing::info!(report_id = %id, outcome, "report handled");
    Ok(())
}

/// A moderator of report `id` lifts the suspension of the person it is about (a mistake, or a time served
/// differently than decided), with a note for the audit trail. Their sessions stay ended: they log in again.
pub async fn lift_suspension(
    db: &Db,
    actor: &Actor,
    id: ReportId,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let note = bounded_text(note, "note", 0, 2000)?;
    let mut tx = db.begin_write().await?;
    let row = safety::find_report(&mut tx, id, now).await?.ok_or(ServiceError::NotFound)?;
    let networks = safety::report_networks(&mut tx, id).await?;
    if !moderates(&mut tx, user, &networks).await? {
        return Err(ServiceError::NotFound);
    }
    let person = row.about_id.ok_or(ServiceError::Invalid(Refusal::NoOneToModerate))?;
    if person == user.id {
        return Err(ServiceError::Forbidden);
    }
    if !safety::lift_suspension(&mut tx, person).await? {
        return Err(ServiceError::Conflict(Refusal::NotSuspended));
    }
    let subject = AuditSubject { network: networks.first().copied(), coop: None, user: Some(person) };
    audit::record(&mut tx, Some(user.id), "suspension_lifted", subject, &join(&format!("report {id}"), &note)).await?;
    tx.commit().await?;
    tracing::info!(report_id = %id, "suspension lifted");
    Ok(())
}

fn join(what: &str, note: &str) -> String {
    if note.is_empty() { what.to_owned() } else { format!("{what}: {note}") }
}

// The audit trail.

async fn audit_lines(db: &Db, actor: &Actor, query: &str, limit: i64) -> Result<Vec<AuditLine>, ServiceError> {
    actor.require_admin()?;
    let query = bounded_text(query, "search", 0, 200)?;
    let mut tx = db.reader().await?;
    let rows = audit::search(&mut tx, &query, limit).await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            at: r.created_at,
            action: r.action,
            actor: r.actor,
            subject: r.subject,
            coop: r.coop,
            network: r.network,
            note: r.note,
        })
        .collect())
}

/// The latest lines of the audit trail that match `query` (any word of the action, the note or a name), for an
/// admin.
pub async fn audit_page(db: &Db, actor: &Actor, query: &str) -> Result<AuditPage, ServiceError> {
    let mut lines = audit_lines(db, actor, query, AUDIT_SHOWN + 1).await?;
    let more = lines.len() > AUDIT_SHOWN as usize;
    lines.truncate(AUDIT_SHOWN as usize);
    Ok(AuditPage { query: query.trim().to_owned(), lines, more })
}

/// Every line that matches `query`, as CSV, for an admin.
pub async fn audit_csv(db: &Db, actor: &Actor, query: &str) -> Result<String, ServiceError> {
    let lines = audit_lines(db, actor, query, i64::MAX).await?;
    let header = ["at", "action", "by", "person", "coop", "network", "note"].map(str::to_owned).to_vec();
    let records = std::iter::once(header).chain(lines.into_iter().map(|l| {
        vec![
            l.at.to_rfc3339(),
            l.action,
            l.actor.unwrap_or_default(),
            l.subject.unwrap_or_default(),
            l.coop.unwrap_or_default(),
            l.network.unwrap_or_default(),
            l.note,
        ]
    }));
    super::trust::csv_text("audit", records)
}
