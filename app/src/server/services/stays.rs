//! The heart of Co-op & Travel: a traveller asks, the host co-op accepts (holding the nights), a coordinator of
//! their shared network approves. Every transition goes through `domain::stay::transition`, changes the calendar
//! in the same transaction, is recorded as an event, and notifies the people involved exactly once.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::domain::account::{bounded_text, single_line};
use crate::domain::notice::{Audience, EmailMode, Topic, kind};
use crate::domain::{
    CapacityEffect, CountryCode, DateRange, DomainError, LatLon, OfferId, Purpose, StayAction, StayActor,
    StayRequestId, StayStatus, Timing, TripId, UserId,
};
use crate::error::Refusal;
use crate::server::auth::SessionUser;
use crate::server::authz::{self, Actor};
use crate::server::services::coops::zone as coop_zone;
use crate::server::services::safety::{self, Limits, Sent};
use crate::server::store::notifications::NewNotice;
use crate::server::store::safety as safety_store;
use crate::server::store::stays::{self, StayDetailRow};
use crate::server::store::{calendar, coops, networks, notifications, offers, users};
use crate::server::{Db, ServiceError, StoreError, Tx};
use crate::server::{Today, notices};
use crate::views::notifications::{NotificationView, NotificationsView};
use crate::views::stays::{
    InboxItem, MessageView, NightView, StayDetail, StayEventView, StaySummary, TripLeg, TripSummary, TripView,
};

/// How much of a message its notification quotes.
const MESSAGE_PREVIEW: usize = 500;

/// A stay request as typed in the form.
pub struct NewRequest {
    pub offer: OfferId,
    pub check_in: String,
    pub check_out: String,
    pub guests: i32,
    pub purpose: String,
    pub message: String,
    pub skills_offered: String,
    /// The trip this stay is a leg of, if any (the traveller's own).
    pub trip: Option<TripId>,
}

fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ServiceError::Invalid(Refusal::NotADate { field: field.into() }))
}

fn parse_range(check_in: &str, check_out: &str) -> Result<DateRange, ServiceError> {
    Ok(DateRange::new(parse_date(check_in, "check-in")?, parse_date(check_out, "check-out")?)?)
}

fn no_longer_available() -> ServiceError {
    ServiceError::Conflict(Refusal::NightsTaken)
}

/// Checks the request against the offer's rules and calendar; the error says which rule or night failed.
async fn check_offer_rules(
    tx: &mut Tx,
    offer: &offers::OfferRulesRow,
    range: DateRange,
    guests: i32,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    if guests < 1 || guests > offer.default_capacity.max(1) {
        return Err(ServiceError::Invalid(Refusal::GuestsForOffer { max: offer.default_capacity }));
    }
    let nights = range.nights();
    if nights < i64::from(offer.min_nights) || nights > i64::from(offer.max_nights) {
        return Err(ServiceError::Invalid(Refusal::NightsForOffer { min: offer.min_nights, max: offer.max_nights }));
    }
    let earliest = today
        .checked_add_days(Days::new(u64::try_from(offer.notice_days).unwrap_or(0)))
        .ok_or_else(|| ServiceError::Internal("date overflow".into()))?;
    if range.check_in() < earliest {
        return Err(ServiceError::Invalid(Refusal::Notice { days: offer.notice_days, earliest }));
    }
    let rows = calendar::nights(tx, offer.offer_id, range).await?;
    for night in range.iter_nights() {
        match rows.iter().find(|row| row.night == night) {
            None => return Err(ServiceError::Invalid(Refusal::NightNotOpen { night })),
            Some(row) if row.capacity - row.reserved < guests => {
                let free = (row.capacity - row.reserved).max(0);
                return Err(ServiceError::Conflict(Refusal::NightFewPlaces { night, free }));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A traveller asks to stay. One transaction: rules, calendar, network, overlap, insert, notifications.
pub async fn request(
    db: &Db,
    actor: &Actor,
    new: &NewRequest,
    today: impl Into<Today>,
    limits: Limits,
) -> Result<StayRequestId, ServiceError> {
    let today = today.into();
    let moment = today.moment();
    let user = actor.require_user()?;
    let range = parse_range(&new.check_in, &new.check_out)?;
    let purpose = Purpose::parse(&new.purpose)?;
    let message = bounded_text(&new.message, "message", 0, 4000)?;
    let skills = bounded_text(&new.skills_offered, "skills", 0, 1000)?;
    let mut tx = db.begin_write().await?;
    // One request of this traveller at a time from here to the commit: the overlap check below and the insert
    // must not interleave with another of theirs (200 at once got up to 15 through on PostgreSQL).
    users::lock(&mut tx, user.id).await?;
    let offer = offers::find(&mut tx, new.offer).await?.ok_or(ServiceError::NotFound)?;
    if offer.status != "published" {
        return Err(ServiceError::NotFound);
    }
    let my_coops = users::coops_of(&mut tx, user.id).await?;
    if my_coops.iter().any(|c| c.coop_id == offer.coop_id) {
        return Err(ServiceError::Invalid(Refusal::OwnCoop));
    }
    let mut route = None;
    for coop in &my_coops {
        if let Some((network, auto)) =
            coops::shared_verified_networks(&mut tx, coop.coop_id, offer.coop_id).await?.first().copied()
        {
            route = Some((coop.coop_id, network, auto));
            break;
        }
    }
    let Some((traveller_coop, network, _)) = route else {
        return Err(ServiceError::Invalid(Refusal::NoSharedNetwork));
    };
    let hosts = coops::host_admin_ids(&mut tx, offer.coop_id).await?;
    safety::require_not_apart(&mut tx, user.id, &hosts).await?;
    if stays::overlapping_active(&mut tx, user.id, range).await? > 0 {
        return Err(ServiceError::Conflict(Refusal::OverlappingRequest));
    }
    // Notice days count from the host co-op's date.
    let today = today.in_zone(coop_zone(&mut tx, offer.coop_id).await?);
    check_offer_rules(&mut tx, &offer, range, new.guests, today).await?;
    let text = format!("{message}\n{skills}");
    safety::count_new_account(&mut tx, user.id, Sent::StayRequest, &text, limits, moment).await?;
    if let Some(trip) = new.trip {
        // Legs never overlap: the overlapping-request check above already refuses that.
        match stays::find_trip(&mut tx, trip).await? {
            Some(row) if row.traveller_id == user.id => {}
            _ => return Err(ServiceError::NotFound),
        }
    }
    let id = stays::insert(
        &mut tx,
        &stays::NewStayRequest {
            traveller: user.id,
            traveller_coop,
            offer: offer.offer_id,
            network,
            range,
            guests: new.guests,
            purpose,
            message: &message,
            skills_offered: &skills,
        },
    )
    .await?;
    if let Some(trip) = new.trip {
        stays::set_trip(&mut tx, id, Some(trip)).await?;
    }
    let event = stays::last_event(&mut tx, id).await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    // The host reads the traveller's message in the notice.
    let preview: String = message.chars().take(MESSAGE_PREVIEW).collect();
    notify(&mut tx, &row, event, StayStatus::Requested, Some(user.id), &preview).await?;
    tx.commit().await?;
    tracing::info!(stay_request_id = %id, user_id = %user.id, "stay requested");
    Ok(id)
}

/// The roles the user holds on this request.
struct Roles {
    traveller: bool,
    host: bool,
    coordinator: bool,
}

impl Roles {
    /// Coordinates the request's network and is no party to it: nobody approves or rejects a visit in which they
    /// travel or host, not even an admin — another coordinator must.
    fn may_coordinate(&self) -> bool {
        self.coordinator && !self.traveller && !self.host
    }
}

/// Refuses to accept or approve a request whose co-ops are no longer both verified in its network, or whose
/// traveller has left their co-op since asking.
async fn require_still_eligible(tx: &mut Tx, row: &StayDetailRow) -> Result<(), ServiceError> {
    let shared = coops::shared_verified_networks(tx, row.traveller_coop_id, row.host_coop_id).await?;
    if !shared.iter().any(|(network, _)| *network == row.network_id) {
        return Err(ServiceError::Conflict(Refusal::NoLongerVerified));
    }
    if !coops::is_member(tx, row.traveller_coop_id, row.traveller_id).await? {
        return Err(ServiceError::Conflict(Refusal::TravellerLeftCoop));
    }
    Ok(())
}

async fn roles(tx: &mut Tx, user: &SessionUser, row: &StayDetailRow) -> Result<Roles, ServiceError> {
    Ok(Roles {
        traveller: row.traveller_id == user.id,
        host: authz::hosts(tx, user, row.host_coop_id).await?,
        coordinator: user.is_admin || authz::coordinates(tx, user, row.network_id).await?,
    })
}

fn timing(row: &StayDetailRow, today: NaiveDate) -> Timing {
    if today < row.check_in {
        Timing::BeforeCheckIn
    } else if today >= row.check_out {
        Timing::AfterCheckOut
    } else {
        Timing::During
    }
}

fn status_of(row: &StayDetailRow) -> Result<StayStatus, ServiceError> {
    Ok(StayStatus::parse(&row.status)?)
}

fn range_of(row: &StayDetailRow) -> Result<DateRange, ServiceError> {
    Ok(DateRange::new(row.check_in, row.check_out)?)
}

/// Applies one allowed transition inside `tx`: the calendar, the status, the event, the notifications.
async fn apply(
    tx: &mut Tx,
    row: &StayDetailRow,
    action: StayAction,
    actor: StayActor,
    by: Option<UserId>,
    note: &str,
    today: NaiveDate,
    told: Tell<'_>,
) -> Result<StayStatus, ServiceError> {
    let from = status_of(row)?;
    let step = crate::domain::stay::transition(from, action, actor, timing(row, today))?;
    let range = range_of(row)?;
    match step.capacity {
        CapacityEffect::Hold => {
            if !calendar::hold(tx, row.offer_id, range, row.guests).await? {
                return Err(no_longer_available());
            }
        }
        CapacityEffect::Release => {
            if !calendar::release(tx, row.offer_id, range, row.guests).await? {
                return Err(ServiceError::Internal(format!(
                    "request {} held no places to release",
                    row.stay_request_id
                )));
            }
        }
        CapacityEffect::None => {}
    }
    let event = match stays::transition(tx, row.stay_request_id, by, from, step.to, note).await {
        Ok(event) => event,
        // Someone else moved the request first: the caller retries from the new state, or gives up.
        Err(StoreError::NotFound) => return Err(ServiceError::Conflict(Refusal::RequestChanged)),
        Err(other) => return Err(other.into()),
    };
    match told {
        Tell::Everyone => notify(tx, row, event, step.to, by, note).await?,
        Tell::As(by, note) => notify(tx, row, event, step.to, Some(by), note).await?,
        Tell::Nobody => {}
    }
    Ok(step.to)
}

/// Whom a transition tells, and as whose doing.
#[derive(Clone, Copy)]
enum Tell<'a> {
    /// The people involved, about what `by` did and their note.
    Everyone,
    /// The people involved, as if `by` did it with this note: an acceptance that the network approves at once
    /// is told as one confirmation by the host, with the host's note.
    As(UserId, &'a str),
    /// Nobody: what follows in the same transaction tells it.
    Nobody,
}

/// A person acts on a request in the role the action needs.
pub async fn act(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    action: StayAction,
    note: &str,
    suggestion: (Option<String>, Option<String>),
    today: impl Into<Today>,
) -> Result<StayStatus, ServiceError> {
    let user = actor.require_user()?;
    let note = bounded_text(note, "note", 0, 1000)?;
    let mut tx = db.begin_write().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let today = today.into().in_zone(coop_zone(&mut tx, row.host_coop_id).await?);
    let roles = roles(&mut tx, user, &row).await?;
    if !(roles.traveller || roles.host || roles.coordinator) {
        return Err(ServiceError::NotFound);
    }
    let as_role = match action {
        StayAction::Accept | StayAction::Decline | StayAction::SuggestDates if roles.host => StayActor::Host,
        StayAction::Approve | StayAction::Reject if roles.may_coordinate() => StayActor::Coordinator,
        StayAction::Withdraw if roles.traveller => StayActor::Traveller,
        StayAction::Cancel if roles.traveller => StayActor::Traveller,
        StayAction::Cancel if roles.host => StayActor::Host,
        _ => return Err(ServiceError::Forbidden),
    };
    if action == StayAction::SuggestDates {
        let (Some(check_in), Some(check_out)) = suggestion else {
            return Err(ServiceError::Invalid(Refusal::SuggestBothDates));
        };
        let range = parse_range(&check_in, &check_out)?;
        if range.check_in() < today {
            return Err(ServiceError::Invalid(Refusal::SuggestedDatesPast));
        }
        stays::set_suggestion(&mut tx, id, range).await?;
    }
    if matches!(action, StayAction::Accept | StayAction::Approve) {
        require_still_eligible(&mut tx, &row).await?;
    }
    let approved_at_once = action == StayAction::Accept && auto_approves(&mut tx, &row).await?;
    let told = if approved_at_once { Tell::Nobody } else { Tell::Everyone };
    let mut status = apply(&mut tx, &row, action, as_role, Some(user.id), &note, today, told).await?;
    if status == StayStatus::Accepted && approved_at_once {
        // The network approves visits between its verified co-ops itself: the trail shows the system's
        // approval (the page words it), and the people involved hear once, from the host.
        let accepted = StayDetailRow { status: StayStatus::Accepted.as_str().to_owned(), ..row.clone() };
        let told = Tell::As(user.id, &note);
        status = apply(&mut tx, &accepted, StayAction::Approve, StayActor::System, None, "", today, told).await?;
    }
    tx.commit().await?;
    tracing::info!(stay_request_id = %id, user_id = %user.id, action = action.as_str(), to = status.as_str(), "stay request moved");
    Ok(status)
}

/// Whether the request's network approves visits between its verified co-ops without a coordinator.
async fn auto_approves(tx: &mut Tx, row: &StayDetailRow) -> Result<bool, ServiceError> {
    let shared = coops::shared_verified_networks(tx, row.traveller_coop_id, row.host_coop_id).await?;
    Ok(shared.iter().any(|(network, auto)| *network == row.network_id && *auto))
}

/// The traveller turns the host's suggested dates into a new request (same offer, guests, purpose and message).
pub async fn rebook(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    today: impl Into<Today>,
    limits: Limits,
) -> Result<StayRequestId, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    if row.traveller_id != user.id {
        return Err(ServiceError::NotFound);
    }
    let (Some(check_in), Some(check_out)) = (row.suggested_check_in, row.suggested_check_out) else {
        return Err(ServiceError::Invalid(Refusal::NoSuggestion));
    };
    let new = NewRequest {
        offer: row.offer_id,
        check_in: check_in.to_string(),
        check_out: check_out.to_string(),
        guests: row.guests,
        purpose: row.purpose,
        message: row.message,
        skills_offered: row.skills_offered,
        trip: row.trip_id,
    };
    request(db, actor, &new, today, limits).await
}

/// The people a request concerns, each once in their first part: its traveller, its host co-op's admins and the
/// `coordinators` given; never `except` (the person acting).
async fn readers(
    tx: &mut Tx,
    row: &StayDetailRow,
    coordinators: &[UserId],
    except: Option<UserId>,
) -> Result<Vec<(UserId, Audience)>, ServiceError> {
    let mut people = vec![(row.traveller_id, Audience::Traveller)];
    people.extend(coops::host_admin_ids(tx, row.host_coop_id).await?.into_iter().map(|u| (u, Audience::Host)));
    people.extend(coordinators.iter().map(|u| (*u, Audience::Coordinator)));
    let mut seen = HashSet::new();
    people.retain(|(user, _)| Some(*user) != except && seen.insert(*user));
    Ok(people)
}

/// Tells the people involved about a request's event. Coordinators hear only of what waits for them: an accepted
/// request to approve.
async fn notify(
    tx: &mut Tx,
    row: &StayDetailRow,
    event: i64,
    to: StayStatus,
    by: Option<UserId>,
    note: &str,
) -> Result<(), ServiceError> {
    let coordinators =
        if to == StayStatus::Accepted { networks::coordinator_ids(tx, row.network_id).await? } else { vec![] };
    let people = readers(tx, row, &coordinators, by).await?;
    let notice = |topic| NewNotice {
        kind: to.as_str(),
        topic,
        request: Some(row.stay_request_id),
        event: Some(event),
        message: None,
        network: None,
        coop: None,
        actor: by,
        body: note,
    };
    let (approvers, others): (Vec<_>, Vec<_>) = people.into_iter().partition(|(_, a)| *a == Audience::Coordinator);
    notifications::notify(tx, &others, &notice(Topic::Stays)).await?;
    notifications::notify(tx, &approvers, &notice(Topic::Approvals)).await?;
    Ok(())
}

fn summary(row: &StayDetailRow) -> Result<StaySummary, ServiceError> {
    Ok(StaySummary {
        id: row.stay_request_id,
        offer_id: row.offer_id,
        offer_title: row.offer_title.clone(),
        offer_kind: row.offer_kind.clone(),
        host_coop_slug: row.host_coop_slug.clone(),
        host_coop_name: row.host_coop_name.clone(),
        traveller_id: row.traveller_id,
        traveller_name: row.traveller_name.clone(),
        traveller_coop_slug: row.traveller_coop_slug.clone(),
        traveller_coop_name: row.traveller_coop_name.clone(),
        network_name: row.network_name.clone(),
        check_in: row.check_in,
        check_out: row.check_out,
        nights: (row.check_out - row.check_in).num_days(),
        guests: row.guests,
        purpose: Purpose::parse(&row.purpose)?,
        message: row.message.clone(),
        skills_offered: row.skills_offered.clone(),
        status: StayStatus::parse(&row.status)?,
        suggested: row.suggested_check_in.zip(row.suggested_check_out),
        trip: row.trip_id,
    })
}

/// The actions the roles allow from the request's current state, today.
fn available_actions(row: &StayDetailRow, roles: &Roles, today: NaiveDate) -> Vec<StayAction> {
    let Ok(from) = StayStatus::parse(&row.status) else { return vec![] };
    let mut actions = Vec::new();
    for &action in StayAction::ALL {
        let mut as_roles = Vec::new();
        if roles.traveller {
            as_roles.push(StayActor::Traveller);
        }
        if roles.host {
            as_roles.push(StayActor::Host);
        }
        if roles.may_coordinate() {
            as_roles.push(StayActor::Coordinator);
        }
        if as_roles.iter().any(|r| crate::domain::stay::transition(from, action, *r, timing(row, today)).is_ok()) {
            actions.push(action);
        }
    }
    actions
}

pub async fn detail(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    today: impl Into<Today>,
) -> Result<StayDetail, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let today = today.into().in_zone(coop_zone(&mut tx, row.host_coop_id).await?);
    let roles = roles(&mut tx, user, &row).await?;
    if !(roles.traveller || roles.host || roles.coordinator) {
        // Not theirs: do not even confirm it exists.
        return Err(ServiceError::NotFound);
    }
    let events = stays::events(&mut tx, id).await?;
    let messages = stays::messages(&mut tx, id).await?;
    let references = super::trust::of_stay(&mut tx, user, &row, roles.may_coordinate(), today).await?;
    let letters = super::letters::of_stay(&mut tx, &row, roles.host).await?;
    tx.commit().await?;
    let confirmed = matches!(row.status.as_str(), "confirmed" | "completed");
    let address = (roles.host || (roles.traveller && confirmed)).then(|| row.address.clone());
    Ok(StayDetail {
        stay: summary(&row)?,
        address,
        actions: available_actions(&row, &roles, today),
        is_traveller: roles.traveller,
        references,
        letters,
        events: events
            .into_iter()
            .map(|e| {
                Ok(StayEventView {
                    actor: e.actor,
                    from: e.from_status.as_deref().map(StayStatus::parse).transpose()?,
                    to: StayStatus::parse(&e.to_status)?,
                    note: e.note,
                    at: e.created_at,
                })
            })
            .collect::<Result<_, ServiceError>>()?,
        messages: messages
            .into_iter()
            .map(|m| MessageView {
                id: m.stay_message_id,
                author: m.author.unwrap_or_default(),
                body: if m.hidden { String::new() } else { m.body },
                hidden: m.hidden,
                mine: m.author_id == Some(user.id),
                at: m.created_at,
            })
            .collect(),
    })
}

pub async fn post_message(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    body: &str,
    now: DateTime<Utc>,
    limits: Limits,
) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let body = bounded_text(body, "message", 1, 4000)?;
    let mut tx = db.begin_write().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let roles = roles(&mut tx, user, &row).await?;
    if !(roles.traveller || roles.host || roles.coordinator) {
        return Err(ServiceError::NotFound);
    }
    // The other side: the host admins for the traveller, the traveller for a host admin, both for a coordinator.
    let hosts = coops::host_admin_ids(&mut tx, row.host_coop_id).await?;
    let mut others: Vec<UserId> = match (roles.traveller, roles.may_coordinate()) {
        (true, _) => hosts,
        (false, true) => hosts.into_iter().chain([row.traveller_id]).collect(),
        (false, false) => vec![row.traveller_id],
    };
    others.retain(|u| *u != user.id);
    safety::require_not_apart(&mut tx, user.id, &others).await?;
    let traveller_suspended = users::find_by_id(&mut tx, row.traveller_id).await?.is_some_and(|t| t.is_suspended(now));
    if !roles.traveller && traveller_suspended {
        return Err(ServiceError::Conflict(Refusal::Unreachable));
    }
    if !safety_store::has_written(&mut tx, id, user.id).await? {
        safety::count_new_account(&mut tx, user.id, Sent::FirstMessage, &body, limits, now).await?;
    }
    let message = stays::add_message(&mut tx, id, user.id, &body).await?;
    // Coordinators hear of a thread's messages once they have written in it themselves.
    let authors = stays::message_authors(&mut tx, id).await?;
    let coordinators: Vec<UserId> =
        networks::coordinator_ids(&mut tx, row.network_id).await?.into_iter().filter(|c| authors.contains(c)).collect();
    let people = readers(&mut tx, &row, &coordinators, Some(user.id)).await?;
    let preview: String = body.chars().take(MESSAGE_PREVIEW).collect();
    let notice = NewNotice {
        kind: kind::MESSAGE,
        topic: Topic::Messages,
        request: Some(id),
        event: None,
        message: Some(message),
        network: None,
        coop: None,
        actor: Some(user.id),
        body: &preview,
    };
    notifications::notify(&mut tx, &people, &notice).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn mine(db: &Db, actor: &Actor) -> Result<Vec<StaySummary>, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.reader().await?;
    let rows = stays::for_traveller(&mut tx, user.id).await?;
    tx.commit().await?;
    rows.iter().map(summary).collect()
}

pub async fn inbox(db: &Db, actor: &Actor) -> Result<Vec<InboxItem>, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let rows = stays::inbox(&mut tx, user.id).await?;
    let mut nights: HashMap<StayRequestId, Vec<NightView>> = HashMap::new();
    for n in stays::inbox_nights(&mut tx, user.id).await? {
        nights.entry(n.stay_request_id).or_default().push(NightView::new(n.night, n.capacity, n.reserved, true));
    }
    tx.commit().await?;
    rows.iter()
        .map(|row| {
            let wanted = crate::domain::trust::tags(&row.skills_wanted);
            let mut brought = crate::domain::trust::tags(&row.skills_offered);
            brought.extend(crate::domain::trust::tags(&row.traveller_skills));
            let matching_skills =
                crate::domain::trust::matching(&wanted, &brought).into_iter().map(str::to_owned).collect();
            Ok(InboxItem {
                stay: summary(row)?,
                nights: nights.remove(&row.stay_request_id).unwrap_or_default(),
                matching_skills,
            })
        })
        .collect()
}

pub async fn approvals(db: &Db, actor: &Actor) -> Result<Vec<StaySummary>, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.reader().await?;
    let rows = stays::approval_queue(&mut tx, user.id, user.is_admin).await?;
    tx.commit().await?;
    rows.iter().map(summary).collect()
}

/// The background task's work: completes confirmed stays after check-out and expires requests still waiting at
/// check-in. Idempotent: each transition only applies from the state it expects. Returns how many moved.
pub async fn run_due(db: &Db, today: impl Into<Today>) -> Result<usize, ServiceError> {
    let today = today.into();
    // Due somewhere on Earth; each is then judged by its host co-op's date.
    let mut tx = db.begin_read().await?;
    let due = stays::due(&mut tx, today.latest()).await?;
    tx.commit().await?;
    let mut moved = 0;
    for candidate in due {
        let action = if candidate.status == "confirmed" { StayAction::Complete } else { StayAction::Expire };
        let mut tx = db.begin_write().await?;
        let Some(row) = stays::find(&mut tx, candidate.stay_request_id).await? else { continue };
        let today = today.in_zone(coop_zone(&mut tx, row.host_coop_id).await?);
        match apply(&mut tx, &row, action, StayActor::System, None, "", today, Tell::Everyone).await {
            Ok(_) => {
                tx.commit().await?;
                moved += 1;
            }
            // Moved by someone else since we looked, or not due any more: nothing to do.
            Err(ServiceError::Domain(DomainError::TransitionNotAllowed { .. }) | ServiceError::Conflict(_)) => {
                tx.rollback().await?;
            }
            Err(other) => return Err(other),
        }
    }
    Ok(moved)
}

pub async fn notifications(db: &Db, actor: &Actor) -> Result<NotificationsView, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let items = notifications::list(&mut tx, user.id, 100).await?;
    let unread = notifications::unread_count(&mut tx, user.id).await?;
    let email = notifications::email_modes(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(NotificationsView {
        unread,
        email,
        items: items
            .iter()
            .map(|n| NotificationView {
                id: n.notification_id,
                notice: notices::notice(n),
                unread: n.read_at.is_none(),
                at: n.created_at,
            })
            .collect(),
    })
}

pub async fn mark_read(db: &Db, actor: &Actor) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_write().await?;
    notifications::mark_all_read(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets how each topic is e-mailed to the person (topics left out keep their setting).
pub async fn set_email(db: &Db, actor: &Actor, modes: &[(Topic, EmailMode)]) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    if let Some((topic, _)) = modes.iter().find(|(t, _)| !Topic::CHOSEN.contains(t)) {
        return Err(ServiceError::Invalid(Refusal::UnknownValue {
            field: "topic".into(),
            value: topic.as_str().into(),
        }));
    }
    let mut tx = db.begin_write().await?;
    for (topic, mode) in modes {
        notifications::set_email_mode(&mut tx, user.id, *topic, *mode).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The traveller files one of their requests under one of their trips, or under none: after sending it too.
pub async fn set_trip(db: &Db, actor: &Actor, id: StayRequestId, trip: Option<TripId>) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_write().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if row.traveller_id != user.id {
        return Err(ServiceError::NotFound);
    }
    if let Some(trip) = trip {
        match stays::find_trip(&mut tx, trip).await? {
            Some(found) if found.traveller_id == user.id => {}
            _ => return Err(ServiceError::NotFound),
        }
    }
    stays::set_trip(&mut tx, id, trip).await?;
    tx.commit().await?;
    Ok(())
}

/// A traveller starts a multi-stop trip; its legs are stay requests, each with its own workflow.
pub async fn create_trip(db: &Db, actor: &Actor, title: &str) -> Result<TripId, ServiceError> {
    let user = actor.require_user()?;
    let title = single_line(title, "title", 1, 120)?;
    let mut tx = db.begin_write().await?;
    let id = stays::insert_trip(&mut tx, user.id, &title).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn my_trips(db: &Db, actor: &Actor) -> Result<Vec<TripSummary>, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let trips = stays::trips_of(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(trips
        .into_iter()
        .map(|t| TripSummary { id: t.trip_id, title: t.title, legs: usize::try_from(t.legs).unwrap_or(0) })
        .collect())
}

/// A trip's legs in travel order, with the distance from one host to the next (public locations).
pub async fn trip(db: &Db, actor: &Actor, id: TripId) -> Result<TripView, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.begin_read().await?;
    let trip = stays::find_trip(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if trip.traveller_id != user.id && !user.is_admin {
        return Err(ServiceError::NotFound);
    }
    let rows = stays::for_trip(&mut tx, id).await?;
    tx.commit().await?;
    let mut legs = Vec::with_capacity(rows.len());
    let mut previous: Option<LatLon> = None;
    let mut total_km = 0.0;
    for row in &rows {
        let here = LatLon::new(row.host_lat, row.host_lon)?;
        let km = previous.map(|from| from.distance_m(&here) / 1000.0);
        total_km += km.unwrap_or(0.0);
        previous = Some(here);
        legs.push(TripLeg {
            stay: summary(row)?,
            city: row.host_city.clone(),
            country: CountryCode::parse(&row.host_country)?,
            lat: row.host_lat,
            lon: row.host_lon,
            km_from_previous: km.map(f64::round),
        });
    }
    Ok(TripView { id, title: trip.title, legs, total_km: total_km.round() })
}
