//! Search by place and dates, nearest first, in work that grows with how far the search must look to fill the page
//! rather than with the number of offers in the whole radius:
//!
//! 1. **rings**: the published offers in the latitude/longitude box around a circle of `reach` km, read from one
//!    partial covering index (`offers_published_location`), kinds and language filtered there. Those within `reach`
//!    (haversine) and not seen before are *settled*: nothing outside the circle is nearer. The first reach is
//!    [`FIRST_REACH_KM`]; each next one doubles, up to the search radius;
//! 2. **availability**, nearest first, in batches ([`FIRST_BATCH`], then four times bigger): one aggregate over the
//!    calendar rows of the range (`HAVING COUNT(*) = nights AND MIN(capacity - reserved) >= guests`), then keeping
//!    offers of co-ops verified in a network;
//! 3. stop as soon as the page (and one more, to know there are more) is full — every unsettled offer is farther
//!    than every one found — or the radius is covered;
//! 4. **details** (title, co-op) for the page's offers only.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::{CoopId, CountryCode, DateRange, LatLon, OfferId, OfferKind};
use crate::error::Refusal;
use crate::server::{Db, ServiceError, StoreError, Tx};
use crate::views::search::{SearchHit, SearchResults};

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// Largest radius and longest stay a search may ask for.
pub const MAX_RADIUS_KM: f64 = 2_000.0;
pub const MAX_NIGHTS: i64 = 60;
/// The first batch of settled offers checked for availability; each next batch is four times bigger.
const FIRST_BATCH: usize = 64;
/// The first circle looked in; each next one doubles (a city's centre holds many offers within a few km).
pub const FIRST_REACH_KM: f64 = 2.0;

pub struct Query {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
    /// Comma-separated kinds; empty for all.
    pub kinds: String,
    /// A language the host speaks (ISO 639-1); empty for any.
    pub language: String,
    pub page: u32,
    /// The skills the searcher brings (their profile's tags), to show which offers ask for them.
    pub brought: Vec<String>,
    /// Only offers that ask for at least one of `brought`.
    pub only_matching: bool,
    /// Co-ops whose offers the searcher does not see: a block stands between them and one of its host admins.
    pub apart_from: Vec<CoopId>,
}

/// A latitude/longitude box: (min lat, max lat, min lon, max lon).
type LatLonBox = (f64, f64, f64, f64);

/// The earth's mean radius, as `geo`'s haversine distance uses it.
const EARTH_RADIUS_KM: f64 = 6_371.008_8;
/// Added to each side of a box so a point exactly on the circle is never lost to rounding.
const BOX_MARGIN_DEGREES: f64 = 1e-6;

/// The latitude/longitude boxes that together contain the circle of `radius_km` around `centre`: one, or two when
/// the circle crosses the antimeridian (a search in Fiji sees both sides). The longitude half-width is the circle's
/// widest, `asin(sin(d) / cos(lat))` for an angular radius `d`; every longitude when the circle holds a pole.
fn bounding_boxes(centre: LatLon, radius_km: f64) -> Vec<LatLonBox> {
    let d = radius_km / EARTH_RADIUS_KM;
    let dlat = d.to_degrees() + BOX_MARGIN_DEGREES;
    let (min_lat, max_lat) = ((centre.lat() - dlat).max(-90.0), (centre.lat() + dlat).min(90.0));
    let cos = centre.lat().to_radians().cos();
    if min_lat <= -90.0 || max_lat >= 90.0 || d.sin() >= cos {
        return vec![(min_lat, max_lat, -180.0, 180.0)];
    }
    let dlon = (d.sin() / cos).asin().to_degrees() + BOX_MARGIN_DEGREES;
    let (west, east) = (centre.lon() - dlon, centre.lon() + dlon);
    if west < -180.0 {
        vec![(min_lat, max_lat, -180.0, east), (min_lat, max_lat, west + 360.0, 180.0)]
    } else if east > 180.0 {
        vec![(min_lat, max_lat, west, 180.0), (min_lat, max_lat, -180.0, east - 360.0)]
    } else {
        vec![(min_lat, max_lat, west, east)]
    }
}

/// Step 1: the published offers in a box ((`$1`, `$2`) latitudes, (`$3`, `$4`) longitudes) of kinds `$5` and
/// language `$6`.
pub const CANDIDATES_SQL: &str = "SELECT o.offer_id, o.coop_id, o.public_lat, o.public_lon FROM offers o \
    WHERE o.status = 'published' AND o.public_lat BETWEEN $1 AND $2 AND o.public_lon BETWEEN $3 AND $4 \
    AND ($5 = '' OR (',' || $5 || ',') LIKE ('%,' || o.kind || ',%')) \
    AND ($6 = '' OR (',' || o.languages || ',') LIKE ('%,' || $6 || ',%'))";

/// Step 2: which of a batch (`$1`) have `$5` free places on each of the `$4` nights of [`$2`, `$3`), and belong to a
/// co-op verified in a network (checked once per offer that has the places, not per night). The batch is a JSON
/// array on SQLite and an array on PostgreSQL.
const AVAILABLE_HEAD: &str = "SELECT a.offer_id, a.free FROM (SELECT n.offer_id, MIN(n.capacity - n.reserved) AS free \
    FROM calendar_nights n WHERE ";
const AVAILABLE_TAIL: &str = " AND n.night >= $2 AND n.night < $3 \
    GROUP BY n.offer_id HAVING COUNT(*) = $4 AND MIN(n.capacity - n.reserved) >= $5) a \
    WHERE EXISTS (SELECT 1 FROM offers o JOIN network_memberships m ON m.coop_id = o.coop_id \
    AND m.status = 'verified' WHERE o.offer_id = a.offer_id)";

/// Step 4: what the page shows of its offers.
const DETAILS_HEAD: &str = "SELECT o.offer_id, o.title, o.kind, o.skills_wanted, c.slug, c.name, c.city, c.country \
    FROM offers o JOIN coops c ON c.coop_id = o.coop_id WHERE ";

/// `column` is one of the ids bound as `$1` (see [`with_ids!`]).
fn ids_clause(db: &Db, column: &str) -> String {
    match db.backend() {
        crate::server::Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each($1))"),
        crate::server::Backend::Postgres => format!("{column} = ANY($1)"),
    }
}

fn available_sql(db: &Db) -> String {
    format!("{AVAILABLE_HEAD}{}{AVAILABLE_TAIL}", ids_clause(db, "n.offer_id"))
}

fn details_sql(db: &Db) -> String {
    format!("{DETAILS_HEAD}{}", ids_clause(db, "o.offer_id"))
}

/// The skills asked for by a batch (`$1`) of offers, for keeping those that ask for what the searcher brings.
fn skills_sql(db: &Db) -> String {
    format!("SELECT o.offer_id, o.skills_wanted FROM offers o WHERE {}", ids_clause(db, "o.offer_id"))
}

#[derive(sqlx::FromRow)]
struct Candidate {
    offer_id: OfferId,
    coop_id: CoopId,
    public_lat: f64,
    public_lon: f64,
}

#[derive(sqlx::FromRow)]
struct Details {
    offer_id: OfferId,
    title: String,
    kind: String,
    skills_wanted: String,
    slug: String,
    name: String,
    city: String,
    country: String,
}

/// A query checked and turned into what the SQL binds.
struct Checked {
    centre: LatLon,
    radius_km: f64,
    range: DateRange,
    guests: i32,
    kinds: String,
    language: String,
}

fn check(query: &Query) -> Result<Checked, ServiceError> {
    let centre = LatLon::new(query.lat, query.lon)?;
    let range = DateRange::new(query.check_in, query.check_out)?;
    if range.nights() > MAX_NIGHTS {
        return Err(ServiceError::Invalid(Refusal::SearchTooManyNights { max: MAX_NIGHTS }));
    }
    if !(query.radius_km > 0.0 && query.radius_km <= MAX_RADIUS_KM) {
        return Err(ServiceError::Invalid(Refusal::RadiusRange { max: MAX_RADIUS_KM as i64 }));
    }
    if !(1..=1000).contains(&query.guests) {
        return Err(ServiceError::Invalid(Refusal::GuestsRange));
    }
    let kinds = query
        .kinds
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| OfferKind::parse(k).map(|k| k.as_str()))
        .collect::<Result<Vec<_>, _>>()?
        .join(",");
    let language = crate::domain::account::languages(&query.language)?;
    if language.contains(',') {
        return Err(ServiceError::Invalid(Refusal::OneLanguage));
    }
    Ok(Checked { centre, radius_km: query.radius_km, range, guests: query.guests, kinds, language })
}

/// Integers as a JSON array, for SQLite's `json_each`.
fn json_ids(ids: &[OfferId]) -> String {
    format!("[{}]", ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(","))
}

/// The query `$query` with the candidates step's parameters bound ([`CANDIDATES_SQL`]) for one box.
macro_rules! bind_candidates {
    ($query:expr, $q:expr, $bbox:expr) => {{
        let (min_lat, max_lat, min_lon, max_lon) = $bbox;
        $query.bind(min_lat).bind(max_lat).bind(min_lon).bind(max_lon).bind(&$q.kinds).bind(&$q.language)
    }};
}

/// The offers in the boxes around the circle of `reach` km (some outside the circle).
async fn candidates(tx: &mut Tx, q: &Checked, reach: f64) -> Result<Vec<Candidate>, StoreError> {
    let mut found = Vec::new();
    for bbox in bounding_boxes(q.centre, reach) {
        let rows: Vec<Candidate> =
            crate::server::db::run!(tx, |c| bind_candidates!(sqlx::query_as(CANDIDATES_SQL), q, bbox)
                .fetch_all(&mut *c)
                .await)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Binds the batch of ids as `$1` in the form each database reads (a JSON array for SQLite's `json_each`, an
/// array for PostgreSQL's `ANY`), then the remaining binds, and fetches every row: typed rows by default, or
/// `$query` (e.g. `sqlx::query`) with `$rows` mapping each backend's rows (`rows => expression`).
macro_rules! with_ids {
    ($tx:expr, $sql:expr, $ids:expr $(, $bind:expr)*) => {
        with_ids!($tx, sqlx::query_as, rows => Ok(rows), $sql, $ids $(, $bind)*)
    };
    ($tx:expr, $query:path, $rows:ident => $map:expr, $sql:expr, $ids:expr $(, $bind:expr)*) => {
        match $tx {
            Tx::Sqlite(c) => $query($sql).bind(json_ids($ids))$(.bind($bind))*.fetch_all(&mut **c).await.and_then(|$rows| $map),
            Tx::Postgres(c) => {
                let ids: Vec<i64> = $ids.iter().map(|id| id.0).collect();
                $query($sql).bind(ids)$(.bind($bind))*.fetch_all(&mut **c).await.and_then(|$rows| $map)
            }
        }
    };
}

/// Step 2 for the batch `$ids` of the checked query `$q` ([`available_sql`] as `$sql`), through [`with_ids!`]
/// with `$query` and its row mapping.
macro_rules! with_availability {
    ($tx:expr, $query:path, $rows:ident => $map:expr, $sql:expr, $ids:expr, $q:expr) => {
        with_ids!(
            $tx,
            $query,
            $rows => $map,
            $sql,
            $ids,
            $q.range.check_in(),
            $q.range.check_out(),
            $q.range.nights(),
            $q.guests
        )
    };
}

pub async fn search(db: &Db, query: &Query) -> Result<SearchResults, ServiceError> {
    let checked = check(query)?;
    let wanted = (query.page as usize).saturating_add(1).saturating_mul(PAGE_SIZE).saturating_add(1);
    let (available, details) = (available_sql(db), details_sql(db));
    let mut tx = db.begin_read().await?;
    // (offer, distance in km, latitude, longitude, free places), nearest first: each ring is sorted and lies
    // beyond the one before, so appending keeps the order.
    let mut found: Vec<(OfferId, f64, f64, f64, i32)> = Vec::new();
    let mut settled: HashSet<OfferId> = HashSet::new();
    let mut reach = FIRST_REACH_KM.min(checked.radius_km);
    let mut batch = FIRST_BATCH;
    'rings: loop {
        // The offers newly within `reach`, nearest first.
        let mut ring: Vec<(OfferId, f64, f64, f64)> = Vec::new();
        for row in candidates(&mut tx, &checked, reach).await? {
            let here = LatLon::new(row.public_lat, row.public_lon)?;
            let km = checked.centre.distance_m(&here) / 1000.0;
            if km <= reach && settled.insert(row.offer_id) && !query.apart_from.contains(&row.coop_id) {
                ring.push((row.offer_id, km, row.public_lat, row.public_lon));
            }
        }
        ring.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut rest = ring.as_slice();
        while !rest.is_empty() {
            let (next, after) = rest.split_at(batch.min(rest.len()));
            rest = after;
            batch = batch.saturating_mul(4);
            let ids: Vec<OfferId> = next.iter().map(|n| n.0).collect();
            let free: Vec<(OfferId, i32)> =
                with_availability!(&mut tx, sqlx::query_as, rows => Ok(rows), &available, &ids, checked)
                    .map_err(StoreError::from)?;
            let mut free: HashMap<OfferId, i32> = free.into_iter().collect();
            if query.only_matching && !free.is_empty() {
                let ids: Vec<OfferId> = free.keys().copied().collect();
                let asked: Vec<(OfferId, String)> =
                    with_ids!(&mut tx, &skills_sql(db), &ids).map_err(StoreError::from)?;
                for (id, wanted) in asked {
                    if crate::domain::trust::matching(&crate::domain::trust::tags(&wanted), &query.brought).is_empty() {
                        free.remove(&id);
                    }
                }
            }
            found.extend(next.iter().filter_map(|&(id, km, lat, lon)| free.get(&id).map(|f| (id, km, lat, lon, *f))));
            // Everything not yet checked is at least as far as everything found.
            if found.len() >= wanted {
                break 'rings;
            }
        }
        if reach >= checked.radius_km {
            break;
        }
        reach = (reach * 2.0).min(checked.radius_km);
    }
    let start = (query.page as usize).saturating_mul(PAGE_SIZE);
    let more = found.len() > start.saturating_add(PAGE_SIZE);
    let page: Vec<_> = found.into_iter().skip(start).take(PAGE_SIZE).collect();
    let ids: Vec<OfferId> = page.iter().map(|p| p.0).collect();
    let rows: Vec<Details> =
        if ids.is_empty() { Vec::new() } else { with_ids!(&mut tx, &details, &ids).map_err(StoreError::from)? };
    tx.commit().await?;
    let rows: HashMap<OfferId, Details> = rows.into_iter().map(|r| (r.offer_id, r)).collect();
    let mut hits = Vec::with_capacity(page.len());
    for (offer, km, lat, lon, free) in page {
        let Some(row) = rows.get(&offer) else { continue };
        let skills_wanted = crate::domain::trust::tags(&row.skills_wanted);
        let matching =
            crate::domain::trust::matching(&skills_wanted, &query.brought).into_iter().map(str::to_owned).collect();
        hits.push(SearchHit {
            skills_wanted,
            matching,
            offer,
            title: row.title.clone(),
            kind: OfferKind::parse(&row.kind)?,
            coop_slug: row.slug.clone(),
            coop_name: row.name.clone(),
            city: row.city.clone(),
            country: CountryCode::parse(&row.country)?,
            lat,
            lon,
            distance_km: (km * 10.0).round() / 10.0,
            free_places: free,
            reputation: None,
        });
    }
    Ok(SearchResults { hits, more })
}

/// How the database runs a search's two steps (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`, or with
/// `analyze` PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)`), for the box of the whole radius and the availability of
/// a first batch of its offers: the tests check that the location index and the calendar's key are used; the
/// benchmark prints it.
pub async fn explain(db: &Db, query: &Query, analyze: bool) -> Result<String, ServiceError> {
    use sqlx::Row as _;
    let checked = check(query)?;
    let (prefix, column) = match (db.backend(), analyze) {
        (crate::server::Backend::Sqlite, _) => ("EXPLAIN QUERY PLAN ", "detail"),
        (crate::server::Backend::Postgres, false) => ("EXPLAIN ", "QUERY PLAN"),
        (crate::server::Backend::Postgres, true) => ("EXPLAIN (ANALYZE, BUFFERS) ", "QUERY PLAN"),
    };
    let mut tx = db.begin_read().await?;
    let ids: Vec<OfferId> =
        candidates(&mut tx, &checked, checked.radius_km).await?.iter().take(FIRST_BATCH).map(|c| c.offer_id).collect();
    let first = format!("{prefix}{CANDIDATES_SQL}");
    let mut lines: Vec<String> = vec!["-- candidates".into()];
    // The plan of the first box (a second, across the antimeridian, reads the same way).
    if let Some(bbox) = bounding_boxes(checked.centre, checked.radius_km).into_iter().next() {
        let plan: Vec<String> = crate::server::db::run!(&mut tx, |c| {
            let rows = bind_candidates!(sqlx::query(&first), checked, bbox).fetch_all(&mut *c).await;
            rows.and_then(|rows| rows.iter().map(|r| r.try_get::<String, _>(column)).collect())
        })
        .map_err(StoreError::from)?;
        lines.extend(plan);
    }
    lines.push(format!("-- availability of the first {} candidates", ids.len()));
    let second = format!("{prefix}{}", available_sql(db));
    let plan: Vec<String> = with_availability!(
        &mut tx,
        sqlx::query,
        rows => rows.iter().map(|r| r.try_get::<String, _>(column)).collect(),
        &second,
        &ids,
        checked
    )
    .map_err(StoreError::from)?;
    lines.extend(plan);
    tx.commit().await?;
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Is every point of the circle of `km` around (`lat`, `lon`) inside one of its boxes?
    fn circle_is_inside(lat: f64, lon: f64, km: f64) -> bool {
        use geo::{Destination, Haversine, Point};
        let boxes = bounding_boxes(LatLon::new(lat, lon).unwrap(), km);
        (0..360).all(|bearing| {
            let p = Haversine.destination(Point::new(lon, lat), f64::from(bearing), km * 1000.0);
            boxes.iter().any(|&(s, n, w, e)| (s..=n).contains(&p.y()) && (w..=e).contains(&p.x()))
        })
    }

    #[test]
    fn the_boxes_contain_the_circle_at_every_latitude_and_size() {
        for (lat, lon) in [(59.91, 10.75), (-34.6, -58.38), (0.0, 0.0), (78.2, 15.6), (-54.8, -68.3)] {
            for km in [2.0, 50.0, 500.0, 2_000.0] {
                assert!(circle_is_inside(lat, lon, km), "{km} km around {lat}, {lon}");
            }
        }
        let (min_lat, max_lat, ..) = bounding_boxes(LatLon::new(59.91, 10.75).unwrap(), 2.0)[0];
        assert!(max_lat - min_lat < 0.1, "not the whole world");
    }

    #[test]
    fn a_circle_across_the_antimeridian_gets_a_box_on_each_side() {
        let fiji = LatLon::new(-17.7, 179.9).unwrap();
        let boxes = bounding_boxes(fiji, 50.0);
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        assert!(boxes.iter().any(|b| b.2 == -180.0) && boxes.iter().any(|b| b.3 == 180.0), "{boxes:?}");
        assert!(circle_is_inside(-17.7, 179.9, 50.0) && circle_is_inside(65.0, -179.8, 300.0));
        let pole = bounding_boxes(LatLon::new(89.9, 30.0).unwrap(), 50.0);
        assert_eq!(pole, [(pole[0].0, 90.0, -180.0, 180.0)], "a circle round the pole holds every longitude");
    }
}
