//! Trust between co-ops through the services, on SQLite and PostgreSQL: references (the 14-day window, one per
//! side, hidden until both wrote or the window closed, who is told), the ledger's sums, and that no reference,
//! profile or ledger is seen outside the networks it belongs to.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use app::domain::trust::Side;
use app::domain::{DomainError, LatLon, MembershipStatus, OfferId, StayAction, StayRequestId, UserId};
use app::error::Refusal;
use app::server::authz::Actor;
use app::server::services::safety::Limits;
use app::server::services::stays::{self, NewRequest};
use app::server::services::trust::{self, NewReferenceForm};
use app::server::store::trust::NewReference;
use app::server::store::{calendar, coops, networks, offers, users};
use app::server::{Db, ServiceError, StoreError};
use app::views::trust::ProfileForm;

on_both_databases!(
    a_reference_is_written_after_the_stay_within_fourteen_days_once_per_side,
    a_reference_is_hidden_until_both_sides_wrote_or_the_window_closed,
    the_other_side_is_told_once_and_the_coordinators_hear_of_a_concern,
    the_ledger_counts_completed_guest_nights_per_partner_and_network,
    nothing_of_trust_is_seen_outside_the_networks_it_belongs_to,
    a_profile_says_what_its_member_wrote_and_where_they_stayed,
    the_dashboard_counts_the_networks_requests_nights_and_balances_for_its_coordinators,
    the_hosts_inbox_shows_the_skills_it_asks_for_that_the_traveller_brings,
    erasing_an_account_erases_its_profile_and_the_references_by_and_about_it,
    an_offers_skills_are_saved_as_tags,
);

struct World {
    db: Db,
    offer: OfferId,
    host: Actor,
    traveller: Actor,
    traveller_id: UserId,
    coordinator: Actor,
    /// A member of a third co-op verified in the same network.
    neighbour: Actor,
    /// A member of a co-op verified only in another network.
    stranger: Actor,
    /// Logged in, in no co-op.
    outsider: Actor,
}

async fn coop(tx: &mut app::server::Tx, slug: &'static str) -> app::domain::CoopId {
    let here = LatLon::new(-32.95, -60.65).unwrap();
    let new = coops::NewCoop {
        slug,
        name: slug,
        country: "UY",
        city: "Montevideo",
        location: here,
        public_location: here,
        website: "",
        description: "",
        languages: "es",
    };
    coops::insert(tx, &new).await.unwrap()
}

async fn world(db: Db) -> World {
    let mut tx = db.begin_write().await.unwrap();
    let support::TwoCoops { network, host_coop, traveller_coop } = support::two_verified_coops(&mut tx, false).await;
    let host = support::new_user(&mut tx, "host@t.coop").await;
    users::add_to_coop(&mut tx, host_coop, host, "host_admin").await.unwrap();
    let traveller = support::new_user(&mut tx, "traveller@t.coop").await;
    users::add_to_coop(&mut tx, traveller_coop, traveller, "member").await.unwrap();
    let coordinator = support::new_user(&mut tx, "coordinator@t.coop").await;
    networks::add_coordinator(&mut tx, network, coordinator).await.unwrap();
    let neighbour_coop = coop(&mut tx, "neighbour-coop").await;
    networks::set_membership(&mut tx, network, neighbour_coop, MembershipStatus::Verified, "", None).await.unwrap();
    let neighbour = support::new_user(&mut tx, "neighbour@t.coop").await;
    users::add_to_coop(&mut tx, neighbour_coop, neighbour, "member").await.unwrap();
    let other = networks::NewNetwork {
        slug: "other",
        name: "Other",
        description: "",
        country: None,
        auto_approve_verified: false,
    };
    let other = networks::insert(&mut tx, &other).await.unwrap();
    let stranger_coop = coop(&mut tx, "stranger-coop").await;
    networks::set_membership(&mut tx, other, stranger_coop, MembershipStatus::Verified, "", None).await.unwrap();
    // Pending in the shared network: not yet one of its members.
    networks::set_membership(&mut tx, network, stranger_coop, MembershipStatus::Pending, "", None).await.unwrap();
    let stranger = support::new_user(&mut tx, "stranger@t.coop").await;
    users::add_to_coop(&mut tx, stranger_coop, stranger, "member").await.unwrap();
    support::new_user(&mut tx, "outsider@t.coop").await;
    let room = offers::NewOffer { notice_days: 0, skills_wanted: "Rust, Ansible", ..support::room(host_coop) };
    let offer = offers::insert(&mut tx, &room).await.unwrap();
    let nights: Vec<_> = (0..40).map(|n| (day(n), 2)).collect();
    calendar::set_capacity(&mut tx, offer, &nights).await.unwrap();
    tx.commit().await.unwrap();
    World {
        host: support::actor(&db, "host@t.coop").await,
        traveller: support::actor(&db, "traveller@t.coop").await,
        traveller_id: traveller,
        coordinator: support::actor(&db, "coordinator@t.coop").await,
        neighbour: support::actor(&db, "neighbour@t.coop").await,
        stranger: support::actor(&db, "stranger@t.coop").await,
        outsider: support::actor(&db, "outsider@t.coop").await,
        db,
        offer,
    }
}

/// A request for `guests` at the world's room from day `from` to day `to`.
fn ask(w: &World, from: u64, to: u64, guests: i32) -> NewRequest {
    NewRequest {
        offer: w.offer,
        check_in: day(from).to_string(),
        check_out: day(to).to_string(),
        guests,
        purpose: "visit".into(),
        message: String::new(),
        skills_offered: String::new(),
        trip: None,
    }
}

/// A stay of `guests` from day `from` to day `to`, confirmed and completed by the background task on day `to`.
async fn completed_stay(w: &World, from: u64, to: u64, guests: i32) -> StayRequestId {
    let id = stays::request(&w.db, &w.traveller, &ask(w, from, to, guests), today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.host, id, StayAction::Accept, "", (None, None), today()).await.unwrap();
    stays::act(&w.db, &w.coordinator, id, StayAction::Approve, "", (None, None), today()).await.unwrap();
    stays::run_due(&w.db, day(to)).await.unwrap();
    id
}

fn words(body: &str) -> NewReferenceForm<'_> {
    NewReferenceForm { recommend: true, body, private_note: "" }
}

async fn write(w: &World, who: &Actor, id: StayRequestId, on: u64) -> Result<(), ServiceError> {
    trust::write_reference(&w.db, who, id, &words("A good stay."), day(on)).await
}

async fn a_reference_is_written_after_the_stay_within_fourteen_days_once_per_side(db: Db) {
    let w = world(db).await;
    let id = completed_stay(&w, 1, 3, 1).await;
    let not_yet = stays::request(&w.db, &w.traveller, &ask(&w, 20, 22, 1), today(), Limits::OFF).await.unwrap();
    assert!(matches!(
        write(&w, &w.traveller, not_yet, 1).await,
        Err(ServiceError::Invalid(Refusal::ReferenceAfterStay))
    ));

    write(&w, &w.traveller, id, 3).await.unwrap();
    assert!(matches!(write(&w, &w.traveller, id, 4).await, Err(ServiceError::Conflict(Refusal::ReferenceWritten))));
    match write(&w, &w.host, id, 18).await {
        Err(ServiceError::Invalid(Refusal::ReferenceWindowClosed { last_day })) => assert_eq!(last_day, day(17)),
        other => panic!("the 15th day after check-out is too late: {other:?}"),
    }
    write(&w, &w.host, id, 17).await.unwrap();
    assert!(matches!(write(&w, &w.outsider, id, 4).await, Err(ServiceError::NotFound)));
    assert!(matches!(write(&w, &w.coordinator, id, 4).await, Err(ServiceError::Forbidden)));
    let empty = NewReferenceForm { recommend: true, body: "  ", private_note: "" };
    let refused = trust::write_reference(&w.db, &w.host, id, &empty, day(4)).await;
    assert!(
        matches!(refused, Err(ServiceError::Domain(DomainError::Length { field: "reference", .. }))),
        "{refused:?}"
    );

    // The database holds the rules too: one per side, and only about a completed stay within the window.
    let mut tx = w.db.begin_write().await.unwrap();
    let at = day(5).and_hms_opt(12, 0, 0).unwrap().and_utc();
    let again = NewReference {
        stay: id,
        side: Side::Traveller,
        author: w.traveller_id,
        recommend: false,
        body: "Twice",
        private_note: "",
        at,
    };
    assert!(matches!(app::server::store::trust::insert_reference(&mut tx, &again).await, Err(StoreError::Conflict(_))));
    tx.rollback().await.unwrap();
    let mut tx = w.db.begin_write().await.unwrap();
    let about_a_request = NewReference { stay: not_yet, ..again };
    assert!(app::server::store::trust::insert_reference(&mut tx, &about_a_request).await.is_err());
    tx.rollback().await.unwrap();
    let other_stay = completed_stay(&w, 5, 6, 1).await;
    let mut tx = w.db.begin_write().await.unwrap();
    let late = day(30).and_hms_opt(12, 0, 0).unwrap().and_utc();
    let too_late = NewReference { stay: other_stay, at: late, ..again };
    assert!(app::server::store::trust::insert_reference(&mut tx, &too_late).await.is_err());
    tx.rollback().await.unwrap();
}

async fn a_reference_is_hidden_until_both_sides_wrote_or_the_window_closed(db: Db) {
    let w = world(db).await;
    let id = completed_stay(&w, 1, 3, 1).await;
    trust::write_reference(&w.db, &w.traveller, id, &words("Lovely hosts."), day(4)).await.unwrap();

    let host_view = stays::detail(&w.db, &w.host, id, day(5)).await.unwrap().references;
    assert!(host_view.shown.is_empty(), "the host does not read it before writing theirs");
    assert_eq!(host_view.waiting, [Side::Traveller]);
    assert_eq!(host_view.may_write, Some(Side::Host));
    let own = stays::detail(&w.db, &w.traveller, id, day(5)).await.unwrap().references;
    assert_eq!(own.shown.len(), 1, "its author reads their own");
    assert_eq!(own.may_write, None);
    let page = trust::coop_trust(&w.db, &w.neighbour, "host-coop", day(5)).await.unwrap();
    assert!(page.references.is_empty(), "nor does the network");

    trust::write_reference(&w.db, &w.host, id, &words("A considerate guest."), day(6)).await.unwrap();
    let host_view = stays::detail(&w.db, &w.host, id, day(6)).await.unwrap().references;
    assert_eq!(host_view.shown.len(), 2);
    assert!(host_view.waiting.is_empty());
    let page = trust::coop_trust(&w.db, &w.neighbour, "host-coop", day(6)).await.unwrap();
    assert_eq!(page.references.len(), 1);
    assert_eq!(page.references[0].body, "Lovely hosts.");

    // Alone, a reference shows once the window has closed: on the 15th day after check-out.
    let lone = completed_stay(&w, 8, 10, 1).await;
    trust::write_reference(&w.db, &w.traveller, lone, &words("Quiet room."), day(11)).await.unwrap();
    let shown = |on| {
        let (db, neighbour) = (w.db.clone(), w.neighbour.clone());
        async move { trust::coop_trust(&db, &neighbour, "host-coop", day(on)).await.unwrap().references.len() }
    };
    assert_eq!(shown(24).await, 1, "day 14 after check-out: still hidden");
    assert_eq!(shown(25).await, 2);
    let host_view = stays::detail(&w.db, &w.host, lone, day(25)).await.unwrap().references;
    assert_eq!((host_view.shown.len(), host_view.may_write), (1, None));
}

async fn the_other_side_is_told_once_and_the_coordinators_hear_of_a_concern(db: Db) {
    let w = world(db).await;
    let id = completed_stay(&w, 1, 3, 1).await;
    let kinds = |who: &Actor| {
        let (db, who) = (w.db.clone(), who.clone());
        async move {
            let view = stays::notifications(&db, &who).await.unwrap();
            view.items
                .into_iter()
                .filter(|n| n.notice.kind.starts_with("reference"))
                .map(|n| (n.notice.kind, n.notice.note))
                .collect::<Vec<_>>()
        }
    };
    let concern =
        NewReferenceForm { recommend: false, body: "Left the kitchen a mess.", private_note: "Please talk to them." };
    trust::write_reference(&w.db, &w.host, id, &concern, day(4)).await.unwrap();
    assert_eq!(kinds(&w.traveller).await, [("reference_written".to_owned(), String::new())]);
    assert_eq!(
        kinds(&w.coordinator).await,
        [("reference_not_recommended".to_owned(), "Please talk to them.".to_owned())]
    );
    assert!(kinds(&w.host).await.is_empty(), "the author is not told of their own");
    let coordinator_view = stays::detail(&w.db, &w.coordinator, id, day(4)).await.unwrap().references;
    assert_eq!(coordinator_view.notes.len(), 1);
    assert!(coordinator_view.shown.is_empty(), "the coordinators read the public words when everyone may");

    trust::write_reference(&w.db, &w.traveller, id, &words("Fine."), day(5)).await.unwrap();
    let host_kinds: Vec<String> = kinds(&w.host).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(host_kinds, ["references_shown"]);
    assert_eq!(kinds(&w.traveller).await.len(), 1, "told once");
    assert_eq!(kinds(&w.coordinator).await.len(), 1, "a recommendation without a note is no news to them");
}

async fn the_ledger_counts_completed_guest_nights_per_partner_and_network(db: Db) {
    let w = world(db).await;
    completed_stay(&w, 1, 4, 2).await; // 3 nights × 2 guests
    completed_stay(&w, 5, 7, 1).await; // 2 nights × 1
    let cancelled = stays::request(&w.db, &w.traveller, &ask(&w, 10, 12, 2), today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.traveller, cancelled, StayAction::Withdraw, "", (None, None), today()).await.unwrap();

    let host = trust::coop_trust(&w.db, &w.neighbour, "host-coop", day(8)).await.unwrap();
    assert_eq!((host.ledger.hosted, host.ledger.sent, host.ledger.balance()), (8, 0, 8));
    assert_eq!(host.ledger.partners.len(), 1);
    assert_eq!((host.ledger.partners[0].slug.as_str(), host.ledger.partners[0].hosted), ("travel-coop", 8));
    assert_eq!((host.ledger.networks[0].slug.as_str(), host.ledger.networks[0].hosted), ("net", 8));
    assert_eq!(host.reputation.nights_hosted, 8);
    assert_eq!(host.reputation.response_rate, Some(100));
    let traveller = trust::coop_trust(&w.db, &w.traveller, "travel-coop", day(8)).await.unwrap();
    assert_eq!((traveller.ledger.hosted, traveller.ledger.sent, traveller.ledger.balance()), (0, 8, -8));

    let csv = trust::coop_ledger_csv(&w.db, &w.host, "host-coop").await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "kind,slug,name,guest_nights_hosted,guest_nights_sent,balance",
            "coop,travel-coop,travel-coop,8,0,8",
            "network,net,Net,8,0,8",
            "total,host-coop,host-coop,8,0,8",
        ]
    );
}

async fn nothing_of_trust_is_seen_outside_the_networks_it_belongs_to(db: Db) {
    let w = world(db).await;
    let id = completed_stay(&w, 1, 3, 1).await;
    trust::write_reference(&w.db, &w.traveller, id, &words("Lovely hosts."), day(3)).await.unwrap();
    trust::write_reference(&w.db, &w.host, id, &words("A considerate guest."), day(3)).await.unwrap();

    for (who, name) in
        [(&w.stranger, "a member of a co-op pending in the network"), (&w.outsider, "a member of no co-op")]
    {
        let trust_page = trust::coop_trust(&w.db, who, "host-coop", day(4)).await;
        assert!(matches!(trust_page, Err(ServiceError::Forbidden)), "{name}: {trust_page:?}");
        assert!(
            matches!(trust::coop_ledger_csv(&w.db, who, "host-coop").await, Err(ServiceError::Forbidden)),
            "{name}"
        );
        let profile = trust::profile(&w.db, who, w.traveller_id, day(4)).await;
        assert!(matches!(profile, Err(ServiceError::NotFound)), "{name}: {profile:?}");
    }
    let anonymous = Actor::anonymous();
    assert!(matches!(trust::coop_trust(&w.db, &anonymous, "host-coop", day(4)).await, Err(ServiceError::Unauthorized)));
    assert!(matches!(trust::profile(&w.db, &anonymous, w.traveller_id, day(4)).await, Err(ServiceError::Unauthorized)));

    let profile = trust::profile(&w.db, &w.neighbour, w.traveller_id, day(4)).await.unwrap();
    assert_eq!(profile.references.len(), 1);
    assert_eq!(trust::coop_trust(&w.db, &w.coordinator, "host-coop", day(4)).await.unwrap().references.len(), 1);

    // Once the traveller's co-op is no longer verified in the network, its stays there are not the reader's
    // business through that co-op any more: the traveller still reads their own profile, without those references.
    let mut tx = w.db.begin_write().await.unwrap();
    let travel_coop = coops::find_by_slug(&mut tx, "travel-coop").await.unwrap().unwrap().coop_id;
    let net = networks::find_by_slug(&mut tx, "net").await.unwrap().unwrap().network_id;
    networks::set_membership(&mut tx, net, travel_coop, MembershipStatus::Revoked, "", None).await.unwrap();
    tx.commit().await.unwrap();
    let own = trust::profile(&w.db, &w.traveller, w.traveller_id, day(4)).await.unwrap();
    assert!(own.is_me);
    assert!(own.references.is_empty());
    assert!(matches!(trust::profile(&w.db, &w.neighbour, w.traveller_id, day(4)).await, Err(ServiceError::NotFound)));
}

async fn a_profile_says_what_its_member_wrote_and_where_they_stayed(db: Db) {
    let w = world(db).await;
    completed_stay(&w, 1, 3, 1).await;
    let form = ProfileForm {
        bio: "Backend developer at a Rosario co-op.".into(),
        languages: "ES, en".into(),
        skills: "Rust, Facilitation, rust".into(),
    };
    trust::set_profile(&w.db, &w.traveller, &form).await.unwrap();
    let profile = trust::profile(&w.db, &w.host, w.traveller_id, day(4)).await.unwrap();
    assert_eq!(profile.bio, "Backend developer at a Rosario co-op.");
    assert_eq!(profile.languages, ["es", "en"]);
    assert_eq!(profile.skills, ["rust", "facilitation"]);
    assert_eq!(profile.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["AR"]);
    assert_eq!(profile.coops.len(), 1);
    assert!(!profile.is_me);
    let mine = trust::my_profile(&w.db, &w.traveller).await.unwrap();
    assert_eq!((mine.languages.as_str(), mine.skills.as_str()), ("es, en", "rust, facilitation"));

    let bad = ProfileForm { languages: "Spanish".into(), ..form.clone() };
    assert!(matches!(
        trust::set_profile(&w.db, &w.traveller, &bad).await,
        Err(ServiceError::Domain(DomainError::InvalidLanguages))
    ));
    let long = ProfileForm { skills: "x".repeat(41), ..form };
    let refused = trust::set_profile(&w.db, &w.traveller, &long).await;
    assert!(matches!(refused, Err(ServiceError::Domain(DomainError::Length { field: "skill", .. }))), "{refused:?}");
    let kept = trust::my_profile(&w.db, &w.traveller).await.unwrap();
    assert_eq!(kept.skills, "rust, facilitation", "a refused change loses nothing already saved");
}

async fn the_dashboard_counts_the_networks_requests_nights_and_balances_for_its_coordinators(db: Db) {
    let w = world(db).await;
    completed_stay(&w, 1, 4, 2).await; // 6 guest-nights
    let ask = |from, to| ask(&w, from, to, 1);
    let declined = stays::request(&w.db, &w.traveller, &ask(10, 11), today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.host, declined, StayAction::Decline, "", (None, None), today()).await.unwrap();
    let waiting = stays::request(&w.db, &w.traveller, &ask(12, 13), today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.host, waiting, StayAction::Accept, "", (None, None), today()).await.unwrap();
    let withdrawn = stays::request(&w.db, &w.traveller, &ask(14, 15), today(), Limits::OFF).await.unwrap();
    stays::act(&w.db, &w.traveller, withdrawn, StayAction::Withdraw, "", (None, None), today()).await.unwrap();

    let d = trust::dashboard(&w.db, &w.coordinator, "net", day(5)).await.unwrap();
    assert_eq!(d.months.len(), 12);
    let this_month = d.months.last().unwrap();
    assert_eq!(
        (this_month.confirmed, this_month.declined, this_month.waiting, this_month.withdrawn, this_month.total()),
        (1, 1, 1, 1, 4)
    );
    assert_eq!(d.acceptance_rate, Some(66), "two of the three answered were accepted");
    assert_eq!(d.countries.len(), 1);
    assert_eq!((d.countries[0].country.as_str(), d.countries[0].nights), ("AR", 6));
    let balance = |slug: &str| d.balances.iter().find(|l| l.slug == slug).map(|l| l.balance());
    assert_eq!((balance("host-coop"), balance("travel-coop")), (Some(6), Some(-6)));
    assert_eq!(d.host_only().map(|l| l.slug.as_str()).collect::<Vec<_>>(), ["host-coop"]);
    assert_eq!(d.travel_only().map(|l| l.slug.as_str()).collect::<Vec<_>>(), ["travel-coop"]);
    assert_eq!(d.open_approvals.len(), 1);
    assert_eq!(d.open_approvals[0].stay, waiting);

    let csv = trust::dashboard_csv(&w.db, &w.coordinator, "net", "balances", day(5)).await.unwrap();
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "slug,name,guest_nights_hosted,guest_nights_sent,balance",
            "host-coop,host-coop,6,0,6",
            "travel-coop,travel-coop,0,6,-6",
        ]
    );
    let requests = trust::dashboard_csv(&w.db, &w.coordinator, "net", "requests", day(5)).await.unwrap();
    assert_eq!(requests.lines().count(), 13);
    assert!(matches!(
        trust::dashboard_csv(&w.db, &w.coordinator, "net", "secrets", day(5)).await,
        Err(ServiceError::NotFound)
    ));
    for who in [&w.host, &w.traveller, &w.neighbour, &w.outsider] {
        assert!(matches!(trust::dashboard(&w.db, who, "net", day(5)).await, Err(ServiceError::Forbidden)));
    }
}

async fn the_hosts_inbox_shows_the_skills_it_asks_for_that_the_traveller_brings(db: Db) {
    let w = world(db).await;
    let profile = ProfileForm { bio: String::new(), languages: String::new(), skills: "ansible, design".into() };
    trust::set_profile(&w.db, &w.traveller, &profile).await.unwrap();
    let bringing = NewRequest { purpose: "project".into(), skills_offered: "RUST, cooking".into(), ..ask(&w, 3, 5, 1) };
    stays::request(&w.db, &w.traveller, &bringing, today(), Limits::OFF).await.unwrap();
    let inbox = stays::inbox(&w.db, &w.host).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].matching_skills, ["rust", "ansible"]);
}

async fn erasing_an_account_erases_its_profile_and_the_references_by_and_about_it(db: Db) {
    let w = world(db).await;
    let id = completed_stay(&w, 1, 3, 1).await;
    trust::write_reference(&w.db, &w.traveller, id, &words("Lovely hosts."), day(3)).await.unwrap();
    trust::write_reference(&w.db, &w.host, id, &words("A considerate guest."), day(3)).await.unwrap();
    let profile = ProfileForm { bio: "I write Rust.".into(), languages: "es".into(), skills: "rust".into() };
    trust::set_profile(&w.db, &w.traveller, &profile).await.unwrap();

    let mut tx = w.db.begin_write().await.unwrap();
    app::server::store::deletion::erase(&mut tx, w.traveller_id, "traveller@t.coop", &[], chrono::Utc::now())
        .await
        .unwrap();
    let kept = app::server::store::trust::profile(&mut tx, w.traveller_id).await.unwrap().unwrap();
    assert_eq!((kept.bio.as_str(), kept.languages.as_str(), kept.skills.as_str()), ("", "", ""));
    assert!(
        app::server::store::trust::of_stay(&mut tx, id).await.unwrap().is_empty(),
        "theirs, and the host's about them"
    );
    tx.commit().await.unwrap();
    let page = trust::coop_trust(&w.db, &w.neighbour, "host-coop", day(4)).await.unwrap();
    assert!(page.references.is_empty());
    assert_eq!(page.ledger.hosted, 2, "the stay itself stays in the ledger");
}

async fn an_offers_skills_are_saved_as_tags(db: Db) {
    let w = world(db).await;
    let form = app::views::offers::OfferForm {
        kind: "desk".into(),
        title: "A desk".into(),
        capacity: "2".into(),
        min_nights: "1".into(),
        max_nights: "7".into(),
        notice_days: "0".into(),
        languages: "es".into(),
        skills_wanted: " Rust ,  Graphic   Design, rust,,".into(),
        ..Default::default()
    };
    let id = app::server::services::offers::create(&w.db, &w.host, "host-coop", &form).await.unwrap();
    let saved = app::server::services::offers::manage_view(&w.db, &w.host, id).await.unwrap().form;
    assert_eq!(saved.skills_wanted, "rust, graphic design");
    let too_long = app::views::offers::OfferForm { skills_wanted: "x".repeat(41), ..form };
    assert!(app::server::services::offers::create(&w.db, &w.host, "host-coop", &too_long).await.is_err());
}
