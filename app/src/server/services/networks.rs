//! Networks: their public page, the coordinators' verification queue and audit trail, and the decisions.

use crate::domain::account::{Email, bounded_text, single_line, slug};
use crate::domain::notice::{Audience, Topic, kind};
use crate::domain::{CoopId, NetworkId, UserId};
use crate::domain::{CountryCode, MembershipStatus};
use crate::error::Refusal;
use crate::server::authz::{self, Actor};
use crate::server::store::audit::{self, Subject};
use crate::server::store::networks::{self, NetworkRow};
use crate::server::store::notifications::{self, NewNotice};
use crate::server::store::{coops, users};
use crate::server::{Db, ServiceError, StoreError, Tx};
use crate::views::networks::{AuditView, MembershipView, NetworkPage, NetworkSummary};

/// Tells `readers` (in one part) about a network event concerning `coop` (if any), done by `by` with `note`.
async fn tell(
    tx: &mut Tx,
    readers: Vec<UserId>,
    audience: Audience,
    what: &str,
    network: NetworkId,
    coop: Option<CoopId>,
    by: UserId,
    note: &str,
) -> Result<(), ServiceError> {
    let readers: Vec<_> = readers.into_iter().filter(|u| *u != by).map(|u| (u, audience)).collect();
    let notice = NewNotice {
        kind: what,
        topic: Topic::Network,
        request: None,
        event: None,
        message: None,
        network: Some(network),
        coop,
        actor: Some(by),
        body: note,
    };
    notifications::notify(tx, &readers, &notice).await?;
    Ok(())
}

/// How many audit lines a coordinator sees on the network page.
const AUDIT_LINES: i64 = 50;

fn summary(row: &NetworkRow) -> NetworkSummary {
    NetworkSummary {
        slug: row.slug.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        country: row.country.clone(),
        auto_approve_verified: row.auto_approve_verified,
    }
}

async fn find(tx: &mut Tx, slug: &str) -> Result<NetworkRow, ServiceError> {
    networks::find_by_slug(tx, slug).await?.ok_or(ServiceError::NotFound)
}

pub async fn list(db: &Db) -> Result<Vec<NetworkSummary>, ServiceError> {
    let mut tx = db.begin_read().await?;
    let rows = networks::list(&mut tx).await?;
    tx.commit().await?;
    Ok(rows.iter().map(summary).collect())
}

/// Anyone sees the network and its verified co-ops; its coordinators (and admins) also see the queue of
/// pending and revoked memberships and the audit trail.
pub async fn page(db: &Db, actor: &Actor, slug: &str) -> Result<NetworkPage, ServiceError> {
    let mut tx = db.begin_read().await?;
    let network = find(&mut tx, slug).await?;
    let can_coordinate = match &actor.user {
        Some(user) => user.is_admin || authz::coordinates(&mut tx, user, network.network_id).await?,
        None => false,
    };
    let memberships = networks::memberships(&mut tx, network.network_id).await?;
    let coordinators = networks::coordinators(&mut tx, network.network_id).await?;
    let audit =
        if can_coordinate { audit::for_network(&mut tx, network.network_id, AUDIT_LINES).await? } else { vec![] };
    tx.commit().await?;
    let view = |m: &networks::MembershipRow| -> Result<MembershipView, ServiceError> {
        Ok(MembershipView {
            coop_slug: m.slug.clone(),
            coop_name: m.name.clone(),
            country: m.country.clone(),
            city: m.city.clone(),
            status: MembershipStatus::parse(&m.status)?,
            note: m.note.clone(),
        })
    };
    Ok(NetworkPage {
        network: summary(&network),
        verified: memberships.iter().filter(|m| m.status == "verified").map(view).collect::<Result<_, _>>()?,
        queue: if can_coordinate {
            memberships.iter().filter(|m| m.status != "verified").map(view).collect::<Result<_, _>>()?
        } else {
            vec![]
        },
        coordinators: coordinators.into_iter().map(|(_, name)| name).collect(),
        can_coordinate,
        audit: audit
            .into_iter()
            .map(|a| AuditView {
                action: a.action,
                actor: a.actor.unwrap_or_default(),
                coop: a.coop.unwrap_or_default(),
                note: a.note,
                at: a.created_at,
            })
            .collect(),
    })
}

/// Admins create networks.
pub async fn create(
    db: &Db,
    actor: &Actor,
    slug_raw: &str,
    name: &str,
    description: &str,
    country: &str,
    auto_approve_verified: bool,
) -> Result<String, ServiceError> {
    let admin = actor.require_admin()?;
    let slug = slug(slug_raw)?;
    let name = single_line(name, "name", 1, 120)?;
    let description = bounded_text(description, "description", 0, 2000)?;
    let country = if country.trim().is_empty() { None } else { Some(CountryCode::parse(country)?) };
    let mut tx = db.begin_write().await?;
    let new = networks::NewNetwork {
        slug: &slug,
        name: &name,
        description: &description,
        country: country.as_ref().map(CountryCode::as_str),
        auto_approve_verified,
    };
    let id = match networks::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(Refusal::SlugTaken { slug: slug.to_string() }));
        }
        Err(other) => return Err(other.into()),
    };
    audit::record(&mut tx, Some(admin.id), "network_created", Subject { network: Some(id), ..Default::default() }, "")
        .await?;
    tx.commit().await?;
    Ok(slug)
}

/// Admins appoint a coordinator by e-mail.
pub async fn appoint(db: &Db, actor: &Actor, network_slug: &str, email: &str) -> Result<(), ServiceError> {
    let admin = actor.require_admin()?;
    let email = Email::parse(email)?;
    let mut tx = db.begin_write().await?;
    let network = find(&mut tx, network_slug).await?;
    let user =
        users::find_by_email(&mut tx, email.as_str()).await?.ok_or(ServiceError::Invalid(Refusal::NoSuchAccount))?;
    match networks::add_coordinator(&mut tx, network.network_id, user.user_id).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(ServiceError::Conflict(Refusal::AlreadyCoordinator)),
        Err(other) => return Err(other.into()),
    }
    let subject = Subject { network: Some(network.network_id), user: Some(user.user_id), ..Default::default() };
    audit::record(&mut tx, Some(admin.id), "coordinator_appointed", subject, &user.display_name).await?;
    let (appointed, network) = (vec![user.user_id], network.network_id);
    tell(&mut tx, appointed, Audience::Coordinator, kind::COORDINATOR_APPOINTED, network, None, admin.id, "").await?;
    tx.commit().await?;
    Ok(())
}

/// A co-op's host admin asks to join a network (or to be looked at again after a revocation).
pub async fn request_membership(
    db: &Db,
    actor: &Actor,
    network_slug: &str,
    coop_slug: &str,
    note: &str,
) -> Result<(), ServiceError> {
    let note = bounded_text(note, "note", 0, 1000)?;
    let mut tx = db.begin_write().await?;
    let network = find(&mut tx, network_slug).await?;
    let coop = coops::find_by_slug(&mut tx, coop_slug).await?.ok_or(ServiceError::NotFound)?;
    let user = authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    match networks::membership_status(&mut tx, network.network_id, coop.coop_id).await? {
        Some(MembershipStatus::Verified) => {
            return Err(ServiceError::Conflict(Refusal::AlreadyVerified));
        }
        Some(MembershipStatus::Pending) => {
            return Err(ServiceError::Conflict(Refusal::AlreadyAsked));
        }
        Some(MembershipStatus::Revoked) | None => {}
    }
    networks::set_membership(&mut tx, network.network_id, coop.coop_id, MembershipStatus::Pending, &note, None).await?;
    let subject = Subject { network: Some(network.network_id), coop: Some(coop.coop_id), ..Default::default() };
    audit::record(&mut tx, Some(user.id), "membership_requested", subject, &note).await?;
    // The network's coordinators decide; a network without any yet has the site's administrators appoint one.
    let mut deciders = networks::coordinator_ids(&mut tx, network.network_id).await?;
    if deciders.is_empty() {
        deciders = users::admin_ids(&mut tx).await?;
    }
    let what = kind::MEMBERSHIP_REQUESTED;
    tell(&mut tx, deciders, Audience::Coordinator, what, network.network_id, Some(coop.coop_id), user.id, &note)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A coordinator of the network verifies or revokes a co-op's membership, with a note kept in the trail.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    network_slug: &str,
    coop_slug: &str,
    decision: &str,
    note: &str,
) -> Result<(), ServiceError> {
    let status = match decision {
        "verify" => MembershipStatus::Verified,
        "revoke" => MembershipStatus::Revoked,
        other => return Err(ServiceError::Invalid(Refusal::UnknownDecision { value: other.to_owned() })),
    };
    let note = bounded_text(note, "note", 0, 1000)?;
    let mut tx = db.begin_write().await?;
    let network = find(&mut tx, network_slug).await?;
    let user = authz::require_coordinator(&mut tx, actor, network.network_id).await?;
    let coop = coops::find_by_slug(&mut tx, coop_slug).await?.ok_or(ServiceError::NotFound)?;
    let current = networks::membership_status(&mut tx, network.network_id, coop.coop_id).await?;
    match (current, status) {
        (None, _) => return Err(ServiceError::Invalid(Refusal::NotAskedToJoin)),
        (Some(now), wanted) if now == wanted => {
            return Err(ServiceError::Conflict(Refusal::MembershipAlready { status: now.as_str().to_owned() }));
        }
        _ => {}
    }
    networks::set_membership(&mut tx, network.network_id, coop.coop_id, status, &note, Some(user.id)).await?;
    let action = if status == MembershipStatus::Verified { "membership_verified" } else { "membership_revoked" };
    let subject = Subject { network: Some(network.network_id), coop: Some(coop.coop_id), ..Default::default() };
    audit::record(&mut tx, Some(user.id), action, subject, &note).await?;
    let admins = coops::host_admin_ids(&mut tx, coop.coop_id).await?;
    let what = if status == MembershipStatus::Verified { kind::MEMBERSHIP_VERIFIED } else { kind::MEMBERSHIP_REVOKED };
    tell(&mut tx, admins, Audience::Member, what, network.network_id, Some(coop.coop_id), user.id, &note).await?;
    tx.commit().await?;
    Ok(())
}
