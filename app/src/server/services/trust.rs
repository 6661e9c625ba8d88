//! Trust between co-ops: references after a completed stay, member profiles, a co-op's reputation and its ledger
//! of guest-nights hosted and sent. Everything is read over the stays of the networks the reader belongs to (see
//! `store::trust`), and derived from the stays themselves: there is no second source of truth to drift.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};

use crate::domain::account::{bounded_text, languages};
use crate::domain::notice::{Audience, Topic, reference};
use crate::domain::trust::{self as rules, Side};
use crate::domain::{CountryCode, StayRequestId, StayStatus, UserId};
use crate::error::Refusal;
use crate::server::auth::SessionUser;
use crate::server::authz::{self, Actor};
use crate::server::services::coops::zone as coop_zone;
use crate::server::store::notifications::{self, NewNotice};
use crate::server::store::stays::{self, StayDetailRow};
use crate::server::store::trust::{self, ListedReferenceRow, NewReference, StayFactRow, Viewer};
use crate::server::store::{coops, networks, safety, users};
use crate::server::{Db, ServiceError, StoreError, Today, Tx};
use crate::views::trust::{
    CoopTrustView, Ledger, LedgerLine, PrivateNote, ProfileCoop, ProfileForm, ProfileView, ReferenceView, Reputation,
    StayReferences,
};

/// How far back the response rate and the answer time look.
const ANSWER_WINDOW_DAYS: i64 = 365;

fn viewer(user: &SessionUser) -> Viewer {
    Viewer { user: user.id, admin: user.is_admin }
}

/// The earliest date on Earth (UTC−12): a lone reference shows only once its window has closed everywhere, so
/// no side can read the other's before writing, wherever the host is.
fn earliest(today: Today) -> NaiveDate {
    today.in_zone(chrono_tz::Tz::Etc__GMTPlus12)
}

/// A reference as typed in the form.
pub struct NewReferenceForm<'a> {
    pub recommend: bool,
    pub body: &'a str,
    pub private_note: &'a str,
}

/// The side `user` writes for on this stay: its traveller, or a host admin of its host co-op.
async fn side_of(tx: &mut Tx, user: &SessionUser, row: &StayDetailRow) -> Result<Option<Side>, ServiceError> {
    if row.traveller_id == user.id {
        return Ok(Some(Side::Traveller));
    }
    let host = authz::hosts(tx, user, row.host_coop_id).await?;
    Ok(host.then_some(Side::Host))
}

/// A party to a completed stay writes its reference, within 14 days of check-out (the host co-op's date). The
/// other side is told once; the network's coordinators hear of a reference that does not recommend, or of a note
/// written to them.
pub async fn write_reference(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    form: &NewReferenceForm<'_>,
    today: impl Into<Today>,
) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let body = bounded_text(form.body, "reference", 1, 2000)?;
    let note = bounded_text(form.private_note, "note to the coordinators", 0, 2000)?;
    let mut tx = db.begin_write().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let Some(side) = side_of(&mut tx, user, &row).await? else {
        // A coordinator reads the stay but writes no reference; anyone else does not learn it exists.
        let coordinator = user.is_admin || authz::coordinates(&mut tx, user, row.network_id).await?;
        return Err(if coordinator { ServiceError::Forbidden } else { ServiceError::NotFound });
    };
    if StayStatus::parse(&row.status)? != StayStatus::Completed {
        return Err(ServiceError::Invalid(Refusal::ReferenceAfterStay));
    }
    let today = today.into();
    let at = today.moment();
    let today = today.in_zone(coop_zone(&mut tx, row.host_coop_id).await?);
    if !rules::may_write(row.check_out, today) {
        return Err(ServiceError::Invalid(Refusal::ReferenceWindowClosed {
            last_day: rules::last_day_to_write(row.check_out),
        }));
    }
    let new = NewReference {
        stay: id,
        side,
        author: user.id,
        recommend: form.recommend,
        body: &body,
        private_note: &note,
        at,
    };
    match trust::insert_reference(&mut tx, &new).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(ServiceError::Conflict(Refusal::ReferenceWritten)),
        Err(other) => return Err(other.into()),
    }
    let written = trust::of_stay(&mut tx, id).await?;
    let other_wrote = written.iter().any(|r| r.side == side.other().as_str());
    let others: Vec<(UserId, Audience)> = match side {
        Side::Traveller => {
            coops::host_admin_ids(&mut tx, row.host_coop_id).await?.into_iter().map(|u| (u, Audience::Host)).collect()
        }
        Side::Host => vec![(row.traveller_id, Audience::Traveller)],
    };
    let others: Vec<_> = others.into_iter().filter(|(u, _)| *u != user.id).collect();
    let notice = |kind, topic, body| NewNotice {
        kind,
        topic,
        request: Some(id),
        event: None,
        message: None,
        network: None,
        coop: None,
        actor: Some(user.id),
        body,
    };
    let told = if other_wrote { reference::SHOWN } else { reference::WRITTEN };
    notifications::notify(&mut tx, &others, &notice(told, Topic::Stays, "")).await?;
    if !form.recommend || !note.is_empty() {
        let parties = [row.traveller_id, user.id];
        let coordinators: Vec<(UserId, Audience)> = networks::coordinator_ids(&mut tx, row.network_id)
            .await?
            .into_iter()
            .filter(|c| !parties.contains(c))
            .map(|c| (c, Audience::Coordinator))
            .collect();
        let kind = if form.recommend { reference::NOTE } else { reference::NOT_RECOMMENDED };
        notifications::notify(&mut tx, &coordinators, &notice(kind, Topic::Approvals, &note)).await?;
    }
    tx.commit().await?;
    tracing::info!(stay_request_id = %id, user_id = %user.id, side = side.as_str(), "reference written");
    Ok(())
}

/// The references of a stay as `user` may see them on its page (they already may read the stay): each party
/// reads its own, and the other's once both wrote or the window closed; the network's coordinators read what
/// shows, and the notes written to them.
pub async fn of_stay(
    tx: &mut Tx,
    user: &SessionUser,
    row: &StayDetailRow,
    coordinator: bool,
    today: NaiveDate,
) -> Result<StayReferences, ServiceError> {
    let completed = row.status == StayStatus::Completed.as_str();
    let written = trust::of_stay(tx, row.stay_request_id).await?;
    let mine = side_of(tx, user, row).await?;
    let mut shown = Vec::new();
    let mut waiting = Vec::new();
    let mut notes = Vec::new();
    for r in &written {
        let side = Side::parse(&r.side)?;
        let other_wrote = written.iter().any(|o| o.side == side.other().as_str());
        let visible = Some(side) == mine || rules::reference_shows(other_wrote, row.check_out, today);
        let author = r.author_name.clone().unwrap_or_default();
        if coordinator && (!r.private_note.is_empty() || !r.recommend) {
            notes.push(PrivateNote {
                side,
                author: author.clone(),
                recommend: r.recommend,
                note: r.private_note.clone(),
            });
        }
        if visible {
            let (author_coop, about) =
                author_and_about(side, &row.traveller_coop_name, &row.host_coop_name, &row.traveller_name);
            shown.push(ReferenceView {
                stay: row.stay_request_id,
                side,
                author,
                author_id: r.author_id,
                author_coop,
                about,
                recommend: r.recommend,
                body: r.body.clone(),
                at: r.created_at,
                check_out: row.check_out,
            });
        } else {
            waiting.push(side);
        }
    }
    let may_write = mine.filter(|side| {
        completed && rules::may_write(row.check_out, today) && !written.iter().any(|r| r.side == side.as_str())
    });
    Ok(StayReferences {
        may_write,
        last_day: completed.then(|| rules::last_day_to_write(row.check_out)),
        shown,
        waiting,
        notes,
    })
}

/// For whom a reference's author writes and whom it is about: the traveller writes for their co-op about the host
/// co-op, the host co-op about the traveller.
fn author_and_about(side: Side, traveller_coop: &str, host_coop: &str, traveller: &str) -> (String, String) {
    let (author_coop, about) = match side {
        Side::Traveller => (traveller_coop, host_coop),
        Side::Host => (host_coop, traveller),
    };
    (author_coop.to_owned(), about.to_owned())
}

fn listed(row: ListedReferenceRow) -> Result<ReferenceView, ServiceError> {
    let side = Side::parse(&row.side)?;
    let (author_coop, about) =
        author_and_about(side, &row.traveller_coop_name, &row.host_coop_name, &row.traveller_name);
    Ok(ReferenceView {
        stay: row.stay_request_id,
        side,
        author: row.author_name.unwrap_or_default(),
        author_id: row.author_id,
        author_coop,
        about,
        recommend: row.recommend,
        body: row.body,
        at: row.created_at,
        check_out: row.check_out,
    })
}

/// The median of some answer times in minutes, in whole hours rounded up (at least one).
fn median_hours(minutes: Vec<i64>) -> Option<i64> {
    rules::median(minutes).map(|m| ((m + 59) / 60).max(1))
}

/// Records as CSV text; `what` names the file in an error.
pub(crate) fn csv_text(what: &str, records: impl IntoIterator<Item = Vec<String>>) -> Result<String, ServiceError> {
    let fail = |e: &dyn std::fmt::Display| ServiceError::Internal(format!("{what} CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    for record in records {
        out.write_record(&record).map_err(|e| fail(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}

fn guest_nights(row: &StayFactRow) -> i64 {
    (row.check_out - row.check_in).num_days() * i64::from(row.guests)
}

/// The co-op's ledger from its stays: completed ones count, hosted and sent, per partner co-op and per network.
pub fn ledger(coop: crate::domain::CoopId, rows: &[StayFactRow]) -> Ledger {
    let mut partners: BTreeMap<String, LedgerLine> = BTreeMap::new();
    let mut by_network: BTreeMap<String, LedgerLine> = BTreeMap::new();
    let (mut hosted, mut sent) = (0, 0);
    let line = LedgerLine::empty;
    for row in rows.iter().filter(|r| r.status == StayStatus::Completed.as_str()) {
        let nights = guest_nights(row);
        let network =
            by_network.entry(row.network_slug.clone()).or_insert_with(|| line(&row.network_slug, &row.network_name));
        if row.host_coop_id == coop {
            hosted += nights;
            network.hosted += nights;
            partners
                .entry(row.traveller_coop_slug.clone())
                .or_insert_with(|| line(&row.traveller_coop_slug, &row.traveller_coop_name))
                .hosted += nights;
        }
        if row.traveller_coop_id == coop {
            sent += nights;
            network.sent += nights;
            partners
                .entry(row.host_coop_slug.clone())
                .or_insert_with(|| line(&row.host_coop_slug, &row.host_coop_name))
                .sent += nights;
        }
    }
    let mut partners: Vec<LedgerLine> = partners.into_values().collect();
    partners.sort_by_key(|line| line.name.to_lowercase());
    Ledger { hosted, sent, partners, networks: by_network.into_values().collect() }
}

/// How the co-op answers and hosts, from its stays and the references about it.
pub fn reputation(
    coop: crate::domain::CoopId,
    rows: &[StayFactRow],
    references: &[ReferenceView],
    since: chrono::DateTime<Utc>,
) -> Reputation {
    let hosted: Vec<&StayFactRow> = rows.iter().filter(|r| r.host_coop_id == coop).collect();
    let nights_hosted =
        hosted.iter().filter(|r| r.status == StayStatus::Completed.as_str()).map(|r| guest_nights(r)).sum();
    let recent: Vec<&&StayFactRow> = hosted.iter().filter(|r| r.created_at >= since).collect();
    let answers: Vec<i64> =
        recent.iter().filter_map(|r| r.answered_at.map(|at| (at - r.created_at).num_minutes().max(0))).collect();
    let unanswered = recent.iter().filter(|r| r.answered_at.is_none() && r.status == "expired").count();
    let asked = answers.len() + unanswered;
    let response_rate = (asked > 0).then(|| (answers.len() * 100 / asked) as i64);
    let median_answer_hours = median_hours(answers.clone());
    let recommended = references.iter().filter(|r| r.recommend).count() as i64;
    Reputation {
        references: references.len() as i64,
        recommended,
        response_rate,
        median_answer_hours,
        nights_hosted,
        is_new: asked < rules::NEW_BELOW_ANSWERS && references.is_empty(),
    }
}

/// What a co-op's reputation and ledger are made of, in `viewer`'s networks: the references travellers wrote
/// about it that show, and its stays (completed ones, and any asked for since `since`).
async fn trust_facts(
    tx: &mut Tx,
    coop: crate::domain::CoopId,
    viewer: Viewer,
    today: Today,
    since: chrono::DateTime<Utc>,
) -> Result<(Vec<ReferenceView>, Vec<StayFactRow>), ServiceError> {
    let closed_before = rules::windows_closed_before(earliest(today));
    let references =
        trust::about_coop(tx, coop, viewer, closed_before).await?.into_iter().map(listed).collect::<Result<_, _>>()?;
    let rows = trust::stays_of_coop(tx, coop, viewer, since).await?;
    Ok((references, rows))
}

/// The co-op's reputation, the references travellers wrote about it and its ledger, over the stays of the
/// reader's networks: for its members and for the members and coordinators of a network it is verified in.
pub async fn coop_trust(
    db: &Db,
    actor: &Actor,
    slug: &str,
    today: impl Into<Today>,
) -> Result<CoopTrustView, ServiceError> {
    let user = actor.require_user()?;
    let today = today.into();
    let viewer = viewer(user);
    let mut tx = db.begin_read().await?;
    let coop = coops::find_by_slug(&mut tx, slug).await?.ok_or(ServiceError::NotFound)?;
    if !trust::may_see_coop(&mut tx, coop.coop_id, viewer).await? {
        return Err(ServiceError::Forbidden);
    }
    let since = Utc::now() - Duration::days(ANSWER_WINDOW_DAYS);
    let (references, rows) = trust_facts(&mut tx, coop.coop_id, viewer, today, since).await?;
    tx.commit().await?;
    Ok(CoopTrustView {
        slug: coop.slug,
        reputation: reputation(coop.coop_id, &rows, &references, since),
        references,
        ledger: ledger(coop.coop_id, &rows),
    })
}

/// The reputations of the co-ops `slugs` that `actor` may see (those of their networks), for search results:
/// nothing for a visitor who is not logged in.
pub async fn reputations(
    db: &Db,
    actor: &Actor,
    slugs: &[String],
    today: impl Into<Today>,
) -> Result<BTreeMap<String, Reputation>, ServiceError> {
    let Some(user) = actor.user.as_ref() else { return Ok(BTreeMap::new()) };
    let viewer = viewer(user);
    let today = today.into();
    let since = Utc::now() - Duration::days(ANSWER_WINDOW_DAYS);
    let mut found = BTreeMap::new();
    let mut tx = db.begin_read().await?;
    for slug in slugs {
        if found.contains_key(slug) {
            continue;
        }
        let Some(coop) = coops::find_by_slug(&mut tx, slug).await? else { continue };
        if !trust::may_see_coop(&mut tx, coop.coop_id, viewer).await? {
            continue;
        }
        let (references, rows) = trust_facts(&mut tx, coop.coop_id, viewer, today, since).await?;
        found.insert(slug.clone(), reputation(coop.coop_id, &rows, &references, since));
    }
    tx.commit().await?;
    Ok(found)
}

/// The co-op's ledger as CSV (one line per partner co-op and per network), for the same readers as
/// [`coop_trust`].
pub async fn coop_ledger_csv(db: &Db, actor: &Actor, slug: &str) -> Result<String, ServiceError> {
    let user = actor.require_user()?;
    let viewer = viewer(user);
    let mut tx = db.begin_read().await?;
    let coop = coops::find_by_slug(&mut tx, slug).await?.ok_or(ServiceError::NotFound)?;
    if !trust::may_see_coop(&mut tx, coop.coop_id, viewer).await? {
        return Err(ServiceError::Forbidden);
    }
    let rows = trust::stays_of_coop(&mut tx, coop.coop_id, viewer, Utc::now()).await?;
    tx.commit().await?;
    let ledger = ledger(coop.coop_id, &rows);
    let record = |kind: &str, slug: &str, name: &str, hosted: i64, sent: i64| {
        vec![
            kind.to_owned(),
            slug.to_owned(),
            name.to_owned(),
            hosted.to_string(),
            sent.to_string(),
            (hosted - sent).to_string(),
        ]
    };
    let header =
        ["kind", "slug", "name", "guest_nights_hosted", "guest_nights_sent", "balance"].map(str::to_owned).to_vec();
    let lines = ledger.partners.iter().map(|l| ("coop", l)).chain(ledger.networks.iter().map(|l| ("network", l)));
    let records = std::iter::once(header)
        .chain(lines.map(|(kind, l)| record(kind, &l.slug, &l.name, l.hosted, l.sent)))
        .chain(std::iter::once(record("total", &coop.slug, &coop.name, ledger.hosted, ledger.sent)));
    csv_text("ledger", records)
}

/// A member's profile, for themselves, an admin, and the members and coordinators of the networks they share.
/// Nobody else learns the person exists; the e-mail address is never shown.
pub async fn profile(db: &Db, actor: &Actor, id: UserId, today: impl Into<Today>) -> Result<ProfileView, ServiceError> {
    let user = actor.require_user()?;
    let viewer = viewer(user);
    let mut tx = db.begin_read().await?;
    let person = trust::profile(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let is_me = person.user_id == user.id;
    if person.deleted || !(is_me || user.is_admin || trust::shares_network(&mut tx, id, user.id).await?) {
        return Err(ServiceError::NotFound);
    }
    // Neither of two people apart by a block sees the other's profile; a suspended account is reached by nobody
    // but the admins.
    let now = chrono::Utc::now();
    if !is_me && !user.is_admin && (safety::apart_from_any(&mut tx, user.id, &[id]).await? || person.is_suspended(now))
    {
        return Err(ServiceError::NotFound);
    }
    let hidden = person.hidden && !is_me && !user.is_admin;
    let coops = users::coops_of(&mut tx, id).await?;
    let countries = trust::visited_countries(&mut tx, id, viewer).await?;
    let closed_before = rules::windows_closed_before(earliest(today.into()));
    let references = trust::about_traveller(&mut tx, id, viewer, closed_before).await?;
    tx.commit().await?;
    Ok(ProfileView {
        id,
        name: person.display_name,
        coops: coops.into_iter().map(|c| ProfileCoop { slug: c.slug, name: c.name }).collect(),
        languages: if hidden { vec![] } else { rules::tags(&person.languages) },
        bio: if hidden { String::new() } else { person.bio },
        skills: if hidden { vec![] } else { rules::tags(&person.skills) },
        countries: countries.iter().filter_map(|c| CountryCode::parse(c).ok()).collect(),
        references: references.into_iter().map(listed).collect::<Result<_, _>>()?,
        is_me,
        hidden: person.hidden,
    })
}

/// The caller's own profile fields, for the account page's form.
pub async fn my_profile(db: &Db, actor: &Actor) -> Result<ProfileForm, ServiceError> {
    let user = actor.require_user()?;
    let mut tx = db.reader().await?;
    let person = trust::profile(&mut tx, user.id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    Ok(ProfileForm {
        bio: person.bio,
        languages: person.languages.replace(',', ", "),
        skills: person.skills.replace(',', ", "),
    })
}

/// The skills the caller brings (their profile's tags); none for a visitor who is not logged in.
pub async fn my_skills(db: &Db, actor: &Actor) -> Result<Vec<String>, ServiceError> {
    let Some(user) = actor.user.as_ref() else { return Ok(Vec::new()) };
    let mut tx = db.reader().await?;
    let person = trust::profile(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(person.map(|p| rules::tags(&p.skills)).unwrap_or_default())
}

/// The caller changes what their profile says about them.
pub async fn set_profile(db: &Db, actor: &Actor, form: &ProfileForm) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let bio = bounded_text(&form.bio, "bio", 0, 2000)?;
    let spoken = languages(&form.languages)?;
    let skills = rules::skills(&form.skills)?.join(",");
    if skills.chars().count() > 1000 {
        return Err(ServiceError::Invalid(Refusal::Length { field: "skills".into(), min: 0, max: 1000 }));
    }
    let mut tx = db.begin_write().await?;
    trust::set_profile(&mut tx, user.id, &bio, &spoken, &skills).await?;
    tx.commit().await?;
    Ok(())
}

/// The month (`YYYY-MM`) of a moment.
fn month_of(at: chrono::DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// The last 12 months up to `today`'s, oldest first.
fn last_months(today: NaiveDate) -> Vec<String> {
    use chrono::Datelike;
    let mut months = Vec::with_capacity(12);
    let (mut year, mut month) = (today.year(), today.month());
    for _ in 0..12 {
        months.push(format!("{year:04}-{month:02}"));
        if month == 1 {
            (year, month) = (year - 1, 12);
        } else {
            month -= 1;
        }
    }
    months.reverse();
    months
}

/// A network's figures from its stays: requests per month by outcome, the hosts' acceptance rate and answer
/// time, guest-nights by country, every co-op's balance, the approvals waiting.
pub fn dashboard_figures(
    slug: String,
    name: String,
    rows: &[StayFactRow],
    today: NaiveDate,
) -> crate::views::trust::DashboardView {
    use crate::views::trust::{CountryNights, DashboardView, MonthOutcomes, OpenApproval};
    // Requests are stamped with the real time; a clock fixed on an earlier day (tests, demos) still shows them.
    let last_month = today.max(Utc::now().date_naive());
    let mut months: Vec<MonthOutcomes> =
        last_months(last_month).into_iter().map(|month| MonthOutcomes { month, ..Default::default() }).collect();
    for row in rows {
        let month = month_of(row.created_at);
        let Some(line) = months.iter_mut().find(|m| m.month == month) else { continue };
        match row.status.as_str() {
            "confirmed" | "completed" => line.confirmed += 1,
            "declined" | "suggested" => line.declined += 1,
            "rejected" => line.rejected += 1,
            "expired" => line.expired += 1,
            "withdrawn" | "cancelled" => line.withdrawn += 1,
            _ => line.waiting += 1,
        }
    }
    let answered: Vec<&StayFactRow> = rows.iter().filter(|r| r.answered_at.is_some()).collect();
    let yes = answered.iter().filter(|r| !matches!(r.status.as_str(), "declined" | "suggested")).count();
    let expired = rows.iter().filter(|r| r.answered_at.is_none() && r.status == "expired").count();
    let asked = answered.len() + expired;
    let acceptance_rate = (asked > 0).then(|| (yes * 100 / asked) as i64);
    let minutes = answered.iter().filter_map(|r| r.answered_at.map(|at| (at - r.created_at).num_minutes().max(0)));
    let median_answer_hours = median_hours(minutes.collect());

    let completed: Vec<&StayFactRow> = rows.iter().filter(|r| r.status == StayStatus::Completed.as_str()).collect();
    let mut by_country: BTreeMap<String, i64> = BTreeMap::new();
    let mut coops: BTreeMap<String, LedgerLine> = BTreeMap::new();
    for row in &completed {
        let nights = guest_nights(row);
        *by_country.entry(row.host_country.clone()).or_default() += nights;
        let line = LedgerLine::empty;
        coops
            .entry(row.host_coop_slug.clone())
            .or_insert_with(|| line(&row.host_coop_slug, &row.host_coop_name))
            .hosted += nights;
        coops
            .entry(row.traveller_coop_slug.clone())
            .or_insert_with(|| line(&row.traveller_coop_slug, &row.traveller_coop_name))
            .sent += nights;
    }
    let mut countries: Vec<CountryNights> = by_country
        .into_iter()
        .filter_map(|(country, nights)| {
            CountryCode::parse(&country).ok().map(|country| CountryNights { country, nights })
        })
        .collect();
    countries.sort_by(|a, b| b.nights.cmp(&a.nights).then(a.country.as_str().cmp(b.country.as_str())));
    let mut balances: Vec<LedgerLine> = coops.into_values().collect();
    balances.sort_by(|a, b| b.balance().cmp(&a.balance()).then(a.name.cmp(&b.name)));
    let mut open_approvals: Vec<OpenApproval> = rows
        .iter()
        .filter(|r| r.status == StayStatus::Accepted.as_str())
        .map(|r| OpenApproval {
            stay: r.stay_request_id,
            offer_title: r.offer_title.clone(),
            host_coop: r.host_coop_name.clone(),
            traveller_coop: r.traveller_coop_name.clone(),
            check_in: r.check_in,
            days_waiting: (today - r.answered_at.unwrap_or(r.created_at).date_naive()).num_days().max(0),
        })
        .collect();
    open_approvals.sort_by(|a, b| b.days_waiting.cmp(&a.days_waiting).then(a.check_in.cmp(&b.check_in)));
    DashboardView { slug, name, months, acceptance_rate, median_answer_hours, countries, balances, open_approvals }
}

/// The network's dashboard, for its coordinators and the admins.
pub async fn dashboard(
    db: &Db,
    actor: &Actor,
    slug: &str,
    today: impl Into<Today>,
) -> Result<crate::views::trust::DashboardView, ServiceError> {
    let mut tx = db.begin_read().await?;
    let network = networks::find_by_slug(&mut tx, slug).await?.ok_or(ServiceError::NotFound)?;
    authz::require_coordinator(&mut tx, actor, network.network_id).await?;
    let rows = trust::stays_of_network(&mut tx, network.network_id).await?;
    tx.commit().await?;
    Ok(dashboard_figures(network.slug, network.name, &rows, today.into().in_zone(chrono_tz::Tz::UTC)))
}

/// The figures of the dashboard one can download.
pub const DASHBOARD_FIGURES: &[&str] = &["requests", "countries", "balances", "approvals"];

/// One figure of the network's dashboard as CSV, for the same readers.
pub async fn dashboard_csv(
    db: &Db,
    actor: &Actor,
    slug: &str,
    figure: &str,
    today: impl Into<Today>,
) -> Result<String, ServiceError> {
    if !DASHBOARD_FIGURES.contains(&figure) {
        return Err(ServiceError::NotFound);
    }
    let view = dashboard(db, actor, slug, today).await?;
    let mut records: Vec<Vec<String>> = Vec::new();
    match figure {
        "requests" => {
            records.push(
                ["month", "confirmed", "declined", "rejected", "expired", "withdrawn", "waiting", "total"]
                    .map(str::to_owned)
                    .to_vec(),
            );
            for m in &view.months {
                records.push(vec![
                    m.month.clone(),
                    m.confirmed.to_string(),
                    m.declined.to_string(),
                    m.rejected.to_string(),
                    m.expired.to_string(),
                    m.withdrawn.to_string(),
                    m.waiting.to_string(),
                    m.total().to_string(),
                ]);
            }
        }
        "countries" => {
            records.push(["country", "guest_nights"].map(str::to_owned).to_vec());
            records.extend(view.countries.iter().map(|c| vec![c.country.as_str().to_owned(), c.nights.to_string()]));
        }
        "balances" => {
            records.push(
                ["slug", "name", "guest_nights_hosted", "guest_nights_sent", "balance"].map(str::to_owned).to_vec(),
            );
            records.extend(view.balances.iter().map(|l| {
                vec![l.slug.clone(), l.name.clone(), l.hosted.to_string(), l.sent.to_string(), l.balance().to_string()]
            }));
        }
        _ => {
            records.push(
                ["stay", "offer", "host_coop", "traveller_coop", "check_in", "days_waiting"]
                    .map(str::to_owned)
                    .to_vec(),
            );
            records.extend(view.open_approvals.iter().map(|a| {
                vec![
                    a.stay.0.to_string(),
                    a.offer_title.clone(),
                    a.host_coop.clone(),
                    a.traveller_coop.clone(),
                    a.check_in.to_string(),
                    a.days_waiting.to_string(),
                ]
            }));
        }
    }
    csv_text("dashboard", records)
}
