//! An offer's availability, run by its host admins: the month view, edits of ranges of nights, iCal import
//! (blocks busy dates, never what is reserved) and the iCal feeds with revocable secret tokens.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Datelike, Days, Months, NaiveDate};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::domain::calendar::{MAX_EDIT_NIGHTS, Night, Weekdays, nights_to_edit, plan};
use crate::domain::{DateRange, OfferId};
use crate::error::Refusal;
use crate::server::authz::{self, Actor};
use crate::server::ical::{self, FeedEvent};
use crate::server::services::throttle;
use crate::server::store::{calendar, offers, stays, users};
use crate::server::{Db, ServiceError, Today, Tx};
use crate::views::calendar::{CalendarView, DayView, ImportOutcome, MonthView};

/// How far ahead imports and feeds look (about 18 months).
const HORIZON_MONTHS: u32 = 18;

async fn require_host(tx: &mut Tx, actor: &Actor, offer: OfferId) -> Result<offers::OfferRulesRow, ServiceError> {
    let row = offers::find(tx, offer).await?.ok_or(ServiceError::NotFound)?;
    authz::require_coop_admin(tx, actor, row.coop_id).await?;
    Ok(row)
}

fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ServiceError::Invalid(Refusal::NotADate { field: field.into() }))
}

fn months_after(date: NaiveDate, months: u32) -> Result<NaiveDate, ServiceError> {
    date.checked_add_months(Months::new(months)).ok_or_else(|| ServiceError::Invalid(Refusal::DateOutOfRange))
}

fn token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Marks a stored feed secret as hashed.
const HASHED: &str = "h:";

/// How a feed secret is stored: only a hash, like invitations, so a leaked database opens no calendar. The
/// address is shown once, when it is made.
fn stored(token: &str) -> String {
    format!("{HASHED}{}", URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes())))
}

/// Hashes feed secrets stored in clear by earlier versions (the addresses keep working). Run after migrating.
pub async fn protect_feed_tokens(db: &Db) -> Result<usize, ServiceError> {
    let mut tx = db.begin_write().await?;
    let offers_in_clear = offers::ical_tokens_in_clear(&mut tx, HASHED).await?;
    let users_in_clear = users::ical_tokens_in_clear(&mut tx, HASHED).await?;
    for (offer, token) in &offers_in_clear {
        offers::set_ical_token(&mut tx, *offer, &stored(token)).await?;
    }
    for (user, token) in &users_in_clear {
        users::set_ical_token(&mut tx, *user, &stored(token)).await?;
    }
    tx.commit().await?;
    Ok(offers_in_clear.len() + users_in_clear.len())
}

/// `months` month grids from `start` (`YYYY-MM`, default: this month).
pub async fn view(
    db: &Db,
    actor: &Actor,
    offer: OfferId,
    start: Option<&str>,
    months: u32,
    today: impl Into<Today>,
) -> Result<CalendarView, ServiceError> {
    let start = match start.filter(|s| !s.is_empty()) {
        Some(month) => Some(parse_date(&format!("{month}-01"), "month")?),
        None => None,
    };
    let mut tx = db.begin_read().await?;
    let row = require_host(&mut tx, actor, offer).await?;
    // Past nights are past at the host co-op.
    let today = today.into().in_zone(super::coops::zone(&mut tx, row.coop_id).await?);
    let first = start.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let months = months.clamp(1, 12);
    let end = months_after(first, months)?;
    let nights = calendar::host_nights(&mut tx, offer, DateRange::new(first, end)?).await?;
    let feed_exists = offers::ical_token(&mut tx, offer).await?.is_some();
    let import = offers::last_import(&mut tx, offer).await?;
    tx.commit().await?;
    let mut grids = Vec::new();
    let mut month_start = first;
    while month_start < end {
        let next = months_after(month_start, 1)?;
        let days = month_start
            .iter_days()
            .take_while(|d| *d < next)
            .map(|date| {
                let night = nights.iter().find(|n| n.night == date);
                DayView {
                    date,
                    capacity: night.map_or(0, |n| n.capacity),
                    reserved: night.map_or(0, |n| n.reserved),
                    imported: night.is_some_and(|n| n.import_prev_capacity.is_some()),
                    past: date < today,
                }
            })
            .collect();
        grids.push(MonthView {
            year: month_start.year(),
            month: month_start.month(),
            leading_blanks: month_start.weekday().num_days_from_monday(),
            days,
        });
        month_start = next;
    }
    Ok(CalendarView {
        offer,
        title: row.title,
        default_capacity: row.default_capacity,
        months: grids,
        previous: months_after(first, 0)
            .ok()
            .and_then(|d| d.checked_sub_months(Months::new(months)))
            .map(|d| d.format("%Y-%m").to_string()),
        next: Some(end.format("%Y-%m").to_string()),
        feed_url: None,
        changed: None,
        imported: None,
        feed_exists,
        last_import: import.map(|(at, events)| (at, i64::from(events))),
    })
}

/// Opens (with `capacity` places) or blocks the nights of [from, to) on the chosen weekdays. Refused as a whole,
/// naming the nights, if it would leave a night below what is reserved. Returns how many nights changed.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    offer: OfferId,
    from: &str,
    to: &str,
    weekdays: Weekdays,
    op: &str,
    capacity: &str,
) -> Result<usize, ServiceError> {
    let range = DateRange::new(parse_date(from, "first night")?, parse_date(to, "day after the last night")?)?;
    if range.nights() > MAX_EDIT_NIGHTS {
        return Err(ServiceError::Invalid(Refusal::EditTooManyNights { max: MAX_EDIT_NIGHTS }));
    }
    let capacity = match op {
        "block" => 0,
        "open" => capacity
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|c| (0..=1000).contains(c))
            .ok_or_else(|| ServiceError::Invalid(Refusal::CapacityRange))?,
        other => return Err(ServiceError::Invalid(Refusal::UnknownCalendarAction { value: other.to_owned() })),
    };
    let nights = nights_to_edit(range, weekdays);
    let mut tx = db.begin_write().await?;
    require_host(&mut tx, actor, offer).await?;
    let current: Vec<Night> = calendar::host_nights(&mut tx, offer, range)
        .await?
        .into_iter()
        .map(|n| Night { night: n.night, capacity: n.capacity, reserved: n.reserved })
        .collect();
    let changes = plan(&current, &nights, capacity).map_err(|conflicts| {
        let list: Vec<String> = conflicts.iter().map(|n| format!("{} ({} reserved)", n.night, n.reserved)).collect();
        ServiceError::Conflict(Refusal::BelowReserved { nights: list.join(", ") })
    })?;
    calendar::set_capacity(&mut tx, offer, &changes).await?;
    tx.commit().await?;
    Ok(changes.len())
}

/// Blocks the busy nights of an `.ics` file, replacing the previous import's blocks. A night with reservations
/// keeps them (it only loses its free places) and is listed as a conflict. A bad file changes nothing.
pub async fn import(
    db: &Db,
    actor: &Actor,
    offer: OfferId,
    ics: &str,
    today: NaiveDate,
) -> Result<ImportOutcome, ServiceError> {
    let until = months_after(today, HORIZON_MONTHS)?;
    // Who asks comes first: reading a file costs CPU (rules are expanded), so nobody else may make us read one,
    // and a host may make us read a bounded number per hour.
    let user = actor.require_user()?;
    let mut tx = db.begin_write().await?;
    require_host(&mut tx, actor, offer).await?;
    throttle::take(&mut tx, &throttle::import_subject(user.id), throttle::IMPORTS_PER_HOUR, chrono::Utc::now()).await?;
    tx.commit().await?;
    let ics = ics.to_owned();
    let busy = tokio::task::spawn_blocking(move || ical::busy_nights(&ics, today, until))
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the calendar: {e}")))?
        .map_err(|e| ServiceError::Invalid(e.into()))?;
    let mut tx = db.begin_write().await?;
    require_host(&mut tx, actor, offer).await?;
    calendar::restore_imported(&mut tx, offer).await?;
    let current = calendar::host_nights(&mut tx, offer, DateRange::new(today, until)?).await?;
    let mut blocked = 0;
    let mut conflicts = Vec::new();
    for night in &busy.nights {
        let Some(row) = current.iter().find(|n| n.night == *night) else { continue };
        if row.reserved > 0 {
            conflicts.push(*night);
        }
        if calendar::block_for_import(&mut tx, offer, *night).await? {
            blocked += 1;
        }
    }
    offers::record_import(&mut tx, offer, i32::try_from(busy.events).unwrap_or(i32::MAX)).await?;
    tx.commit().await?;
    Ok(ImportOutcome { events: busy.events, skipped: busy.skipped, busy_nights: busy.nights.len(), blocked, conflicts })
}

/// A new secret for the offer's feed; the old URL stops working. Returns the feed's path.
pub async fn rotate_offer_feed(db: &Db, actor: &Actor, offer: OfferId) -> Result<String, ServiceError> {
    let token = token();
    let mut tx = db.begin_write().await?;
    require_host(&mut tx, actor, offer).await?;
    offers::set_ical_token(&mut tx, offer, &stored(&token)).await?;
    tx.commit().await?;
    Ok(format!("/ical/offers/{token}.ics"))
}

/// The offer's feed: confirmed stays and the host's own blocks (not what was imported, so two calendars that sync
/// each other do not echo).
pub async fn offer_feed(db: &Db, token: &str, today: NaiveDate) -> Result<Option<String>, ServiceError> {
    let mut tx = db.begin_read().await?;
    let Some(offer) = offers::find_by_ical_token(&mut tx, &stored(token)).await? else { return Ok(None) };
    let row = offers::find(&mut tx, offer).await?.ok_or(ServiceError::NotFound)?;
    let from = today.checked_sub_days(Days::new(30)).unwrap_or(today);
    let until = months_after(today, HORIZON_MONTHS)?;
    let booked = offers::booked_stays(&mut tx, offer, from, until).await?;
    let nights = calendar::host_nights(&mut tx, offer, DateRange::new(from, until)?).await?;
    tx.commit().await?;
    let mut events: Vec<FeedEvent> = booked
        .into_iter()
        .map(|(id, coop, guests, check_in, check_out)| FeedEvent {
            uid: format!("stay-{id}@coop-travel"),
            summary: format!("Stay: {coop} ({guests})"),
            description: format!("{} · confirmed stay request {id}", row.title),
            start: check_in,
            end: check_out,
        })
        .collect();
    let blocked: BTreeSet<NaiveDate> =
        nights.iter().filter(|n| n.capacity == 0 && n.import_prev_capacity.is_none()).map(|n| n.night).collect();
    events.extend(ical::ranges(&blocked).into_iter().map(|(start, end)| FeedEvent {
        uid: format!("block-{offer}-{start}@coop-travel"),
        summary: "Not available".into(),
        description: row.title.clone(),
        start,
        end,
    }));
    Ok(Some(ical::feed(&row.title, &events)))
}

/// A new secret for the caller's trips feed. Returns the feed's path.
pub async fn rotate_my_feed(db: &Db, actor: &Actor) -> Result<String, ServiceError> {
    let user = actor.require_user()?;
    let token = token();
    let mut tx = db.begin_write().await?;
    users::set_ical_token(&mut tx, user.id, &stored(&token)).await?;
    tx.commit().await?;
    Ok(format!("/ical/trips/{token}.ics"))
}

/// Whether the caller has a trips feed (its address was shown when it was made; only a hash is kept).
pub async fn has_my_feed(db: &Db, actor: &Actor) -> Result<bool, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let token = users::ical_token(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(token.is_some())
}

/// A traveller's feed: their accepted, confirmed and completed stays (the address once confirmed).
pub async fn traveller_feed(db: &Db, token: &str) -> Result<Option<String>, ServiceError> {
    let mut tx = db.begin_read().await?;
    let Some(user) = users::find_by_ical_token(&mut tx, &stored(token)).await? else { return Ok(None) };
    let rows = stays::for_traveller(&mut tx, user).await?;
    tx.commit().await?;
    let events: Vec<FeedEvent> = rows
        .into_iter()
        .filter(|r| matches!(r.status.as_str(), "accepted" | "confirmed" | "completed"))
        .map(|r| {
            let confirmed = r.status != "accepted";
            let address = if confirmed { format!("\n{}", r.address) } else { String::new() };
            FeedEvent {
                uid: format!("trip-stay-{}@coop-travel", r.stay_request_id),
                summary: format!("{} · {} ({})", r.offer_title, r.host_coop_name, r.status),
                description: format!("{}, {}{address}", r.host_city, r.host_country),
                start: r.check_in,
                end: r.check_out,
            }
        })
        .collect();
    Ok(Some(ical::feed("Co-op & Travel trips", &events)))
}
