//! The authorization matrix: every server function called by each kind of actor, on objects that are theirs and
//! objects that are someone else's, with the expected answer (allowed or denied) in one table. The test fails if
//! a server function exists that has no row, so every new endpoint must state who may call it.
//!
//! "Denied" means 401, 403 or 404 (a request that is not yours is not even admitted to exist). "Allowed" means
//! anything else but a 5xx: a validation error or a conflict after the authorization check still shows the caller
//! got through it.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;

use app::domain::{CoopId, MembershipStatus, UserId};
use app::server::seed::{DEMO_PASSWORD, seed_demo};
use app::server::store::{coops, networks, users};
use app::server::{Db, authz, services};
use axum::http::{Method, StatusCode};
use common::{Client, router, today_plus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Actor {
    Anonymous,
    /// A member of a co-op, with no admin role anywhere.
    Traveller,
    /// A host admin of a co-op other than the one concerned.
    OtherHostAdmin,
    /// A host admin of the co-op concerned (Telar Sur).
    HostAdmin,
    /// A coordinator of a network other than the one concerned.
    OtherCoordinator,
    /// A coordinator of the network concerned (Patio).
    Coordinator,
    Admin,
}
use Actor::*;
use app::server::services::safety::Limits;

const EVERYONE: &[Actor] = &[Anonymous, Traveller, OtherHostAdmin, HostAdmin, OtherCoordinator, Coordinator, Admin];
const LOGGED_IN: &[Actor] = &[Traveller, OtherHostAdmin, HostAdmin, OtherCoordinator, Coordinator, Admin];
const COOP_ADMINS: &[Actor] = &[HostAdmin, Admin];
const COORDINATORS: &[Actor] = &[Coordinator, Admin];
const ADMINS: &[Actor] = &[Admin];
/// The people involved in the fixture's stay request.
const INVOLVED: &[Actor] = &[Traveller, HostAdmin, Coordinator, Admin];
/// The members and coordinators of the networks of Telar Sur and of the traveller's co-op (both verified in Patio
/// and FACTTIC), and the admin: who reads references, profiles and ledgers there.
const THEIR_NETWORKS: &[Actor] = &[Traveller, OtherHostAdmin, HostAdmin, Coordinator, Admin];
/// The two sides of the fixture's completed stay.
const PARTIES: &[Actor] = &[Traveller, HostAdmin];
/// Who signs for the host co-op: its own host admins (an instance admin is no member of it).
const HOSTS: &[Actor] = &[HostAdmin];
/// Who has a moderation queue: every coordinator (of their networks' reports) and the admins.
const MODERATORS: &[Actor] = &[OtherCoordinator, Coordinator, Admin];
/// Who sees the traveller's profile, but is not the traveller: who may report it.
const SEE_THE_TRAVELLER: &[Actor] = &[OtherHostAdmin, HostAdmin, Coordinator, Admin];

const NEW_PASSWORD: &str = "matrix-orchard-tandem";

impl Actor {
    fn email(self) -> Option<&'static str> {
        match self {
            Anonymous => None,
            Traveller => Some("traveller@demo.coop"),
            OtherHostAdmin => Some("teixit-obert@demo.coop"),
            HostAdmin => Some("host@demo.coop"),
            OtherCoordinator => Some("other-coordinator@test.coop"),
            Coordinator => Some("coordinator@demo.coop"),
            Admin => Some("admin@demo.coop"),
        }
    }
}

/// Objects the calls refer to, created for each actor's fresh database.
struct Fixture {
    plain_member: UserId,
    invite_token: String,
    /// The traveller's pending request at Telar Sur (through FACTTIC).
    stay: String,
    /// A published offer.
    offer: String,
    /// A trip of the traveller's.
    trip: String,
    /// An offer of Telar Sur (the co-op concerned).
    own_offer: String,
    /// The traveller's completed stay at Telar Sur, without references yet.
    completed: String,
    /// The traveller's account.
    traveller: String,
    /// The traveller's confirmed stay at Telar Sur, and the invitation letter its host admin issued for it.
    confirmed: String,
    letter: String,
    /// A host admin of Telar Sur's report about the traveller.
    report: String,
}

struct Row {
    method: Method,
    path: &'static str,
    fields: fn(&Fixture, Actor) -> Vec<(String, String)>,
    allowed: &'static [Actor],
}

fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn coop_fields(slug: &str) -> Vec<(String, String)> {
    f(&[
        ("slug", slug),
        ("name", "Telar Sur"),
        ("country", "AR"),
        ("city", "Buenos Aires"),
        ("lat", "-34.6037"),
        ("lon", "-58.3816"),
        ("website", "https://telar-sur.coop.example"),
        ("description", "Software co-op."),
        ("languages", "es, en"),
    ])
}

/// The table. Calls that end or switch the session come last, in this order.
fn table() -> Vec<Row> {
    use Method as M;
    vec![
        Row { method: M::GET, path: "/api/coops/list", fields: |_, _| f(&[("country", "AR")]), allowed: EVERYONE },
        Row {
            method: M::GET,
            path: "/api/search/offers",
            fields: |_, _| {
                let (check_in, check_out) = (today_plus(40), today_plus(42));
                f(&[
                    ("lat", "-34.6"),
                    ("lon", "-58.4"),
                    ("radius_km", "100"),
                    ("check_in", &check_in),
                    ("check_out", &check_out),
                    ("guests", "1"),
                ])
            },
            allowed: EVERYONE,
        },
        Row { method: M::GET, path: "/api/places/suggest", fields: |_, _| f(&[("q", "cordoba")]), allowed: EVERYONE },
        Row { method: M::GET, path: "/api/coops/get", fields: |_, _| f(&[("slug", "telar-sur")]), allowed: EVERYONE },
        // Before anyone joins Telar Sur with the invitation (below): a member of it reads its networks' trust.
        Row {
            method: M::POST,
            path: "/api/references/write",
            fields: |fx, _| f(&[("id", &fx.completed), ("recommend", "yes"), ("body", "A good stay.")]),
            allowed: PARTIES,
        },
        Row {
            method: M::GET,
            path: "/api/people/get",
            fields: |fx, _| f(&[("id", &fx.traveller)]),
            allowed: THEIR_NETWORKS,
        },
        Row { method: M::GET, path: "/api/people/mine", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row {
            method: M::POST,
            path: "/api/people/update",
            fields: |_, _| f(&[("bio", "Hola"), ("languages", "es"), ("skills", "rust")]),
            allowed: LOGGED_IN,
        },
        Row {
            method: M::GET,
            path: "/api/networks/dashboard",
            fields: |_, _| f(&[("slug", "patio")]),
            allowed: COORDINATORS,
        },
        Row {
            method: M::GET,
            path: "/api/coops/trust",
            fields: |_, _| f(&[("slug", "telar-sur")]),
            allowed: THEIR_NETWORKS,
        },
        Row {
            method: M::GET,
            path: "/api/coops/edit",
            fields: |_, _| f(&[("slug", "telar-sur")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::GET,
            path: "/api/coops/members",
            fields: |_, _| f(&[("slug", "telar-sur")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/coops/update",
            fields: |_, _| coop_fields("telar-sur"),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/coops/invite",
            fields: |_, _| f(&[("slug", "telar-sur"), ("role", "member")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/coops/member-role",
            fields: |fx, _| {
                f(&[("slug", "telar-sur"), ("user_id", &fx.plain_member.0.to_string()), ("role", "host_admin")])
            },
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/coops/member-remove",
            fields: |fx, _| f(&[("slug", "telar-sur"), ("user_id", &fx.plain_member.0.to_string())]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/coops/create",
            fields: |_, _| coop_fields("matrix-coop"),
            allowed: LOGGED_IN,
        },
        Row {
            method: M::POST,
            path: "/api/letters/issue",
            fields: |fx, _| f(&[("id", &fx.confirmed), ("language", "pt")]),
            allowed: HOSTS,
        },
        Row {
            method: M::GET,
            path: "/api/letters/check",
            fields: |fx, _| f(&[("token", &fx.letter)]),
            allowed: EVERYONE,
        },
        Row {
            method: M::POST,
            path: "/api/letters/withdraw",
            fields: |fx, _| f(&[("id", &fx.confirmed), ("token", &fx.letter), ("note", "Wrong dates.")]),
            allowed: HOSTS,
        },
        Row { method: M::GET, path: "/api/safety/blocks", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row {
            method: M::POST,
            path: "/api/safety/block",
            fields: |fx, _| f(&[("id", &fx.plain_member.0.to_string())]),
            allowed: LOGGED_IN,
        },
        Row {
            method: M::POST,
            path: "/api/safety/unblock",
            fields: |fx, _| f(&[("id", &fx.plain_member.0.to_string())]),
            allowed: LOGGED_IN,
        },
        Row {
            method: M::GET,
            path: "/api/safety/target",
            fields: |fx, _| f(&[("kind", "person"), ("target", &fx.traveller)]),
            allowed: SEE_THE_TRAVELLER,
        },
        Row {
            method: M::POST,
            path: "/api/safety/report",
            fields: |fx, _| f(&[("kind", "person"), ("target", &fx.traveller), ("reason", "scam"), ("note", "")]),
            allowed: SEE_THE_TRAVELLER,
        },
        Row { method: M::GET, path: "/api/safety/queue", fields: |_, _| vec![], allowed: MODERATORS },
        // Only the coordinators of the traveller's networks and the admins moderate the report about them.
        Row {
            method: M::POST,
            path: "/api/safety/moderate",
            fields: |fx, _| f(&[("id", &fx.report), ("action", "warn"), ("note", "Please keep to the rules.")]),
            allowed: COORDINATORS,
        },
        // Nobody is suspended yet: the moderators get through to a conflict, everyone else is denied.
        Row {
            method: M::POST,
            path: "/api/safety/lift",
            fields: |fx, _| f(&[("id", &fx.report), ("note", "A mistake.")]),
            allowed: COORDINATORS,
        },
        Row { method: M::GET, path: "/api/safety/audit", fields: |_, _| f(&[("q", "report")]), allowed: ADMINS },
        Row {
            method: M::POST,
            path: "/api/coops/join",
            fields: |fx, _| f(&[("token", &fx.invite_token)]),
            allowed: LOGGED_IN,
        },
        Row { method: M::GET, path: "/api/networks/list", fields: |_, _| vec![], allowed: EVERYONE },
        Row { method: M::GET, path: "/api/networks/get", fields: |_, _| f(&[("slug", "patio")]), allowed: EVERYONE },
        Row {
            method: M::POST,
            path: "/api/networks/create",
            fields: |_, _| f(&[("slug", "new-net"), ("name", "New"), ("description", ""), ("country", "UY")]),
            allowed: ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/networks/appoint",
            fields: |_, _| f(&[("network", "patio"), ("email", "traveller@demo.coop")]),
            allowed: ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/networks/join",
            fields: |_, _| f(&[("network", "other-net"), ("coop", "telar-sur"), ("note", "Hola")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/networks/decide",
            fields: |_, _| {
                f(&[("network", "patio"), ("coop", "ringway-repair"), ("decision", "verify"), ("note", "ok")])
            },
            allowed: COORDINATORS,
        },
        Row { method: M::GET, path: "/api/offers/get", fields: |fx, _| f(&[("id", &fx.offer)]), allowed: EVERYONE },
        Row { method: M::GET, path: "/api/stays/get", fields: |fx, _| f(&[("id", &fx.stay)]), allowed: INVOLVED },
        Row { method: M::GET, path: "/api/stays/mine", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row { method: M::GET, path: "/api/stays/inbox", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row { method: M::GET, path: "/api/stays/approvals", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row {
            method: M::POST,
            path: "/api/stays/message",
            fields: |fx, _| f(&[("id", &fx.stay), ("body", "Hola")]),
            allowed: INVOLVED,
        },
        Row {
            method: M::POST,
            path: "/api/stays/act",
            fields: |fx, _| f(&[("id", &fx.stay), ("action", "accept")]),
            allowed: &[HostAdmin],
        },
        Row {
            method: M::POST,
            path: "/api/stays/act",
            fields: |fx, _| f(&[("id", &fx.stay), ("action", "approve"), ("note", "ok")]),
            allowed: COORDINATORS,
        },
        Row {
            method: M::POST,
            path: "/api/stays/act",
            fields: |fx, _| f(&[("id", &fx.stay), ("action", "withdraw")]),
            allowed: &[Traveller],
        },
        Row {
            method: M::POST,
            path: "/api/stays/trip",
            fields: |fx, _| f(&[("id", &fx.stay), ("trip_id", &fx.trip)]),
            allowed: &[Traveller],
        },
        Row {
            method: M::POST,
            path: "/api/stays/rebook",
            fields: |fx, _| f(&[("id", &fx.stay)]),
            allowed: &[Traveller],
        },
        Row {
            method: M::POST,
            path: "/api/stays/request",
            fields: |fx, _| {
                let (check_in, check_out) = (today_plus(40), today_plus(42));
                f(&[
                    ("offer_id", &fx.offer),
                    ("check_in", &check_in),
                    ("check_out", &check_out),
                    ("guests", "1"),
                    ("purpose", "visit"),
                    ("message", "Hola"),
                    ("skills_offered", ""),
                ])
            },
            allowed: LOGGED_IN,
        },
        Row { method: M::POST, path: "/api/trips/create", fields: |_, _| f(&[("title", "Tour")]), allowed: LOGGED_IN },
        Row { method: M::GET, path: "/api/trips/mine", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row {
            method: M::GET,
            path: "/api/trips/get",
            fields: |fx, _| f(&[("id", &fx.trip)]),
            allowed: &[Traveller, Admin],
        },
        Row {
            method: M::GET,
            path: "/api/offers/of-coop",
            fields: |_, _| f(&[("coop", "telar-sur")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::GET,
            path: "/api/offers/manage",
            fields: |fx, _| f(&[("id", &fx.own_offer)]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/offers/create",
            fields: |_, _| offer_fields(&[("coop", "telar-sur")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/offers/update",
            fields: |fx, _| offer_fields(&[("id", &fx.own_offer)]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/offers/status",
            fields: |fx, _| f(&[("id", &fx.own_offer), ("status", "published")]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::GET,
            path: "/api/calendar/get",
            fields: |fx, _| f(&[("offer", &fx.own_offer)]),
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/calendar/edit",
            fields: |fx, _| {
                let (from, to) = (today_plus(120), today_plus(122));
                f(&[("offer", &fx.own_offer), ("from", &from), ("to", &to), ("op", "open"), ("capacity", "2")])
            },
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/calendar/import",
            fields: |fx, _| {
                f(&[("offer", &fx.own_offer), ("ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")])
            },
            allowed: COOP_ADMINS,
        },
        Row {
            method: M::POST,
            path: "/api/calendar/feed",
            fields: |fx, _| f(&[("offer", &fx.own_offer)]),
            allowed: COOP_ADMINS,
        },
        Row { method: M::POST, path: "/api/trips/feed", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row { method: M::GET, path: "/api/trips/feed-path", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row { method: M::GET, path: "/api/notifications/list", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row { method: M::POST, path: "/api/notifications/read", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row {
            method: M::POST,
            path: "/api/notifications/preferences",
            fields: |_, _| f(&[("stays", "digest"), ("messages", "none")]),
            allowed: LOGGED_IN,
        },
        Row {
            method: M::POST,
            path: "/api/offers/delete",
            fields: |fx, _| f(&[("id", &fx.own_offer)]),
            allowed: COOP_ADMINS,
        },
        Row { method: M::GET, path: "/api/auth/me", fields: |_, _| vec![], allowed: EVERYONE },
        Row { method: M::GET, path: "/api/auth/account", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row { method: M::GET, path: "/api/auth/export", fields: |_, _| vec![], allowed: LOGGED_IN },
        // A wrong password: refused (400) after the log-in check, nothing deleted.
        Row {
            method: M::POST,
            path: "/api/auth/delete",
            fields: |_, _| f(&[("current_password", "not-the-password-at-all"), ("confirm", "on")]),
            allowed: LOGGED_IN,
        },
        // Before the password changes (below) and the session ends (at the end).
        Row {
            method: M::POST,
            path: "/api/auth/email",
            fields: |_, _| f(&[("current_password", DEMO_PASSWORD), ("new_email", "moved@test.coop")]),
            allowed: LOGGED_IN,
        },
        Row { method: M::POST, path: "/api/auth/logout-elsewhere", fields: |_, _| vec![], allowed: LOGGED_IN },
        Row {
            method: M::POST,
            path: "/api/auth/password",
            fields: |_, _| f(&[("current_password", DEMO_PASSWORD), ("new_password", NEW_PASSWORD)]),
            allowed: LOGGED_IN,
        },
        Row {
            method: M::POST,
            path: "/api/auth/login",
            fields: |_, actor| f(&[("email", actor.email().unwrap_or("nobody@test.coop")), ("password", NEW_PASSWORD)]),
            allowed: EVERYONE,
        },
        // A link that does not exist: refused as a bad link (400) for everyone, logged in or not.
        Row {
            method: M::POST,
            path: "/api/auth/verify",
            fields: |_, _| f(&[("token", "not-a-real-link-token")]),
            allowed: EVERYONE,
        },
        Row {
            method: M::POST,
            path: "/api/auth/signup",
            fields: |_, actor| {
                let email = format!("new-{actor:?}@test.coop").to_lowercase();
                f(&[("email", &email), ("display_name", "New"), ("password", NEW_PASSWORD)])
            },
            allowed: EVERYONE,
        },
        Row { method: M::POST, path: "/api/auth/logout", fields: |_, _| vec![], allowed: EVERYONE },
        Row {
            method: M::POST,
            path: "/api/auth/forgot",
            fields: |_, actor| f(&[("email", actor.email().unwrap_or("nobody@test.coop"))]),
            allowed: EVERYONE,
        },
        // A link that does not exist: a bad link (400) for everyone.
        Row {
            method: M::POST,
            path: "/api/auth/reset",
            fields: |_, _| f(&[("token", "not-a-real-link-token"), ("new_password", NEW_PASSWORD)]),
            allowed: EVERYONE,
        },
        Row {
            method: M::POST,
            path: "/api/auth/email/confirm",
            fields: |_, _| f(&[("token", "not-a-real-link-token")]),
            allowed: EVERYONE,
        },
    ]
}

/// A seeded database with the objects every actor's calls need.
async fn fixture(db: &Db) -> Fixture {
    seed_demo(db, common::today()).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let host = users::find_by_email(&mut tx, "host@demo.coop").await.unwrap().unwrap();
    let new_user = |email| users::NewUser {
        email,
        display_name: "Matrix",
        password_hash: &host.password_hash,
        is_admin: false,
        locale: "en",
    };
    let other_coordinator = users::insert(&mut tx, &new_user("other-coordinator@test.coop")).await.unwrap();
    let plain_member = users::insert(&mut tx, &new_user("plain@test.coop")).await.unwrap();
    let telar: CoopId = coops::find_id_by_slug(&mut tx, "telar-sur").await.unwrap();
    users::add_to_coop(&mut tx, telar, plain_member, "member").await.unwrap();
    let other_net = networks::insert(
        &mut tx,
        &networks::NewNetwork {
            slug: "other-net",
            name: "Other",
            description: "",
            country: None,
            auto_approve_verified: false,
        },
    )
    .await
    .unwrap();
    networks::add_coordinator(&mut tx, other_net, other_coordinator).await.unwrap();
    let ringway = coops::find_id_by_slug(&mut tx, "ringway-repair").await.unwrap();
    let patio = networks::find_by_slug(&mut tx, "patio").await.unwrap().unwrap().network_id;
    assert_eq!(networks::membership_status(&mut tx, patio, ringway).await.unwrap(), Some(MembershipStatus::Pending));
    let admin = users::find_by_email(&mut tx, "admin@demo.coop").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let admin = authz::Actor::user(admin.into());
    let invite_token = services::coops::invite(db, &admin, "telar-sur", "member", chrono::Utc::now()).await.unwrap();
    let mut tx = db.begin_read().await.unwrap();
    let traveller = users::find_by_email(&mut tx, "traveller@demo.coop").await.unwrap().unwrap();
    let stays = app::server::store::stays::for_traveller(&mut tx, traveller.user_id).await.unwrap();
    let stay = stays
        .iter()
        .find(|s| s.host_coop_slug == "telar-sur" && s.status == "requested" && s.offer_kind == "room")
        .unwrap();
    let offer = stays.iter().find(|s| s.host_coop_slug == "algarrobo-lab").unwrap().offer_id;
    let completed = stays
        .iter()
        .find(|s| s.host_coop_slug == "telar-sur" && s.status == "completed" && s.offer_kind == "desk")
        .unwrap()
        .stay_request_id;
    tx.commit().await.unwrap();
    let traveller_id = traveller.user_id;
    let traveller = authz::Actor::user(traveller.into());
    let trip = services::stays::create_trip(db, &traveller, "South America").await.unwrap();
    let mut tx = db.begin_read().await.unwrap();
    let telar = coops::find_id_by_slug(&mut tx, "telar-sur").await.unwrap();
    let own_offer = app::server::store::offers::of_coop(&mut tx, telar).await.unwrap()[0].0;
    tx.commit().await.unwrap();
    // Two nights the demo leaves open, for a stay that is confirmed and has its letter.
    let (check_in, check_out) = (common::today() + chrono::Days::new(200), common::today() + chrono::Days::new(202));
    let mut tx = db.begin_write().await.unwrap();
    let open = [(check_in, 2), (check_in + chrono::Days::new(1), 2)];
    app::server::store::calendar::set_capacity(&mut tx, own_offer, &open).await.unwrap();
    tx.commit().await.unwrap();
    let actor = |email: &'static str| {
        let db = db.clone();
        async move {
            let mut tx = db.begin_read().await.unwrap();
            let user = users::find_by_email(&mut tx, email).await.unwrap().unwrap();
            tx.commit().await.unwrap();
            authz::Actor::user(user.into())
        }
    };
    let (host, coordinator) = (actor("host@demo.coop").await, actor("coordinator@demo.coop").await);
    let visit = services::stays::NewRequest {
        offer: own_offer,
        check_in: check_in.to_string(),
        check_out: check_out.to_string(),
        guests: 1,
        purpose: "visit".into(),
        message: String::new(),
        skills_offered: String::new(),
        trip: None,
    };
    let confirmed = services::stays::request(db, &traveller, &visit, common::today(), Limits::OFF).await.unwrap();
    use app::domain::StayAction::{Accept, Approve};
    services::stays::act(db, &host, confirmed, Accept, "", (None, None), common::today()).await.unwrap();
    // Unless the network approves visits between verified co-ops by itself.
    let mut tx = db.begin_read().await.unwrap();
    let status = app::server::store::stays::find(&mut tx, confirmed).await.unwrap().unwrap().status;
    tx.commit().await.unwrap();
    if status == "accepted" {
        services::stays::act(db, &coordinator, confirmed, Approve, "", (None, None), common::today()).await.unwrap();
    }
    let letter = services::letters::issue(db, &host, confirmed, "es", chrono::Utc::now()).await.unwrap();
    let report = services::safety::report(db, &host, "person", &traveller_id.to_string(), "spam", "").await.unwrap();
    Fixture {
        own_offer: own_offer.0.to_string(),
        plain_member,
        invite_token,
        stay: stay.stay_request_id.0.to_string(),
        offer: offer.0.to_string(),
        trip: trip.0.to_string(),
        completed: completed.0.to_string(),
        traveller: traveller_id.0.to_string(),
        confirmed: confirmed.0.to_string(),
        letter,
        report: report.0.to_string(),
    }
}

/// An offer form's fields (`offer[...]`) plus `extra`.
fn offer_fields(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = f(extra);
    fields.extend(f(&[
        ("offer[kind]", "desk"),
        ("offer[title]", "A desk by the window"),
        ("offer[description]", ""),
        ("offer[capacity]", "2"),
        ("offer[min_nights]", "1"),
        ("offer[max_nights]", "5"),
        ("offer[notice_days]", "1"),
        ("offer[languages]", "es"),
        ("offer[amenities]", ""),
        ("offer[accessibility]", ""),
        ("offer[house_rules]", ""),
        ("offer[skills_wanted]", ""),
        ("offer[address]", "Calle 1"),
    ]));
    fields
}

fn query(fields: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    common::serde_urlencoded_pairs(&pairs)
}

/// Runs every row as `actor` on a fresh database; returns the failures.
async fn run_as(db: Db, actor: Actor) -> Vec<String> {
    let fixture = fixture(&db).await;
    let app = router(db).await;
    let mut client = match actor.email() {
        Some(email) => Client::logged_in(&app, email, DEMO_PASSWORD).await,
        None => Client::new(&app),
    };
    let mut failures = Vec::new();
    for row in table() {
        let fields = (row.fields)(&fixture, actor);
        let response = if row.method == Method::GET {
            client.get(&format!("{}?{}", row.path, query(&fields))).await
        } else {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post(row.path, &pairs).await
        };
        let denied =
            matches!(response.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
        let expected_allowed = row.allowed.contains(&actor);
        if response.status.is_server_error() {
            failures.push(format!("{actor:?} {} {}: {} {}", row.method, row.path, response.status, response.body));
        } else if denied == expected_allowed {
            let expected = if expected_allowed { "allowed" } else { "denied" };
            failures.push(format!(
                "{actor:?} {} {}: expected {expected}, got {} {}",
                row.method, row.path, response.status, response.body
            ));
        }
        // A function that changes data never runs on GET.
        if row.method == Method::POST {
            let response = client.get(&format!("{}?{}", row.path, query(&fields))).await;
            if response.status.is_success() {
                failures.push(format!("{actor:?} GET {} answered {}", row.path, response.status));
            }
        }
    }
    failures
}

on_both_databases!(
    as_anonymous,
    as_a_traveller,
    as_a_host_admin_of_another_coop,
    as_a_host_admin_of_the_coop,
    as_a_coordinator_of_another_network,
    as_a_coordinator_of_the_network,
    as_an_admin,
    every_server_function_has_a_row,
    private_parts_of_public_pages_are_seen_only_by_those_concerned,
    a_ledger_is_downloaded_only_in_its_networks,
    a_dashboard_is_downloaded_only_by_its_coordinators,
    a_letter_is_downloaded_only_by_its_stays_parties,
);

async fn check(db: Db, actor: Actor) {
    let failures = run_as(db, actor).await;
    assert!(failures.is_empty(), "{} unexpected answers:\n{}", failures.len(), failures.join("\n"));
}

async fn as_anonymous(db: Db) {
    check(db, Anonymous).await;
}
async fn as_a_traveller(db: Db) {
    check(db, Traveller).await;
}
async fn as_a_host_admin_of_another_coop(db: Db) {
    check(db, OtherHostAdmin).await;
}
async fn as_a_host_admin_of_the_coop(db: Db) {
    check(db, HostAdmin).await;
}
async fn as_a_coordinator_of_another_network(db: Db) {
    check(db, OtherCoordinator).await;
}
async fn as_a_coordinator_of_the_network(db: Db) {
    check(db, Coordinator).await;
}
async fn as_an_admin(db: Db) {
    check(db, Admin).await;
}

async fn every_server_function_has_a_row(db: Db) {
    // Building the router registers the server functions, as the server does at start-up.
    let _app = router(db).await;
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    let covered: BTreeSet<String> = table().iter().map(|row| row.path.to_owned()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(missing.is_empty(), "server functions without a row in the authorization matrix: {missing:?}");
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(stale.is_empty(), "rows for server functions that do not exist: {stale:?}");
    assert!(registered.len() >= 51, "only {} server functions registered", registered.len());
    eprintln!("authorization matrix: {} server functions x {} actors", registered.len(), EVERYONE.len());
}

async fn private_parts_of_public_pages_are_seen_only_by_those_concerned(db: Db) {
    let fixture = fixture(&db).await;
    let app = router(db).await;
    for actor in EVERYONE.iter().copied() {
        let mut client = match actor.email() {
            Some(email) => Client::logged_in(&app, email, DEMO_PASSWORD).await,
            None => Client::new(&app),
        };
        let network: serde_json::Value =
            serde_json::from_str(&client.get("/api/networks/get?slug=patio").await.body).unwrap();
        let sees_queue = !network["queue"].as_array().unwrap().is_empty();
        let sees_audit = !network["audit"].as_array().unwrap().is_empty();
        assert_eq!(sees_queue, COORDINATORS.contains(&actor), "{actor:?} and the verification queue");
        assert_eq!(sees_audit, COORDINATORS.contains(&actor), "{actor:?} and the audit trail");
        let coop: serde_json::Value =
            serde_json::from_str(&client.get("/api/coops/get?slug=telar-sur").await.body).unwrap();
        assert_eq!(coop["can_manage"], COOP_ADMINS.contains(&actor), "{actor:?} and managing Telar Sur");
        assert!(coop.get("lat").is_none() && coop.get("address").is_none(), "no exact location: {coop}");
        let exact = (-34.6037_f64, -58.3816_f64);
        let public = (coop["public_lat"].as_f64().unwrap(), coop["public_lon"].as_f64().unwrap());
        let from = app::domain::LatLon::new(exact.0, exact.1).unwrap();
        let moved = from.distance_m(&app::domain::LatLon::new(public.0, public.1).unwrap());
        assert!(moved >= 500.0, "the public location is only {moved} m from the exact one");
        if actor != Anonymous {
            let ids = |body: String| -> Vec<String> {
                let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                let items = json.as_array().unwrap().clone();
                items.iter().map(|i| i.get("stay").unwrap_or(i)["id"].to_string()).collect()
            };
            let inbox = ids(client.get("/api/stays/inbox").await.body);
            assert_eq!(inbox.contains(&fixture.stay), actor == HostAdmin, "{actor:?} and Telar Sur's inbox");
            let mine = ids(client.get("/api/stays/mine").await.body);
            assert_eq!(mine.contains(&fixture.stay), actor == Traveller, "{actor:?} and the traveller's requests");
        }
    }
}

async fn a_ledger_is_downloaded_only_in_its_networks(db: Db) {
    fixture(&db).await;
    let app = router(db).await;
    for actor in EVERYONE.iter().copied() {
        let mut client = match actor.email() {
            Some(email) => Client::logged_in(&app, email, DEMO_PASSWORD).await,
            None => Client::new(&app),
        };
        let response = client.get("/coops/telar-sur/ledger.csv").await;
        if THEIR_NETWORKS.contains(&actor) {
            assert_eq!(response.status, StatusCode::OK, "{actor:?}: {}", response.body);
            assert!(response.body.starts_with("kind,slug,name,"), "{actor:?}: {}", response.body);
            assert!(response.body.contains("total,telar-sur,"), "{actor:?}: {}", response.body);
        } else {
            let denied = matches!(response.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
            assert!(denied, "{actor:?} got the ledger: {} {}", response.status, response.body);
        }
    }
    let mut client = Client::logged_in(&app, "admin@demo.coop", DEMO_PASSWORD).await;
    assert_eq!(client.get("/coops/no-such-coop/ledger.csv").await.status, StatusCode::NOT_FOUND);
}

async fn a_dashboard_is_downloaded_only_by_its_coordinators(db: Db) {
    fixture(&db).await;
    let app = router(db).await;
    for actor in EVERYONE.iter().copied() {
        let mut client = match actor.email() {
            Some(email) => Client::logged_in(&app, email, DEMO_PASSWORD).await,
            None => Client::new(&app),
        };
        for figure in ["requests", "countries", "balances", "approvals"] {
            let response = client.get(&format!("/networks/patio/dashboard/{figure}.csv")).await;
            if COORDINATORS.contains(&actor) {
                assert_eq!(response.status, StatusCode::OK, "{actor:?} {figure}: {}", response.body);
                assert!(response.body.lines().count() >= 1, "{actor:?} {figure}");
            } else {
                let denied = matches!(response.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
                assert!(denied, "{actor:?} got the {figure} figure: {} {}", response.status, response.body);
            }
        }
    }
    let mut client = Client::logged_in(&app, "admin@demo.coop", DEMO_PASSWORD).await;
    assert_eq!(client.get("/networks/patio/dashboard/passwords.csv").await.status, StatusCode::NOT_FOUND);
}

async fn a_letter_is_downloaded_only_by_its_stays_parties(db: Db) {
    let fixture = fixture(&db).await;
    let app = router(db).await;
    let pdf = format!("/stays/{}/letters/{}.pdf", fixture.confirmed, fixture.letter);
    for actor in EVERYONE.iter().copied() {
        let mut client = match actor.email() {
            Some(email) => Client::logged_in(&app, email, DEMO_PASSWORD).await,
            None => Client::new(&app),
        };
        let response = client.get(&pdf).await;
        if INVOLVED.contains(&actor) {
            assert_eq!(response.status, StatusCode::OK, "{actor:?}: {}", response.body);
            assert!(response.body.starts_with("%PDF-"), "{actor:?}");
        } else {
            let denied = matches!(response.status, StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND);
            assert!(denied, "{actor:?} got the letter: {}", response.status);
        }
    }
    let mut client = Client::logged_in(&app, "traveller@demo.coop", DEMO_PASSWORD).await;
    let elsewhere = format!("/stays/{}/letters/{}.pdf", fixture.stay, fixture.letter);
    assert_eq!(client.get(&elsewhere).await.status, StatusCode::NOT_FOUND, "through another stay");
    let unknown = format!("/stays/{}/letters/aaaaaaaaaaaaaaaaaaaa.pdf", fixture.confirmed);
    assert_eq!(client.get(&unknown).await.status, StatusCode::NOT_FOUND);
}
