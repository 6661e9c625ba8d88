//! `coop-travel seed-demo`: writes the fictional demo network (see [`super::demo_data`]) into an empty database,
//! in one transaction, with calendars around `today` and stay requests in several states.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;

use super::demo_data::{COOPS, NETWORKS};
use super::store::{self, audit, calendar, coops, networks, offers, stays, trust, users};
use super::{Db, ServiceError, Tx};
use crate::domain::trust::Side;
use crate::domain::{
    CoopId, DateRange, LatLon, MembershipStatus, NetworkId, OfferId, OfferKind, OfferStatus, Purpose, StayRequestId,
    StayStatus, UserId,
};

/// The password of every demo account (listed in the README). Demo data only: never on a real instance.
pub const DEMO_PASSWORD: &str = "coop-travel-demo";

/// The demo accounts, one per role: (email, display name, what they can do).
pub const DEMO_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("traveller@demo.coop", "Lucía Traveller", "traveller, member of Ribera Software (Rosario)"),
    ("host@demo.coop", "Tomás Host", "host admin of Telar Sur (Buenos Aires)"),
    ("coordinator@demo.coop", "Ana Coordinator", "coordinator of Patio and FACTTIC"),
    ("admin@demo.coop", "Sam Admin", "instance admin"),
];

/// Calendars cover a month back (so past stays have their nights) and six months ahead.
const DAYS_BACK: u64 = 30;
const DAYS_AHEAD: u64 = 183;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        networks: usize,
        coops: usize,
        offers: usize,
        nights: usize,
        requests: usize,
    },
    /// The database already holds data: nothing was written.
    AlreadyPopulated,
}

/// The demo accounts (addresses `@demo.coop`) that still have the public demo password. An instance on a public
/// address refuses to serve while any does (`coop-travel serve`).
pub async fn accounts_with_demo_password(db: &Db) -> Result<Vec<String>, ServiceError> {
    let mut tx = db.begin_read().await?;
    let logins = store::users::logins_in_domain(&mut tx, DEMO_DOMAIN).await?;
    tx.commit().await?;
    // The seed gives every demo account the same hash: each distinct hash is verified once.
    let mut public = std::collections::HashMap::new();
    let mut found = Vec::new();
    for (email, hash) in logins {
        let is_public = match public.get(&hash) {
            Some(known) => *known,
            None => {
                let verdict = super::password::verify(DEMO_PASSWORD.to_owned(), hash.clone()).await?;
                public.insert(hash, verdict);
                verdict
            }
        };
        if is_public {
            found.push(email);
        }
    }
    Ok(found)
}

/// The domain of the demo accounts' addresses.
pub const DEMO_DOMAIN: &str = "demo.coop";

/// Seeds the demo network if the database is empty; otherwise changes nothing.
pub async fn seed_demo(db: &Db, today: NaiveDate) -> Result<SeedOutcome, ServiceError> {
    // One hash for every demo account: hashing is deliberately slow, and these passwords are public anyway.
    let password_hash = super::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    if !store::is_empty(&mut tx).await? {
        tx.rollback().await?;
        return Ok(SeedOutcome::AlreadyPopulated);
    }
    let outcome = Seeder { tx: &mut tx, today, password_hash, nights: 0 }.run().await?;
    tx.commit().await?;
    Ok(outcome)
}

struct Seeder<'a> {
    tx: &'a mut Tx,
    today: NaiveDate,
    password_hash: String,
    nights: usize,
}

/// Who and what the demo requests are made of.
struct Cast {
    traveller: UserId,
    traveller_coop: CoopId,
    second_traveller: UserId,
    second_traveller_coop: CoopId,
    host: UserId,
    host_coop: CoopId,
    coordinator: UserId,
    host_of: Vec<(&'static str, UserId)>,
    patio: NetworkId,
    facttic: NetworkId,
    offers: Vec<(&'static str, OfferKind, OfferId, i32)>,
}

impl Seeder<'_> {
    async fn run(mut self) -> Result<SeedOutcome, ServiceError> {
        let mut accounts = Vec::new();
        for (email, name, _) in DEMO_ACCOUNTS {
            accounts.push(self.user(email, name, *email == "admin@demo.coop").await?);
        }
        let [traveller, host, coordinator, _admin] = accounts[..] else {
            return Err(ServiceError::Internal("demo accounts".into()));
        };

        let mut network_ids = Vec::new();
        for network in NETWORKS {
            let id = networks::insert(
                self.tx,
                &networks::NewNetwork {
                    slug: network.slug,
                    name: network.name,
                    description: network.description,
                    country: network.country,
                    auto_approve_verified: network.auto_approve_verified,
                },
            )
            .await?;
            networks::add_coordinator(self.tx, id, coordinator).await?;
            network_ids.push((network.slug, id));
        }
        let network = |slug: &str| {
            network_ids
                .iter()
                .find(|(s, _)| *s == slug)
                .map(|(_, id)| *id)
                .ok_or_else(|| ServiceError::Internal(format!("demo network {slug}")))
        };

        let mut coop_ids = Vec::new();
        let mut host_of = Vec::new();
        let mut offer_ids = Vec::new();
        for coop in COOPS {
            // Real randomness: a fuzz derived from public data (the slug) could be undone by anyone with the source.
            let location = LatLon::new(coop.lat, coop.lon)?;
            let public_location = location.fuzzed({
                let mut rng = rand::rng();
                (rng.random(), rng.random())
            });
            let id = coops::insert(
                self.tx,
                &coops::NewCoop {
                    slug: coop.slug,
                    name: coop.name,
                    country: coop.country,
                    city: coop.city,
                    location,
                    public_location,
                    website: coop.website,
                    description: coop.description,
                    languages: coop.languages,
                },
            )
            .await?;
            coop_ids.push((coop.slug, id));
            for (slug, status) in coop.networks {
                let status = MembershipStatus::parse(status)?;
                let decided_by = (status != MembershipStatus::Pending).then_some(coordinator);
                let note = match status {
                    MembershipStatus::Verified => "Known to the federation; statutes checked.",
                    MembershipStatus::Revoked => "No longer a worker co-operative.",
                    MembershipStatus::Pending => "",
                };
                let network_id = network(slug)?;
                networks::set_membership(self.tx, network_id, id, status, note, decided_by).await?;
                let subject = audit::Subject { network: Some(network_id), coop: Some(id), ..Default::default() };
                audit::record(self.tx, None, "membership_requested", subject, "").await?;
                let decision = match status {
                    MembershipStatus::Verified => Some("membership_verified"),
                    MembershipStatus::Revoked => Some("membership_revoked"),
                    MembershipStatus::Pending => None,
                };
                if let Some(action) = decision {
                    audit::record(self.tx, decided_by, action, subject, note).await?;
                }
            }
            let admin = if coop.slug == "telar-sur" {
                host
            } else {
                let email = format!("{}@demo.coop", coop.slug);
                self.user(&email, &format!("Host at {}", coop.name), false).await?
            };
            users::add_to_coop(self.tx, id, admin, "host_admin").await?;
            host_of.push((coop.slug, admin));

            for offer in coop.offers {
                let kind = OfferKind::parse(offer.kind)?;
                let offer_id = offers::insert(
                    self.tx,
                    &offers::NewOffer {
                        coop: id,
                        kind,
                        title: offer.title,
                        description: offer.description,
                        default_capacity: offer.capacity,
                        min_nights: offer.min_nights,
                        max_nights: offer.max_nights,
                        notice_days: offer.notice_days,
                        languages: offer.languages,
                        amenities: offer.amenities,
                        accessibility: offer.accessibility,
                        house_rules: offer.house_rules,
                        skills_wanted: offer.skills_wanted,
                        address: offer.address,
                        // At the co-op's address: the co-op's one public point.
                        public_location,
                        status: OfferStatus::Published,
                    },
                )
                .await?;
                self.open_calendar(offer_id, kind, offer.capacity).await?;
                offer_ids.push((coop.slug, kind, offer_id, offer.capacity));
            }
        }
        let coop = |slug: &str| {
            coop_ids
                .iter()
                .find(|(s, _)| *s == slug)
                .map(|(_, id)| *id)
                .ok_or_else(|| ServiceError::Internal(format!("demo co-op {slug}")))
        };

        let traveller_coop = coop("ribera-software")?;
        users::add_to_coop(self.tx, traveller_coop, traveller, "member").await?;
        // What the demo's people say about themselves on their profiles.
        let profiles = [
            (
                traveller,
                "Backend developer at Ribera Software; I travel to pair with other co-ops' teams.",
                "es,en",
                "rust,facilitation",
            ),
            (host, "I look after Telar Sur's guests and its payroll software.", "es,en,pt", "postgresql,bookkeeping"),
        ];
        for (person, bio, languages, skills) in profiles {
            trust::set_profile(self.tx, person, bio, languages, skills).await?;
        }
        let second_traveller_coop = coop("teixit-obert")?;
        let second_traveller = self.user("viajera@demo.coop", "Núria Traveller", false).await?;
        users::add_to_coop(self.tx, second_traveller_coop, second_traveller, "member").await?;

        let cast = Cast {
            traveller,
            traveller_coop,
            second_traveller,
            second_traveller_coop,
            host,
            host_coop: coop("telar-sur")?,
            coordinator,
            host_of,
            patio: network("patio")?,
            facttic: network("facttic")?,
            offers: offer_ids,
        };
        let requests = self.requests(&cast).await?;
        Ok(SeedOutcome::Seeded {
            networks: NETWORKS.len(),
            coops: COOPS.len(),
            offers: cast.offers.len(),
            nights: self.nights,
            requests,
        })
    }

    async fn user(&mut self, email: &str, name: &str, is_admin: bool) -> Result<UserId, ServiceError> {
        let new =
            users::NewUser { email, display_name: name, password_hash: &self.password_hash, is_admin, locale: "en" };
        let id = users::insert(self.tx, &new).await?;
        // The demo's people have been members for a while: the limits of new accounts are not theirs.
        let joined = self.day(-400)?.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
        users::set_created_at(self.tx, id, joined).await?;
        Ok(id)
    }

    /// Opens every night of the demo window. Desks and visits are closed at weekends; rooms and beds have one
    /// blocked week (the hosts' own holidays) so the calendar shows what a block looks like.
    async fn open_calendar(&mut self, offer: OfferId, kind: OfferKind, capacity: i32) -> Result<(), ServiceError> {
        let first = self.day(-(DAYS_BACK as i64))?;
        let holiday = (self.day(90)?, self.day(97)?);
        let nights: Vec<_> = first
            .iter_days()
            .take((DAYS_BACK + DAYS_AHEAD) as usize)
            .map(|night| {
                let weekend = matches!(night.weekday(), Weekday::Sat | Weekday::Sun);
                let closed = match kind {
                    OfferKind::Desk | OfferKind::Visit => weekend,
                    OfferKind::Room | OfferKind::Bed => night >= holiday.0 && night < holiday.1,
                    OfferKind::Couch => false,
                };
                (night, if closed { 0 } else { capacity })
            })
            .collect();
        calendar::set_capacity(self.tx, offer, &nights).await?;
        self.nights += nights.len();
        Ok(())
    }

    fn day(&self, offset: i64) -> Result<NaiveDate, ServiceError> {
        let shifted = if offset >= 0 {
            self.today.checked_add_days(Days::new(offset.unsigned_abs()))
        } else {
            self.today.checked_sub_days(Days::new(offset.unsigned_abs()))
        };
        shifted.ok_or_else(|| ServiceError::Internal("demo date out of range".into()))
    }

    /// Stay requests in every interesting state, walked through the same store transitions the app uses.
    async fn requests(&mut self, cast: &Cast) -> Result<usize, ServiceError> {
        use StayStatus::*;
        let plan: &[DemoRequest] = &[
            DemoRequest(
                "telar-sur",
                OfferKind::Room,
                Lucia,
                14,
                3,
                Purpose::Intercooperation,
                &[],
                "Would love to meet your team.",
            ),
            DemoRequest(
                "algarrobo-lab",
                OfferKind::Bed,
                Lucia,
                30,
                3,
                Purpose::Project,
                &[Accepted],
                "Joint work on the census app.",
            ),
            DemoRequest(
                "diagonal-libre",
                OfferKind::Couch,
                Lucia,
                45,
                2,
                Purpose::Learning,
                &[Accepted, Confirmed],
                "Learning your accounting setup.",
            ),
            DemoRequest(
                "rambla-abierta",
                OfferKind::Bed,
                Lucia,
                -20,
                3,
                Purpose::Visit,
                &[Accepted, Confirmed, Completed],
                "Passing through Montevideo.",
            ),
            DemoRequest(
                "teixit-obert",
                OfferKind::Room,
                Lucia,
                60,
                3,
                Purpose::Intercooperation,
                &[Accepted, Rejected],
                "Patio gathering in Barcelona.",
            ),
            DemoRequest(
                "telar-sur",
                OfferKind::Desk,
                Nuria,
                21,
                2,
                Purpose::Project,
                &[Declined],
                "Two days of pair programming.",
            ),
            DemoRequest(
                "hinterhof-code",
                OfferKind::Room,
                Nuria,
                10,
                2,
                Purpose::Visit,
                &[Accepted, Withdrawn],
                "Plans changed, sorry!",
            ),
            DemoRequest(
                "telar-sur",
                OfferKind::Visit,
                Nuria,
                8,
                1,
                Purpose::Visit,
                &[],
                "A day visit to see how you work.",
            ),
            // Completed stays, with the references after them (see `references`): the ledger, the reputation and
            // the dashboard have figures on the first run.
            DemoRequest(
                "telar-sur",
                OfferKind::Room,
                Nuria,
                -28,
                3,
                Purpose::Intercooperation,
                &[Accepted, Confirmed, Completed],
                "Stopping in Buenos Aires on my way to the Patio gathering.",
            ),
            DemoRequest(
                "algarrobo-lab",
                OfferKind::Bed,
                Tomas,
                -16,
                3,
                Purpose::Project,
                &[Accepted, Confirmed, Completed],
                "Three days on the shared invoicing module.",
            ),
            // Lucía's desk days at Telar Sur ended a week ago: neither side has written yet.
            DemoRequest(
                "telar-sur",
                OfferKind::Desk,
                Lucia,
                -9,
                2,
                Purpose::Project,
                &[Accepted, Confirmed, Completed],
                "Two days of pairing on the census app.",
            ),
        ];
        let mut made = Vec::new();
        for &DemoRequest(slug, kind, by, offset, nights, purpose, path, message) in plan {
            let (traveller, traveller_coop) = match by {
                Lucia => (cast.traveller, cast.traveller_coop),
                Nuria => (cast.second_traveller, cast.second_traveller_coop),
                Tomas => (cast.host, cast.host_coop),
            };
            // FACTTIC joins the Argentine co-ops; Patio the rest.
            let network = if by != Nuria && !matches!(slug, "rambla-abierta" | "teixit-obert") {
                cast.facttic
            } else {
                cast.patio
            };
            let (offer, capacity) = cast
                .offers
                .iter()
                .find(|(s, k, ..)| *s == slug && *k == kind)
                .map(|(.., id, capacity)| (*id, *capacity))
                .ok_or_else(|| ServiceError::Internal(format!("demo offer {slug}/{kind}")))?;
            let host = cast.host_of.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id);
            let range = self.bookable_range(offer, offset, nights).await?;
            let guests = 1.min(capacity);
            let id = stays::insert(
                self.tx,
                &stays::NewStayRequest {
                    traveller,
                    traveller_coop,
                    offer,
                    network,
                    range,
                    guests,
                    purpose,
                    message,
                    skills_offered: "Rust, facilitation",
                },
            )
            .await?;
            let mut from = Requested;
            for to in path.iter().copied() {
                let (actor, note) = match to {
                    Accepted | Declined => (host, ""),
                    Confirmed => (Some(cast.coordinator), "Both co-ops verified; enjoy the visit."),
                    Rejected => (Some(cast.coordinator), "Please coordinate with the Patio gathering team first."),
                    Withdrawn => (Some(traveller), "Plans changed."),
                    _ => (None, ""),
                };
                match to {
                    Accepted if !calendar::hold(self.tx, offer, range, guests).await? => {
                        return Err(ServiceError::Internal(format!("demo hold on {slug}/{kind}")));
                    }
                    Rejected | Withdrawn => {
                        calendar::release(self.tx, offer, range, guests).await?;
                    }
                    _ => {}
                }
                stays::transition(self.tx, id, actor, from, to, note).await?;
                from = to;
            }
            made.push((id, traveller, host, range));
        }
        self.references(&made).await?;
        Ok(plan.len())
    }

    /// The references after the demo's completed stays: both sides at Telar Sur and Algarrobo Lab, the traveller
    /// alone at Rambla Abierta (shown: its window has closed), none yet for the desk days a week ago.
    async fn references(
        &mut self,
        made: &[(StayRequestId, UserId, Option<UserId>, DateRange)],
    ) -> Result<(), ServiceError> {
        // (index in the plan, side, recommends, words, note to the coordinators)
        let written: &[(usize, Side, bool, &str, &str)] = &[
            (
                3,
                Side::Traveller,
                true,
                "A comfortable bunk ten minutes from the port, and a team happy to show \
              how they run their servers.",
                "",
            ),
            (
                8,
                Side::Traveller,
                true,
                "A warm welcome, a quiet room, and an asado with the whole co-op on the \
              last night.",
                "",
            ),
            (
                8,
                Side::Host,
                true,
                "Núria ran a lovely session on their accounting tools for our team. Welcome \
              back any time.",
                "",
            ),
            (9, Side::Traveller, true, "Great hosts: we shipped the invoicing module together in three days.", ""),
            (
                9,
                Side::Host,
                true,
                "Tomás was a thoughtful guest and a patient pair programmer.",
                "He arrived a \
              day later than planned without telling us; worth a word about keeping hosts informed.",
            ),
        ];
        for &(index, side, recommend, body, note) in written {
            let &(stay, traveller, host, range) =
                made.get(index).ok_or_else(|| ServiceError::Internal(format!("demo stay {index}")))?;
            let author = match side {
                Side::Traveller => traveller,
                Side::Host => host.ok_or_else(|| ServiceError::Internal(format!("demo host of {index}")))?,
            };
            let day_after = range.check_out().succ_opt().unwrap_or(range.check_out());
            let at = day_after.and_hms_opt(18, 0, 0).unwrap_or_default().and_utc();
            let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let private_note = note.split_whitespace().collect::<Vec<_>>().join(" ");
            let new =
                trust::NewReference { stay, side, author, recommend, body: &body, private_note: &private_note, at };
            trust::insert_reference(self.tx, &new).await?;
        }
        Ok(())
    }

    /// The first range of `nights` nights starting at or after `offset` days from today on which every night is
    /// open (desks and visits are closed at weekends).
    async fn bookable_range(&mut self, offer: OfferId, offset: i64, nights: i64) -> Result<DateRange, ServiceError> {
        for shift in 0..14 {
            let range = DateRange::new(self.day(offset + shift)?, self.day(offset + shift + nights)?)?;
            let open = calendar::nights(self.tx, offer, range).await?;
            if open.len() as i64 == nights && open.iter().all(|n| n.capacity > n.reserved) {
                return Ok(range);
            }
        }
        Err(ServiceError::Internal(format!("no open demo range for offer {offer}")))
    }
}

/// One demo stay request: host co-op slug, offer kind, by the first traveller (else the second), check-in offset
/// from today, nights, purpose, the transitions it goes through after `requested`, and the traveller's message.
#[derive(Clone, Copy)]
struct DemoRequest(&'static str, OfferKind, By, i64, i64, Purpose, &'static [StayStatus], &'static str);

/// Who travels in a demo request: Lucía (Ribera Software), Núria (Teixit Obert) or Tomás (Telar Sur's host
/// admin, on a trip of his own).
#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Lucia,
    Nuria,
    Tomas,
}
use By::{Lucia, Nuria, Tomas};
