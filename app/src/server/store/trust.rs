//! References, profiles and the stays the reputation and the ledger are derived from. A reader sees only what
//! belongs to their networks: every query here is limited to the stays of the networks `viewer` is a member of
//! (through a co-op verified in it) or coordinates, or to all of them for an instance admin (see [`trusted`]).

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::trust::Side;
use crate::domain::{CoopId, NetworkId, StayRequestId, UserId};
use crate::server::{StoreError, Tx, db::run};

/// Who reads: the viewer's id and whether they are an instance admin.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub admin: bool,
}

/// The networks whose trust data `viewer` ($v) may read, an admin ($a) all of them: a subquery of network ids.
fn trusted(v: &str, a: &str) -> String {
    format!(
        "(SELECT tm.network_id FROM network_memberships tm JOIN coop_members tcm ON tcm.coop_id = tm.coop_id \
         WHERE tcm.user_id = {v} AND tm.status = 'verified' \
         UNION SELECT tc.network_id FROM network_coordinators tc WHERE tc.user_id = {v} \
         UNION SELECT ta.network_id FROM networks ta WHERE {a})"
    )
}

pub struct NewReference<'a> {
    pub stay: StayRequestId,
    pub side: Side,
    pub author: UserId,
    pub recommend: bool,
    pub body: &'a str,
    pub private_note: &'a str,
    pub at: DateTime<Utc>,
}

/// Writes a reference. A second one for the same side of the same stay is a `Conflict`.
pub async fn insert_reference(tx: &mut Tx, new: &NewReference<'_>) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO stay_references (stay_request_id, side, author_id, recommend, body, private_note, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(new.stay)
        .bind(new.side.as_str())
        .bind(new.author)
        .bind(new.recommend)
        .bind(new.body)
        .bind(new.private_note)
        .bind(new.at)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A reference of one stay.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StayReferenceRow {
    pub side: String,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    pub recommend: bool,
    pub body: String,
    pub private_note: String,
    pub created_at: DateTime<Utc>,
}

/// Both references of a stay, if written (the caller decides what its reader sees).
pub async fn of_stay(tx: &mut Tx, stay: StayRequestId) -> Result<Vec<StayReferenceRow>, StoreError> {
    const SQL: &str = "SELECT r.side, r.author_id, u.display_name AS author_name, r.recommend, r.body, \
                       r.private_note, r.created_at FROM stay_references r \
                       LEFT JOIN users u ON u.user_id = r.author_id WHERE r.stay_request_id = $1 ORDER BY r.side DESC";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(stay).fetch_all(&mut *c).await)?)
}

/// A reference in a list: about a co-op or about a traveller.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedReferenceRow {
    pub stay_request_id: StayRequestId,
    pub side: String,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    pub traveller_name: String,
    pub traveller_coop_name: String,
    pub host_coop_name: String,
    pub recommend: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub check_out: NaiveDate,
}

const LISTED: &str = "SELECT r.stay_request_id, r.side, r.author_id, a.display_name AS author_name, \
    t.display_name AS traveller_name, tc.name AS traveller_coop_name, hc.name AS host_coop_name, r.recommend, r.body, \
    r.created_at, s.check_out FROM stay_references r JOIN stay_requests s ON s.stay_request_id = r.stay_request_id \
    JOIN offers o ON o.offer_id = s.offer_id JOIN coops hc ON hc.coop_id = o.coop_id \
    JOIN coops tc ON tc.coop_id = s.traveller_coop_id JOIN users t ON t.user_id = s.traveller_id \
    LEFT JOIN users a ON a.user_id = r.author_id";

/// The shown references (both sides wrote, or the window closed before `closed_before`) that travellers wrote
/// about `coop`, in `viewer`'s networks, newest first.
pub async fn about_coop(
    tx: &mut Tx,
    coop: CoopId,
    viewer: Viewer,
    closed_before: NaiveDate,
) -> Result<Vec<ListedReferenceRow>, StoreError> {
    let sql = format!(
        "{LISTED} WHERE o.coop_id = $1 AND r.side = 'traveller' AND s.network_id IN {} AND (s.check_out < $4 \
         OR EXISTS (SELECT 1 FROM stay_references x WHERE x.stay_request_id = r.stay_request_id AND x.side = 'host')) \
         ORDER BY r.created_at DESC, r.stay_request_id DESC LIMIT 200",
        trusted("$2", "$3")
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql)
        .bind(coop)
        .bind(viewer.user)
        .bind(viewer.admin)
        .bind(closed_before)
        .fetch_all(&mut *c)
        .await)?)
}

/// The shown references host co-ops wrote about `traveller`, in `viewer`'s networks, newest first.
pub async fn about_traveller(
    tx: &mut Tx,
    traveller: UserId,
    viewer: Viewer,
    closed_before: NaiveDate,
) -> Result<Vec<ListedReferenceRow>, StoreError> {
    let sql = format!(
        "{LISTED} WHERE s.traveller_id = $1 AND r.side = 'host' AND s.network_id IN {} AND (s.check_out < $4 \
         OR EXISTS (SELECT 1 FROM stay_references x WHERE x.stay_request_id = r.stay_request_id \
           AND x.side = 'traveller')) \
         ORDER BY r.created_at DESC, r.stay_request_id DESC LIMIT 200",
        trusted("$2", "$3")
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql)
        .bind(traveller)
        .bind(viewer.user)
        .bind(viewer.admin)
        .bind(closed_before)
        .fetch_all(&mut *c)
        .await)?)
}

/// A stay of a co-op (hosted or sent) as the reputation and the ledger count it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StayFactRow {
    pub stay_request_id: StayRequestId,
    pub network_id: NetworkId,
    pub network_slug: String,
    pub network_name: String,
    pub host_coop_id: CoopId,
    pub host_coop_slug: String,
    pub host_coop_name: String,
    pub traveller_coop_id: CoopId,
    pub traveller_coop_slug: String,
    pub traveller_coop_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub offer_title: String,
    pub host_country: String,
    /// When the host first answered (accepted, declined or suggested other dates), if they did.
    pub answered_at: Option<DateTime<Utc>>,
}

const FACTS: &str = "SELECT s.stay_request_id, s.network_id, n.slug AS network_slug, n.name AS network_name, \
    o.coop_id AS host_coop_id, hc.slug AS host_coop_slug, hc.name AS host_coop_name, \
    s.traveller_coop_id, tc.slug AS traveller_coop_slug, tc.name AS traveller_coop_name, s.check_in, s.check_out, \
    s.guests, s.status, s.created_at, o.title AS offer_title, hc.country AS host_country, (SELECT MIN(e.created_at) FROM stay_request_events e \
      WHERE e.stay_request_id = s.stay_request_id AND e.from_status = 'requested' \
        AND e.to_status IN ('accepted', 'declined', 'suggested')) AS answered_at \
    FROM stay_requests s JOIN offers o ON o.offer_id = s.offer_id JOIN coops hc ON hc.coop_id = o.coop_id \
    JOIN coops tc ON tc.coop_id = s.traveller_coop_id JOIN networks n ON n.network_id = s.network_id";

/// The stays `coop` hosted or sent travellers to, in `viewer`'s networks: completed ones, and every request
/// made since `since` (for the answers).
pub async fn stays_of_coop(
    tx: &mut Tx,
    coop: CoopId,
    viewer: Viewer,
    since: DateTime<Utc>,
) -> Result<Vec<StayFactRow>, StoreError> {
    let sql = format!(
        "{FACTS} WHERE (o.coop_id = $1 OR s.traveller_coop_id = $1) AND s.network_id IN {} \
         AND (s.status = 'completed' OR s.created_at >= $4) ORDER BY s.stay_request_id",
        trusted("$2", "$3")
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql)
        .bind(coop)
        .bind(viewer.user)
        .bind(viewer.admin)
        .bind(since)
        .fetch_all(&mut *c)
        .await)?)
}

/// Every stay request of `network`, for its coordinators' dashboard.
pub async fn stays_of_network(tx: &mut Tx, network: NetworkId) -> Result<Vec<StayFactRow>, StoreError> {
    let sql = format!("{FACTS} WHERE s.network_id = $1 ORDER BY s.stay_request_id");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(network).fetch_all(&mut *c).await)?)
}

/// Whether `viewer` may see `coop`'s trust figures: a member of it, an admin, or a reader of a network it is
/// verified in.
pub async fn may_see_coop(tx: &mut Tx, coop: CoopId, viewer: Viewer) -> Result<bool, StoreError> {
    let sql = format!(
        "SELECT COUNT(*) FROM coops c WHERE c.coop_id = $1 AND ($3 \
         OR EXISTS (SELECT 1 FROM coop_members m WHERE m.coop_id = c.coop_id AND m.user_id = $2) \
         OR EXISTS (SELECT 1 FROM network_memberships nm WHERE nm.coop_id = c.coop_id AND nm.status = 'verified' \
           AND nm.network_id IN {}))",
        trusted("$2", "$3")
    );
    let n: i64 = run!(tx, |c| sqlx::query_scalar(&sql)
        .bind(coop)
        .bind(viewer.user)
        .bind(viewer.admin)
        .fetch_one(&mut *c)
        .await)?;
    Ok(n > 0)
}

/// Whether `viewer` shares a network with `person`: one of the person's co-ops is verified in a network where
/// the viewer's co-op is verified too, or is a member (in any state) of a network the viewer coordinates.
pub async fn shares_network(tx: &mut Tx, person: UserId, viewer: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM coop_members pm JOIN network_memberships pn ON pn.coop_id = pm.coop_id \
        WHERE pm.user_id = $1 AND ((pn.status = 'verified' AND pn.network_id IN (SELECT vn.network_id \
            FROM network_memberships vn JOIN coop_members vm ON vm.coop_id = vn.coop_id \
            WHERE vm.user_id = $2 AND vn.status = 'verified')) \
          OR pn.network_id IN (SELECT nc.network_id FROM network_coordinators nc WHERE nc.user_id = $2))";
    let n: i64 = run!(tx, |c| sqlx::query_scalar(SQL).bind(person).bind(viewer).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

/// A person's own words on their profile.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub user_id: UserId,
    pub display_name: String,
    pub bio: String,
    pub languages: String,
    pub skills: String,
    pub deleted: bool,
    /// A moderator hid the profile's own words.
    pub hidden: bool,
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspended_until: Option<DateTime<Utc>>,
}

impl ProfileRow {
    pub fn is_suspended(&self, now: DateTime<Utc>) -> bool {
        super::users::suspended(self.suspended_at, self.suspended_until, now)
    }
}

pub async fn profile(tx: &mut Tx, person: UserId) -> Result<Option<ProfileRow>, StoreError> {
    const SQL: &str = "SELECT user_id, display_name, bio, languages, skills, deleted_at IS NOT NULL AS deleted, \
                       profile_hidden_at IS NOT NULL AS hidden, suspended_at, suspended_until \
                       FROM users WHERE user_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(person).fetch_optional(&mut *c).await)?)
}

pub async fn set_profile(
    tx: &mut Tx,
    person: UserId,
    bio: &str,
    languages: &str,
    skills: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET bio = $1, languages = $2, skills = $3, updated_at = $4 WHERE user_id = $5";
    run!(tx, |c| sqlx::query(SQL)
        .bind(bio)
        .bind(languages)
        .bind(skills)
        .bind(super::now())
        .bind(person)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The countries of the co-ops `person` stayed at (completed stays in `viewer`'s networks), each once.
pub async fn visited_countries(tx: &mut Tx, person: UserId, viewer: Viewer) -> Result<Vec<String>, StoreError> {
    let sql = format!(
        "SELECT DISTINCT hc.country FROM stay_requests s JOIN offers o ON o.offer_id = s.offer_id \
         JOIN coops hc ON hc.coop_id = o.coop_id WHERE s.traveller_id = $1 AND s.status = 'completed' \
         AND s.network_id IN {} ORDER BY hc.country",
        trusted("$2", "$3")
    );
    Ok(run!(tx, |c| sqlx::query_scalar(&sql)
        .bind(person)
        .bind(viewer.user)
        .bind(viewer.admin)
        .fetch_all(&mut *c)
        .await)?)
}
