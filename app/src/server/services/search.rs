//! Search by place and dates. Two steps, both in the database: a bounding box on the indexed public coordinates
//! narrows the offers, then one aggregate over the calendar keeps those with enough free places on every night;
//! the exact distance (haversine) and the order are computed here on what is left.

use chrono::NaiveDate;

use crate::api::search::{MAX_PINS, SearchHit, SearchPin, SearchResults};
use crate::domain::{CountryCode, DateRange, LatLon, OfferKind};
use crate::server::db::run;
use crate::server::{Db, ServiceError};

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// Largest radius and longest stay a search may ask for.
pub const MAX_RADIUS_KM: f64 = 2_000.0;
pub const MAX_NIGHTS: i64 = 60;

pub struct Query {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
    /// Comma-separated kinds; empty for all.
    pub kinds: String,
    /// Comma-separated language codes, one of which the host speaks; empty for any.
    pub languages: String,
    pub page: u32,
}

#[derive(sqlx::FromRow)]
struct Row {
    offer_id: crate::domain::OfferId,
    title: String,
    kind: String,
    slug: String,
    name: String,
    city: String,
    country: String,
    public_lat: f64,
    public_lon: f64,
    languages: String,
    free: i32,
}

/// The latitude/longitude box around `centre` that contains the circle of `radius_km`.
fn bounding_box(centre: LatLon, radius_km: f64) -> (f64, f64, f64, f64) {
    let dlat = radius_km / 111.2;
    let cos = centre.lat().to_radians().cos().abs().max(0.01);
    let dlon = (radius_km / (111.2 * cos)).min(180.0);
    (
        (centre.lat() - dlat).max(-90.0),
        (centre.lat() + dlat).min(90.0),
        (centre.lon() - dlon).max(-180.0),
        (centre.lon() + dlon).min(180.0),
    )
}

/// The search: public because the benchmark prints its plan.
pub const SQL: &str = "SELECT o.offer_id, o.title, o.kind, c.slug, c.name, c.city, c.country, o.public_lat, o.public_lon, \
    o.languages, MIN(n.capacity - n.reserved) AS free \
    FROM offers o JOIN coops c ON c.coop_id = o.coop_id \
    JOIN calendar_nights n ON n.offer_id = o.offer_id AND n.night >= $1 AND n.night < $2 \
    WHERE o.status = 'published' AND o.public_lat BETWEEN $3 AND $4 AND o.public_lon BETWEEN $5 AND $6 \
    AND ($7 = '' OR (',' || $7 || ',') LIKE ('%,' || o.kind || ',%')) \
    AND EXISTS (SELECT 1 FROM network_memberships m WHERE m.coop_id = c.coop_id AND m.status = 'verified') \
    GROUP BY o.offer_id, o.title, o.kind, c.slug, c.name, c.city, c.country, o.public_lat, o.public_lon, o.languages \
    HAVING COUNT(*) = $8 AND MIN(n.capacity - n.reserved) >= $9";

/// A query checked and turned into what the SQL binds.
struct Checked {
    centre: LatLon,
    range: DateRange,
    /// (min lat, max lat, min lon, max lon).
    bbox: (f64, f64, f64, f64),
    kinds: String,
    languages: Vec<String>,
}

fn check(query: &Query) -> Result<Checked, ServiceError> {
    let centre = LatLon::new(query.lat, query.lon)?;
    let range = DateRange::new(query.check_in, query.check_out)?;
    if range.nights() > MAX_NIGHTS {
        return Err(ServiceError::Invalid(format!("search at most {MAX_NIGHTS} nights at a time")));
    }
    if !(query.radius_km > 0.0 && query.radius_km <= MAX_RADIUS_KM) {
        return Err(ServiceError::Invalid(format!("the radius must be between 0 and {MAX_RADIUS_KM} km")));
    }
    if !(1..=1000).contains(&query.guests) {
        return Err(ServiceError::Invalid("the number of guests must be from 1 to 1000".into()));
    }
    let kinds = query
        .kinds
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| OfferKind::parse(k).map(|k| k.as_str()))
        .collect::<Result<Vec<_>, _>>()?
        .join(",");
    let languages = if query.languages.trim().is_empty() {
        Vec::new()
    } else {
        crate::domain::account::languages(&query.languages)?.split(',').map(str::to_owned).collect()
    };
    Ok(Checked { centre, range, bbox: bounding_box(centre, query.radius_km), kinds, languages })
}

/// Binds a checked query's values to `$1`…`$9` of [`SQL`] (the same for the search and its plan).
macro_rules! bind_search {
    ($query:expr, $checked:expr, $guests:expr) => {
        $query
            .bind($checked.range.check_in())
            .bind($checked.range.check_out())
            .bind($checked.bbox.0)
            .bind($checked.bbox.1)
            .bind($checked.bbox.2)
            .bind($checked.bbox.3)
            .bind(&$checked.kinds)
            .bind($checked.range.nights())
            .bind($guests)
    };
}

/// How the database runs a search (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`), one step per line: the
/// tests check that the location index and the calendar's key are used; the benchmark prints it.
pub async fn explain(db: &Db, query: &Query) -> Result<String, ServiceError> {
    use sqlx::Row as _;
    let checked = check(query)?;
    let (prefix, column) = match db.backend() {
        crate::server::Backend::Sqlite => ("EXPLAIN QUERY PLAN ", "detail"),
        crate::server::Backend::Postgres => ("EXPLAIN ", "QUERY PLAN"),
    };
    let sql = format!("{prefix}{SQL}");
    let mut tx = db.begin_read().await?;
    let lines: Vec<String> = run!(&mut tx, |c| {
        let rows = bind_search!(sqlx::query(&sql), checked, query.guests).fetch_all(&mut *c).await;
        rows.and_then(|rows| rows.iter().map(|row| row.try_get::<String, _>(column)).collect())
    })
    .map_err(crate::server::StoreError::from)?;
    tx.commit().await?;
    Ok(lines.join("\n"))
}

pub async fn search(db: &Db, query: &Query) -> Result<SearchResults, ServiceError> {
    let checked = check(query)?;
    let (centre, languages) = (checked.centre, &checked.languages);
    let mut tx = db.begin_read().await?;
    let rows: Vec<Row> =
        run!(&mut tx, |c| bind_search!(sqlx::query_as(SQL), checked, query.guests).fetch_all(&mut *c).await)
            .map_err(crate::server::StoreError::from)?;
    tx.commit().await?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let here = LatLon::new(row.public_lat, row.public_lon)?;
        let distance_km = centre.distance_m(&here) / 1000.0;
        if distance_km > query.radius_km
            || !(languages.is_empty() || row.languages.split(',').any(|l| languages.iter().any(|w| w == l)))
        {
            continue;
        }
        hits.push(SearchHit {
            offer: row.offer_id,
            title: row.title,
            kind: row.kind,
            coop_slug: row.slug,
            coop_name: row.name,
            city: row.city,
            country: CountryCode::parse(&row.country)?,
            lat: row.public_lat,
            lon: row.public_lon,
            distance_km: (distance_km * 10.0).round() / 10.0,
            free_places: row.free,
        });
    }
    hits.sort_by(|a, b| a.distance_km.total_cmp(&b.distance_km).then(a.offer.cmp(&b.offer)));
    let total = hits.len();
    let pins = hits
        .iter()
        .take(MAX_PINS)
        .map(|h| SearchPin { offer: h.offer, title: h.title.clone(), lat: h.lat, lon: h.lon })
        .collect();
    let start = (query.page as usize).saturating_mul(PAGE_SIZE);
    let more = total > start.saturating_add(PAGE_SIZE);
    let hits = hits.into_iter().skip(start).take(PAGE_SIZE).collect();
    Ok(SearchResults { hits, more, total, pins })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_contains_the_circle_even_far_from_the_equator() {
        let oslo = LatLon::new(59.91, 10.75).unwrap();
        let (min_lat, max_lat, min_lon, max_lon) = bounding_box(oslo, 2.0);
        for bearing in 0..36 {
            let point = oslo.fuzzed((1.0, f64::from(bearing) / 36.0));
            assert!(point.lat() > min_lat && point.lat() < max_lat && point.lon() > min_lon && point.lon() < max_lon);
        }
        assert!(max_lat - min_lat < 0.1, "not the whole world");
    }
}
