//! Offers: the public offer page; managed by their co-op's host admins: create, edit, publish, pause, delete.

use chrono::Days;

use crate::domain::account::{bounded_text, languages, single_line};
use crate::domain::{CoopId, CountryCode, DateRange, LatLon, OfferId, OfferKind, OfferStatus};
use crate::error::Refusal;
use crate::server::authz::{self, Actor};
use crate::server::store::{calendar, coops, offers};
use crate::server::{Db, ServiceError, Today, Tx, zones};
use crate::views::offers::{OfferForm, OfferListItem, OfferManageView, OfferPage};
use crate::views::stays::NightView;

/// How many nights of calendar an offer page shows.
const CALENDAR_DAYS: u64 = 60;

/// A public offer page: published offers of co-ops verified somewhere, or any offer for its host admins.
pub async fn offer_page(
    db: &Db,
    actor: &Actor,
    id: OfferId,
    today: impl Into<Today>,
) -> Result<OfferPage, ServiceError> {
    let mut tx = db.begin_read().await?;
    let offer = offers::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let coop = coops::find_by_id(&mut tx, offer.coop_id).await?.ok_or(ServiceError::NotFound)?;
    // The nights shown start from the host co-op's today.
    let today = today.into().in_zone(zones::of_coop(coop.time_zone.as_deref(), LatLon::new(coop.lat, coop.lon)?));
    let public = offer.status == "published" && coops::is_listed(&mut tx, offer.coop_id).await?;
    if !public {
        authz::require_coop_admin(&mut tx, actor, offer.coop_id).await.map_err(|_| ServiceError::NotFound)?;
    }
    // Someone apart by a block from one of the co-op's host admins does not see its offers.
    if let Some(user) = &actor.user
        && !user.is_admin
        && crate::server::store::safety::coops_apart_from(&mut tx, user.id).await?.contains(&offer.coop_id)
    {
        return Err(ServiceError::NotFound);
    }
    let end = today.checked_add_days(Days::new(CALENDAR_DAYS)).ok_or_else(|| ServiceError::Internal("date".into()))?;
    let nights = calendar::nights(&mut tx, id, DateRange::new(today, end)?).await?;
    tx.commit().await?;
    Ok(OfferPage {
        id,
        coop_slug: coop.slug,
        coop_name: coop.name,
        country: CountryCode::parse(&coop.country)?,
        city: coop.city,
        kind: OfferKind::parse(&offer.kind)?,
        title: offer.title,
        description: offer.description,
        capacity: offer.default_capacity,
        min_nights: offer.min_nights,
        max_nights: offer.max_nights,
        notice_days: offer.notice_days,
        languages: offer.languages,
        amenities: offer.amenities,
        accessibility: offer.accessibility,
        house_rules: offer.house_rules,
        skills_wanted: offer.skills_wanted,
        public_lat: offer.public_lat,
        public_lon: offer.public_lon,
        nights: nights
            .into_iter()
            .map(|n| NightView::new(n.night, n.capacity, n.reserved, actor.user.is_some()))
            .collect(),
    })
}

struct Parsed {
    kind: OfferKind,
    title: String,
    description: String,
    capacity: i32,
    min_nights: i32,
    max_nights: i32,
    notice_days: i32,
    languages: String,
    amenities: String,
    accessibility: String,
    house_rules: String,
    skills_wanted: String,
    address: String,
}

fn number(raw: &str, field: &str, min: i32, max: i32) -> Result<i32, ServiceError> {
    raw.trim().parse::<i32>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        ServiceError::Invalid(Refusal::WholeNumber { field: field.into(), min: min.into(), max: max.into() })
    })
}

fn parse(form: &OfferForm) -> Result<Parsed, ServiceError> {
    let min_nights = number(&form.min_nights, "minimum of nights", 1, 365)?;
    let max_nights = number(&form.max_nights, "maximum of nights", 1, 365)?;
    if max_nights < min_nights {
        return Err(ServiceError::Invalid(Refusal::MaxBelowMin));
    }
    Ok(Parsed {
        kind: OfferKind::parse(&form.kind)?,
        title: single_line(&form.title, "title", 1, 120)?,
        description: bounded_text(&form.description, "description", 0, 4000)?,
        capacity: number(&form.capacity, "number of guests", 1, 1000)?,
        min_nights,
        max_nights,
        notice_days: number(&form.notice_days, "days of notice", 0, 365)?,
        languages: languages(&form.languages)?,
        amenities: bounded_text(&form.amenities, "amenities", 0, 1000)?,
        accessibility: bounded_text(&form.accessibility, "accessibility", 0, 1000)?,
        house_rules: bounded_text(&form.house_rules, "house rules", 0, 2000)?,
        // Free tags, as a member's skills are: trimmed, lower-cased, each once, so search and the inbox match them.
        skills_wanted: crate::domain::trust::skills(&bounded_text(&form.skills_wanted, "skills wanted", 0, 1000)?)?
            .join(", "),
        address: bounded_text(&form.address, "address", 0, 300)?,
    })
}

/// The offer and its co-op, if the caller is a host admin of that co-op.
async fn managed(tx: &mut Tx, actor: &Actor, offer: OfferId) -> Result<offers::OfferRulesRow, ServiceError> {
    let row = offers::find(tx, offer).await?.ok_or(ServiceError::NotFound)?;
    authz::require_coop_admin(tx, actor, row.coop_id).await?;
    Ok(row)
}

/// A host admin creates a draft offer. It is at the co-op's address, so its public location is the co-op's own
/// fuzzed point: one fuzz per exact location, or the average of many would walk back toward the door.
pub async fn create(db: &Db, actor: &Actor, coop_slug: &str, form: &OfferForm) -> Result<OfferId, ServiceError> {
    let fields = parse(form)?;
    let mut tx = db.begin_write().await?;
    let coop = coops::find_by_slug(&mut tx, coop_slug).await?.ok_or(ServiceError::NotFound)?;
    authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    let id = offers::insert(
        &mut tx,
        &offers::NewOffer {
            coop: coop.coop_id,
            kind: fields.kind,
            title: &fields.title,
            description: &fields.description,
            default_capacity: fields.capacity,
            min_nights: fields.min_nights,
            max_nights: fields.max_nights,
            notice_days: fields.notice_days,
            languages: &fields.languages,
            amenities: &fields.amenities,
            accessibility: &fields.accessibility,
            house_rules: &fields.house_rules,
            skills_wanted: &fields.skills_wanted,
            address: &fields.address,
            public_location: LatLon::new(coop.public_lat, coop.public_lon)?,
            status: OfferStatus::Draft,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(db: &Db, actor: &Actor, offer: OfferId, form: &OfferForm) -> Result<(), ServiceError> {
    let f = parse(form)?;
    let mut tx = db.begin_write().await?;
    managed(&mut tx, actor, offer).await?;
    let fields = offers::OfferFields {
        kind: f.kind,
        title: &f.title,
        description: &f.description,
        default_capacity: f.capacity,
        min_nights: f.min_nights,
        max_nights: f.max_nights,
        notice_days: f.notice_days,
        languages: &f.languages,
        amenities: &f.amenities,
        accessibility: &f.accessibility,
        house_rules: &f.house_rules,
        skills_wanted: &f.skills_wanted,
        address: &f.address,
    };
    offers::update(&mut tx, offer, &fields).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(db: &Db, actor: &Actor, offer: OfferId, status: &str) -> Result<(), ServiceError> {
    let status = OfferStatus::parse(status)?;
    let mut tx = db.begin_write().await?;
    managed(&mut tx, actor, offer).await?;
    // The database refuses it too (a CHECK); this says why.
    if status == OfferStatus::Published && crate::server::store::safety::offer_hidden(&mut tx, offer).await? {
        return Err(ServiceError::Conflict(Refusal::HiddenByModerators));
    }
    offers::set_status(&mut tx, offer, status).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an offer that no live request depends on (pause it otherwise); returns its co-op's slug.
pub async fn delete(db: &Db, actor: &Actor, offer: OfferId) -> Result<String, ServiceError> {
    let mut tx = db.begin_write().await?;
    let row = managed(&mut tx, actor, offer).await?;
    if offers::active_requests(&mut tx, offer).await? > 0 {
        return Err(ServiceError::Conflict(Refusal::OfferInUse));
    }
    let slug = coops::slug_of(&mut tx, row.coop_id).await?;
    offers::delete(&mut tx, offer).await?;
    tx.commit().await?;
    Ok(slug)
}

/// The edit form's values (address included): host admins only.
pub async fn manage_view(db: &Db, actor: &Actor, offer: OfferId) -> Result<OfferManageView, ServiceError> {
    let mut tx = db.begin_read().await?;
    let row = managed(&mut tx, actor, offer).await?;
    let address = offers::address(&mut tx, offer).await?;
    let coop_slug = coops::slug_of(&mut tx, row.coop_id).await?;
    tx.commit().await?;
    Ok(OfferManageView {
        id: offer,
        coop_slug,
        status: OfferStatus::parse(&row.status)?,
        form: OfferForm {
            kind: row.kind,
            title: row.title,
            description: row.description,
            capacity: row.default_capacity.to_string(),
            min_nights: row.min_nights.to_string(),
            max_nights: row.max_nights.to_string(),
            notice_days: row.notice_days.to_string(),
            languages: row.languages.replace(',', ", "),
            amenities: row.amenities,
            accessibility: row.accessibility,
            house_rules: row.house_rules,
            skills_wanted: row.skills_wanted,
            address,
        },
    })
}

/// Every offer of a co-op, drafts included: host admins only.
pub async fn of_coop(db: &Db, actor: &Actor, coop_slug: &str) -> Result<Vec<OfferListItem>, ServiceError> {
    let mut tx = db.begin_read().await?;
    let coop = coops::find_by_slug(&mut tx, coop_slug).await?.ok_or(ServiceError::NotFound)?;
    authz::require_coop_admin(&mut tx, actor, coop.coop_id).await?;
    let rows = offers::of_coop(&mut tx, coop.coop_id).await?;
    tx.commit().await?;
    let _: CoopId = coop.coop_id;
    rows.into_iter()
        .map(|(id, kind, title, status, capacity)| {
            Ok(OfferListItem {
                id,
                kind: OfferKind::parse(&kind)?,
                title,
                status: OfferStatus::parse(&status)?,
                capacity,
            })
        })
        .collect()
}
