//! Co-op profiles, members and invitations.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::domain::account::{bounded_text, languages, single_line, slug, website};
use crate::domain::{CoopId, CoopRole, CountryCode, DomainError, LatLon, MembershipStatus, UserId};
use crate::error::Refusal;
use crate::server::authz::{self, Actor};
use crate::server::store::audit::{self, Subject};
use crate::server::store::coops::{self, CoopRow};
use crate::server::store::offers;
use crate::server::store::users;
use crate::server::{Db, ServiceError, StoreError, Tx, zones};
use crate::views::coops::{CoopEditView, CoopForm, CoopPage, MemberView, MembersView, NetworkStanding};

/// How long an invitation link stays valid.
pub const INVITE_DAYS: i64 = 7;

/// A co-op profile, parsed.
struct Profile {
    name: String,
    country: CountryCode,
    city: String,
    location: LatLon,
    website: String,
    description: String,
    languages: String,
    time_zone: Option<String>,
}

fn parse_coordinate(raw: &str, field: &'static str) -> Result<f64, ServiceError> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| ServiceError::Invalid(Refusal::NotANumber { field: field.into() }))
}

/// The co-op's location: the coordinates given, or, when both are left empty, the city's centre from the offline
/// place list (the form's place picker fills them in with JavaScript; without it the server looks the city up).
fn location(form: &CoopForm, city: &str, country: &CountryCode) -> Result<LatLon, ServiceError> {
    if form.lat.trim().is_empty() && form.lon.trim().is_empty() {
        let place = crate::server::places::resolve(&format!("{city}, {}", country.as_str())).ok_or_else(|| {
            ServiceError::Invalid(Refusal::PlaceNotListed {
                city: city.to_owned(),
                country: country.as_str().to_owned(),
            })
        })?;
        return Ok(LatLon::new(place.lat, place.lon)?);
    }
    let lat = parse_coordinate(&form.lat, "latitude")?;
    let lon = parse_coordinate(&form.lon, "longitude")?;
    Ok(LatLon::new(lat, lon)?)
}

fn parse_profile(form: &CoopForm) -> Result<Profile, ServiceError> {
    let country = CountryCode::parse(&form.country)?;
    let city = single_line(&form.city, "city", 1, 120)?;
    Ok(Profile {
        name: single_line(&form.name, "name", 1, 120)?,
        location: location(form, &city, &country)?,
        country,
        city,
        website: website(&form.website)?,
        description: bounded_text(&form.description, "description", 0, 4000)?,
        languages: languages(&form.languages)?,
        time_zone: time_zone(&form.time_zone)?,
    })
}

/// A chosen time zone by its IANA name; none when left empty (the zone of the co-op's place).
fn time_zone(raw: &str) -> Result<Option<String>, ServiceError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    zones::parse(raw).map(|zone| Some(zone.name().to_owned())).ok_or_else(|| {
        ServiceError::Invalid(Refusal::UnknownTimeZone {
            value: single_line(raw, "time zone", 0, 64).unwrap_or_default(),
        })
    })
}

fn random_fuzz() -> (f64, f64) {
    let mut rng = rand::rng();
    (rng.random(), rng.random())
}

/// A co-op's time zone (chosen, else its place's): its stay rules and its calendar count days by its date.
pub async fn zone(tx: &mut Tx, coop: CoopId) -> Result<chrono_tz::Tz, ServiceError> {
    let (chosen, lat, lon) = coops::zone(tx, coop).await?;
    Ok(zones::of_coop(chosen.as_deref(), LatLon::new(lat, lon)?))
}

async fn find(tx: &mut Tx, slug: &str) -> Result<CoopRow, ServiceError> {
    coops::find_by_slug(tx, slug).await?.ok_or(ServiceError::NotFound)
}

/// A member creates a co-op and becomes its first host admin.
pub async fn create(db: &Db, actor: &Actor, slug_raw: &str, form: &CoopForm) -> Result<String, ServiceError> {
    let user = actor.require_user()?;
    let slug = slug(slug_raw)?;
    let profile = parse_profile(form)?;
    let mut tx = db.begin_write().await?;
    let new = coops::NewCoop {
        slug: &slug,
        name: &profile.name,
        country: profile.country.as_str(),
        city: &profile.city,
        location: profile.location,
        public_location: profile.location.fuzzed(random_fuzz()),
        website: &profile.website,
        description: &profile.description,
        languages: &profile.languages,
    };
    let coop = match coops::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(Refusal::SlugTaken { slug: slug.to_string() }));
        }
        Err(other) => return Err(other.into()),
    };
    users::add_to_coop(&mut tx, coop, user.id, "host_admin").await?;
    coops::set_time_zone(&mut tx, coop, profile.time_zone.as_deref()).await?;
    audit::record(&mut tx, Some(user.id), "coop_created", Subject { coop: Some(coop), ..Default::default() }, "")
        .await?;
    tx.commit().await?;
    Ok(slug)
}

/// The public page: never the exact location, never the members.
pub async fn page(db: &Db, actor: &Actor, slug: &str) -> Result<CoopPage, ServiceError> {
    let mut tx = db.begin_read().await?;
    let coop = find(&mut tx, slug).await?;
    let networks = coops::memberships(&mut tx, coop.coop_id).await?;
    let can_manage = match &actor.user {
        Some(user) => user.is_admin || authz::hosts(&mut tx, user, coop.coop_id).await?,
        None => false,
    };
    tx.commit().await?;
    Ok(CoopPage {
        slug: coop.slug,
        name: coop.name,
        country: CountryCode::parse(&coop.country)?,
        city: coop.city,
        public_lat: coop.public_lat,
        public_lon: coop.public_lon,
        website: coop.website,
        description: if coop.hidden && !can_manage { String::new() } else { coop.description },
        languages: coop.languages.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        networks: networks
            .into_iter()
            .map(|(slug, name, status)| Ok(NetworkStanding { slug, name, status: MembershipStatus::parse(&status)? }))
            .collect::<Result<_, ServiceError>>()?,
        can_manage,
    })
}

/// The edit form's current values, exact location included: host admins only.
pub async fn for_edit(db: &Db, actor: &Actor, slug: &str) -> Result<CoopEditView, ServiceError> {
    let mut tx = db.begin_read().await?;
    let coop = find(&mut tx, slug).await?;
    authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    tx.commit().await?;
    Ok(CoopEditView {
        slug: coop.slug,
        form: CoopForm {
            name: coop.name,
            country: coop.country,
            city: coop.city,
            lat: coop.lat.to_string(),
            lon: coop.lon.to_string(),
            website: coop.website,
            description: coop.description,
            languages: coop.languages.replace(',', ", "),
            time_zone: coop.time_zone.clone().unwrap_or_default(),
        },
        place_zone: zones::at(LatLon::new(coop.lat, coop.lon)?).name().to_owned(),
    })
}

pub async fn update(db: &Db, actor: &Actor, slug: &str, form: &CoopForm) -> Result<(), ServiceError> {
    let profile = parse_profile(form)?;
    let mut tx = db.begin_write().await?;
    let coop = find(&mut tx, slug).await?;
    let user = authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    let old = LatLon::new(coop.lat, coop.lon)?;
    let public_location = if old == profile.location {
        LatLon::new(coop.public_lat, coop.public_lon)?
    } else {
        profile.location.fuzzed(random_fuzz())
    };
    let update = coops::CoopProfile {
        name: &profile.name,
        country: profile.country.as_str(),
        city: &profile.city,
        location: profile.location,
        public_location,
        website: &profile.website,
        description: &profile.description,
        languages: &profile.languages,
    };
    coops::update(&mut tx, coop.coop_id, &update).await?;
    coops::set_time_zone(&mut tx, coop.coop_id, profile.time_zone.as_deref()).await?;
    // The offers are at the co-op's address: they move with its one public point.
    offers::set_public_location_of_coop(&mut tx, coop.coop_id, public_location).await?;
    let subject = Subject { coop: Some(coop.coop_id), ..Default::default() };
    audit::record(&mut tx, Some(user.id), "coop_updated", subject, "").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn members(db: &Db, actor: &Actor, slug: &str, now: DateTime<Utc>) -> Result<MembersView, ServiceError> {
    let mut tx = db.begin_read().await?;
    let coop = find(&mut tx, slug).await?;
    authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    let members = coops::members(&mut tx, coop.coop_id).await?;
    let invites = coops::open_invites(&mut tx, coop.coop_id, now).await?;
    tx.commit().await?;
    Ok(MembersView {
        slug: coop.slug,
        name: coop.name,
        members: members
            .into_iter()
            .map(|m| {
                let role = CoopRole::parse(&m.role)?;
                Ok(MemberView { user_id: m.user_id, display_name: m.display_name, email: m.email, role })
            })
            .collect::<Result<_, ServiceError>>()?,
        open_invites: invites
            .into_iter()
            .map(|(role, expires)| (role, expires.format("%Y-%m-%d").to_string()))
            .collect(),
    })
}

fn role(raw: &str) -> Result<&'static str, ServiceError> {
    match raw {
        "member" => Ok("member"),
        "host_admin" => Ok("host_admin"),
        other => Err(DomainError::UnknownValue { field: "role", value: other.to_owned() }.into()),
    }
}

fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// Creates a single-use invitation and returns its secret token (shown once; only its hash is stored).
pub async fn invite(
    db: &Db,
    actor: &Actor,
    slug: &str,
    role_raw: &str,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let role = role(role_raw)?;
    let mut bytes = [0_u8; 32];
    rand::rng().fill(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let mut tx = db.begin_write().await?;
    let coop = find(&mut tx, slug).await?;
    let user = authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    coops::insert_invite(&mut tx, coop.coop_id, &token_hash(&token), role, user.id, now + Duration::days(INVITE_DAYS))
        .await?;
    let subject = Subject { coop: Some(coop.coop_id), ..Default::default() };
    audit::record(&mut tx, Some(user.id), "invite_created", subject, role).await?;
    tx.commit().await?;
    Ok(token)
}

/// Joins the co-op of a valid invitation; returns the co-op's slug.
pub async fn accept_invite(db: &Db, actor: &Actor, token: &str, now: DateTime<Utc>) -> Result<String, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_write().await?;
    let Some((coop, role)) = coops::use_invite(&mut tx, &token_hash(token.trim()), user.id, now).await? else {
        return Err(ServiceError::Invalid(Refusal::InviteUnusable));
    };
    if authz::coop_role(&mut tx, user, coop).await?.is_some() {
        return Err(ServiceError::Conflict(Refusal::AlreadyMember));
    }
    users::add_to_coop(&mut tx, coop, user.id, &role).await?;
    let subject = Subject { coop: Some(coop), user: Some(user.id), ..Default::default() };
    audit::record(&mut tx, Some(user.id), "member_joined", subject, &role).await?;
    let slug = coops::slug_of(&mut tx, coop).await?;
    tx.commit().await?;
    Ok(slug)
}

/// Host admins change a member's role; a co-op never loses its last host admin.
pub async fn set_role(db: &Db, actor: &Actor, slug: &str, member: UserId, role_raw: &str) -> Result<(), ServiceError> {
    let role = role(role_raw)?;
    let mut tx = db.begin_write().await?;
    let coop = find(&mut tx, slug).await?;
    let user = authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    if role == "member" && is_last_host_admin(&mut tx, coop.coop_id, member).await? {
        return Err(ServiceError::Conflict(Refusal::LastHostAdmin));
    }
    if !coops::set_member_role(&mut tx, coop.coop_id, member, role).await? {
        return Err(ServiceError::NotFound);
    }
    let subject = Subject { coop: Some(coop.coop_id), user: Some(member), ..Default::default() };
    audit::record(&mut tx, Some(user.id), "member_role_changed", subject, role).await?;
    tx.commit().await?;
    Ok(())
}

/// Host admins remove a member (or a member leaves); never the last host admin.
pub async fn remove(db: &Db, actor: &Actor, slug: &str, member: UserId) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await?;
    let coop = find(&mut tx, slug).await?;
    let me = actor.require_user()?;
    let user = if me.id == member { me } else { authz::require_coop_admin(&mut tx, actor, coop.coop_id).await? };
    if is_last_host_admin(&mut tx, coop.coop_id, member).await? {
        return Err(ServiceError::Conflict(Refusal::LastHostAdmin));
    }
    if !coops::remove_member(&mut tx, coop.coop_id, member).await? {
        return Err(ServiceError::NotFound);
    }
    let subject = Subject { coop: Some(coop.coop_id), user: Some(member), ..Default::default() };
    audit::record(&mut tx, Some(user.id), "member_removed", subject, "").await?;
    tx.commit().await?;
    Ok(())
}

async fn is_last_host_admin(tx: &mut Tx, coop: crate::domain::CoopId, member: UserId) -> Result<bool, ServiceError> {
    let members = coops::members(tx, coop).await?;
    let is_host_admin = members.iter().any(|m| m.user_id == member && m.role == "host_admin");
    Ok(is_host_admin && coops::count_host_admins(tx, coop).await? <= 1)
}
