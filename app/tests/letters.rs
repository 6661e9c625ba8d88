//! Invitation letters through the services, on SQLite and PostgreSQL: who issues one and when, what its public
//! page says (and stops saying once it no longer stands), who downloads the PDF and what the PDF says.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod support;

use support::{day, today};

use app::domain::{LatLon, MembershipStatus, OfferId, StayAction, StayRequestId, UserId};
use app::error::Refusal;
use app::server::authz::Actor;
use app::server::services::letters;
use app::server::services::safety::Limits;
use app::server::services::stays::{self, NewRequest};
use app::server::store::{calendar, coops, networks, offers, users};
use app::server::{Db, ServiceError};
use app::views::letters::LetterState;

on_both_databases!(
    a_host_admin_issues_the_letter_of_a_confirmed_stay_once_per_language,
    a_withdrawn_or_cancelled_letter_is_no_longer_valid_and_its_page_leaves_out_the_address,
    the_pdf_is_for_the_stays_parties_and_says_the_letter_in_its_language,
    erasing_the_travellers_account_erases_their_letters,
);

const SITE: &str = "https://travel.example";

struct World {
    db: Db,
    offer: OfferId,
    host: Actor,
    traveller: Actor,
    traveller_id: UserId,
    coordinator: Actor,
    /// A member of another co-op verified in the same network.
    neighbour: Actor,
    /// Logged in, in no co-op.
    outsider: Actor,
}

async fn world(db: Db) -> World {
    let mut tx = db.begin_write().await.unwrap();
    let support::TwoCoops { network, host_coop, traveller_coop } = support::two_verified_coops(&mut tx, false).await;
    let host = support::new_user(&mut tx, "host@t.coop").await;
    users::add_to_coop(&mut tx, host_coop, host, "host_admin").await.unwrap();
    let traveller = support::new_user(&mut tx, "traveller@t.coop").await;
    users::add_to_coop(&mut tx, traveller_coop, traveller, "member").await.unwrap();
    users::set_locale(&mut tx, traveller, "es").await.unwrap();
    let coordinator = support::new_user(&mut tx, "coordinator@t.coop").await;
    networks::add_coordinator(&mut tx, network, coordinator).await.unwrap();
    let here = LatLon::new(-34.6, -58.4).unwrap();
    let neighbour_coop = coops::NewCoop {
        slug: "neighbour-coop",
        name: "Neighbour",
        country: "AR",
        city: "Rosario",
        location: here,
        public_location: here,
        website: "",
        description: "",
        languages: "es",
    };
    let neighbour_coop = coops::insert(&mut tx, &neighbour_coop).await.unwrap();
    networks::set_membership(&mut tx, network, neighbour_coop, MembershipStatus::Verified, "", None).await.unwrap();
    let neighbour = support::new_user(&mut tx, "neighbour@t.coop").await;
    users::add_to_coop(&mut tx, neighbour_coop, neighbour, "host_admin").await.unwrap();
    support::new_user(&mut tx, "outsider@t.coop").await;
    let room = offers::NewOffer { notice_days: 0, ..support::room(host_coop) };
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
        outsider: support::actor(&db, "outsider@t.coop").await,
        db,
        offer,
    }
}

async fn requested(w: &World, from: u64, to: u64) -> StayRequestId {
    let new = NewRequest {
        offer: w.offer,
        check_in: day(from).to_string(),
        check_out: day(to).to_string(),
        guests: 1,
        purpose: "learning".into(),
        message: String::new(),
        skills_offered: String::new(),
        trip: None,
    };
    stays::request(&w.db, &w.traveller, &new, today(), Limits::OFF).await.unwrap()
}

async fn confirmed(w: &World, from: u64, to: u64) -> StayRequestId {
    let id = requested(w, from, to).await;
    stays::act(&w.db, &w.host, id, StayAction::Accept, "", (None, None), today()).await.unwrap();
    stays::act(&w.db, &w.coordinator, id, StayAction::Approve, "", (None, None), today()).await.unwrap();
    id
}

fn now() -> chrono::DateTime<chrono::Utc> {
    today().and_hms_opt(15, 30, 0).unwrap().and_utc()
}

async fn issue(w: &World, who: &Actor, id: StayRequestId, language: &str) -> Result<String, ServiceError> {
    letters::issue(&w.db, who, id, language, now()).await
}

async fn a_host_admin_issues_the_letter_of_a_confirmed_stay_once_per_language(db: Db) {
    let w = world(db).await;
    let id = confirmed(&w, 10, 17).await;
    assert!(matches!(issue(&w, &w.traveller, id, "es").await, Err(ServiceError::Forbidden)));
    assert!(matches!(issue(&w, &w.coordinator, id, "es").await, Err(ServiceError::Forbidden)));
    assert!(matches!(issue(&w, &w.neighbour, id, "es").await, Err(ServiceError::NotFound)), "another co-op's admin");
    assert!(matches!(issue(&w, &w.outsider, id, "es").await, Err(ServiceError::NotFound)));
    assert!(matches!(
        issue(&w, &w.host, id, "fr").await,
        Err(ServiceError::Invalid(Refusal::LetterLanguage { value })) if value == "fr"
    ));
    let waiting = requested(&w, 20, 22).await;
    assert!(matches!(
        issue(&w, &w.host, waiting, "en").await,
        Err(ServiceError::Invalid(Refusal::LetterNeedsConfirmedStay))
    ));

    let spanish = issue(&w, &w.host, id, "es").await.unwrap();
    assert_eq!(issue(&w, &w.host, id, "es").await.unwrap(), spanish, "the letter in force, not a second one");
    let english = issue(&w, &w.host, id, "en").await.unwrap();
    assert_ne!(english, spanish);

    let check = letters::check(&w.db, &spanish).await.unwrap();
    assert_eq!(check.state, LetterState::Valid);
    let facts = &check.facts;
    assert_eq!(
        (facts.traveller_name.as_str(), facts.host_coop.as_str(), facts.network_name.as_str()),
        ("traveller@t.coop", "host-coop", "Net")
    );
    assert_eq!((facts.check_in, facts.check_out, facts.nights), (day(10), day(17), 7));
    assert_eq!(facts.address.as_deref(), Some("Calle Falsa 123"));
    assert_eq!((facts.signer_name.as_str(), facts.language.as_str()), ("host@t.coop", "es"));
    assert!(matches!(letters::check(&w.db, "abcdefghjkmnpqrstuvw").await, Err(ServiceError::NotFound)));
    assert!(matches!(letters::check(&w.db, "../../etc").await, Err(ServiceError::NotFound)));

    // The page: the traveller (whose language is Spanish) sees both; only the host admin may issue.
    let mine = stays::detail(&w.db, &w.traveller, id, today()).await.unwrap().letters;
    assert_eq!(mine.letters.len(), 2);
    assert!(!mine.may_issue);
    let hosts = stays::detail(&w.db, &w.host, id, today()).await.unwrap().letters;
    assert!(hosts.may_issue);
    assert_eq!(hosts.traveller_language, "es");
    let told: Vec<String> = stays::notifications(&w.db, &w.traveller)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.notice.kind)
        .filter(|kind| kind == "letter_issued")
        .collect();
    assert_eq!(told, ["letter_issued", "letter_issued"], "told of each letter, not of asking again for one in force");
    // Both find the letters in their data export.
    for (who, role) in [(&w.traveller, "invited"), (&w.host, "issued")] {
        let export = app::server::services::accounts::export(&w.db, who.user.as_ref().unwrap(), now()).await.unwrap();
        let roles: Vec<&str> = export.invitation_letters.iter().map(|l| l.role.as_str()).collect();
        assert_eq!(roles, [role, role]);
    }

    // The database holds the rule too: no letter for a stay that is not confirmed.
    let mut tx = w.db.begin_write().await.unwrap();
    let new = app::server::store::letters::NewLetter {
        token: "abcdefghjkmnpqrstuvw",
        stay: waiting,
        language: "en",
        issued_by: w.traveller_id,
        issued_at: now(),
        traveller_name: "T",
        traveller_coop: "C",
        host_coop: "H",
        host_city: "",
        host_country: "AR",
        network_name: "N",
        check_in: day(20),
        check_out: day(22),
        purpose: "visit",
        address: "",
        signer_name: "",
    };
    assert!(app::server::store::letters::insert(&mut tx, &new).await.is_err());
    tx.rollback().await.unwrap();
    let mut tx = w.db.begin_write().await.unwrap();
    let second = app::server::store::letters::NewLetter { stay: id, language: "es", ..new };
    assert!(
        matches!(
            app::server::store::letters::insert(&mut tx, &second).await,
            Err(app::server::StoreError::Conflict(_))
        ),
        "one letter in force per stay and language"
    );
    tx.rollback().await.unwrap();
}

async fn a_withdrawn_or_cancelled_letter_is_no_longer_valid_and_its_page_leaves_out_the_address(db: Db) {
    let w = world(db).await;
    let id = confirmed(&w, 10, 17).await;
    let token = issue(&w, &w.host, id, "pt").await.unwrap();
    assert!(matches!(
        letters::withdraw(&w.db, &w.traveller, id, &token, "", now()).await,
        Err(ServiceError::Forbidden)
    ));
    letters::withdraw(&w.db, &w.host, id, &token, "Issued with the wrong dates.", now()).await.unwrap();
    let check = letters::check(&w.db, &token).await.unwrap();
    assert_eq!(check.state, LetterState::Withdrawn);
    assert_eq!(check.revoked_at, Some(now()));
    assert_eq!(check.facts.address, None);
    assert!(letters::pdf(&w.db, &w.traveller, id, &token, SITE).await.is_err(), "no PDF of a withdrawn letter");
    let listed = stays::detail(&w.db, &w.host, id, today()).await.unwrap().letters.letters;
    assert_eq!(listed[0].revoked_note, "Issued with the wrong dates.");

    let again = issue(&w, &w.host, id, "pt").await.unwrap();
    assert_ne!(again, token, "a new letter once the old one is withdrawn");
    assert_eq!(letters::check(&w.db, &again).await.unwrap().state, LetterState::Valid);
    stays::act(&w.db, &w.traveller, id, StayAction::Cancel, "Plans changed.", (None, None), today()).await.unwrap();
    let check = letters::check(&w.db, &again).await.unwrap();
    assert_eq!(check.state, LetterState::StayCancelled);
    assert_eq!(check.facts.address, None);
    assert_eq!(check.facts.traveller_name, "traveller@t.coop", "the page still says which letter it was");
    assert!(matches!(
        issue(&w, &w.host, id, "en").await,
        Err(ServiceError::Invalid(Refusal::LetterNeedsConfirmedStay))
    ));
}

async fn the_pdf_is_for_the_stays_parties_and_says_the_letter_in_its_language(db: Db) {
    let w = world(db).await;
    let id = confirmed(&w, 10, 17).await;
    let token = issue(&w, &w.host, id, "es").await.unwrap();
    for outside in [&w.neighbour, &w.outsider] {
        assert!(matches!(letters::pdf(&w.db, outside, id, &token, SITE).await, Err(ServiceError::NotFound)));
    }
    let other = confirmed(&w, 20, 22).await;
    assert!(
        matches!(letters::pdf(&w.db, &w.traveller, other, &token, SITE).await, Err(ServiceError::NotFound)),
        "a letter is read through its own stay only"
    );
    for party in [&w.host, &w.coordinator] {
        letters::pdf(&w.db, party, id, &token, SITE).await.unwrap();
    }
    let (name, bytes) = letters::pdf(&w.db, &w.traveller, id, &token, SITE).await.unwrap();
    assert_eq!(name, format!("invitation-{}-es.pdf", id.0));
    assert!(bytes.starts_with(b"%PDF-"));

    let text = support::pdf_text(&bytes);
    for expected in [
        "Carta de invitación",
        "A quien corresponda:",
        "traveller@t.coop",
        "host-coop",
        "Calle Falsa 123",
        "Aprendizaje",
        "host@t.coop",
        "noches",
        &format!("{SITE}/letters/{token}"),
    ] {
        assert!(text.contains(expected), "the letter says {expected:?}:\n{text}");
    }
    assert!(text.contains("2026"), "dates written out: {text}");
}

async fn erasing_the_travellers_account_erases_their_letters(db: Db) {
    let w = world(db).await;
    let id = confirmed(&w, 10, 17).await;
    let token = issue(&w, &w.host, id, "en").await.unwrap();
    let mut tx = w.db.begin_write().await.unwrap();
    app::server::store::deletion::erase(&mut tx, w.traveller_id, "traveller@t.coop", &[], chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(letters::check(&w.db, &token).await, Err(ServiceError::NotFound)));
}
