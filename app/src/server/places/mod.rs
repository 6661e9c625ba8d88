//! The offline place list: every place with 15,000+ people from GeoNames (CC BY), embedded at build time
//! (`build/geodata.rs`), searched by prefix of any of its names, accents, case and punctuation ignored, most populous
//! first. Used to resolve what a traveller types into the search box and to set a co-op's location. Nothing leaves
//! the machine.

pub mod fold;

use std::sync::OnceLock;

use crate::domain::CountryCode;

static PLACES: &str = include_str!(concat!(env!("OUT_DIR"), "/places.tsv"));
static KEYS: &str = include_str!(concat!(env!("OUT_DIR"), "/place_keys.txt"));

/// The world map's country outlines (Natural Earth via world-atlas, public domain) as one SVG in the projection of
/// `domain::map`, drawn by the build script; served at `/geo/world.svg`.
pub static WORLD_SVG: &str = include_str!(concat!(env!("OUT_DIR"), "/world.svg"));

/// The longest query looked up (longer input is cut, never an error).
pub const MAX_QUERY_CHARS: usize = 100;

/// A place of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The GeoNames id: stable across releases of the list.
    pub id: u32,
    pub name: &'static str,
    pub country: CountryCode,
    pub lat: f64,
    pub lon: f64,
    pub population: u32,
}

struct Index {
    /// Most populous first: a place's position is its rank.
    places: Vec<Place>,
    /// (folded name, position in `places`, the place's own name rather than an alternate), sorted by name.
    keys: Vec<(&'static str, u32, bool)>,
    /// Each country of the list: its folded code and names (English, Spanish, Portuguese), for "name, country".
    countries: std::collections::HashMap<CountryCode, (String, Vec<String>)>,
    /// The places of each 1° cell (floor of latitude and longitude), as positions in `places`, most populous first:
    /// what is near a point is read from a few cells rather than the whole list.
    cells: std::collections::HashMap<(i32, i32), Vec<u32>>,
}

/// The 1° cell a point falls in.
fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (lat.floor() as i32, lon.floor() as i32)
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // The files are written by our build script; a line that does not parse is skipped rather than trusted.
        let places: Vec<Place> = PLACES
            .lines()
            .filter_map(|line| {
                let mut f = line.split('\t');
                Some(Place {
                    id: f.next()?.parse().ok()?,
                    name: f.next()?,
                    country: CountryCode::parse(f.next()?).ok()?,
                    lat: f.next()?.parse().ok()?,
                    lon: f.next()?.parse().ok()?,
                    population: f.next()?.parse().ok()?,
                })
            })
            .collect();
        let keys = KEYS
            .lines()
            .filter_map(|line| {
                let mut f = line.split('\t');
                Some((f.next()?, f.next()?.parse().ok()?, f.next()? == "1"))
            })
            .collect();
        let mut countries = std::collections::HashMap::new();
        for place in &places {
            countries.entry(place.country.clone()).or_insert_with(|| {
                let names = COUNTRY_NAME_LANGUAGES.iter().map(|lang| fold::fold(place.country.name(lang))).collect();
                (place.country.as_str().to_ascii_lowercase(), names)
            });
        }
        let mut cells: std::collections::HashMap<(i32, i32), Vec<u32>> = std::collections::HashMap::new();
        for (position, place) in places.iter().enumerate() {
            cells.entry(cell(place.lat, place.lon)).or_default().push(position as u32);
        }
        Index { places, keys, countries, cells }
    })
}

/// How many places the list holds.
pub fn count() -> usize {
    index().places.len()
}

/// Places whose name starts with `query`, best first: exact names before longer ones, a place's own name before
/// its alternate names, then by population.
///
/// "Córdoba, ES" (or ", Spain", ", España") keeps only places in that country. At most `limit` places.
pub fn suggest(query: &str, limit: usize) -> Vec<&'static Place> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let (name, country) = match query.split_once(',') {
        Some((name, country)) => (fold::fold(name), Some(fold::fold(country))),
        None => (fold::fold(&query), None),
    };
    if name.is_empty() {
        return Vec::new();
    }
    let index = index();
    let start = index.keys.partition_point(|(key, ..)| *key < name.as_str());
    let mut found: Vec<(bool, bool, u32)> = index.keys[start..]
        .iter()
        .take_while(|(key, ..)| key.starts_with(name.as_str()))
        .map(|&(key, position, own)| (key == name, own, position))
        .collect();
    // Exact names first, then a place's own name before an alternate, then most populous (the lowest position);
    // one entry per place.
    found.sort_unstable_by_key(|&(exact, own, position)| (!exact, !own, position));
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .filter(|(.., position)| seen.insert(*position))
        .filter_map(|(.., position)| index.places.get(position as usize))
        .filter(|place| country.as_deref().is_none_or(|c| c.is_empty() || in_country(index, place, c)))
        .take(limit)
        .collect()
}

/// The best place for `query`, if any: what a search box without a picked suggestion means.
pub fn resolve(query: &str) -> Option<&'static Place> {
    suggest(query, 1).into_iter().next()
}

/// Place names for a map around `points` (latitude, longitude), most populous first, as (name, latitude,
/// longitude): the world's largest places, the largest around all the points, and the largest near each one, so that
/// every zoom from the world down to a pin has names to show (the map picks those that fit, `domain::map`).
pub fn map_labels(points: &[(f64, f64)]) -> Vec<(String, f64, f64)> {
    const WORLD: usize = 40;
    const AROUND: usize = 60;
    const NEAR_EACH: usize = 6;
    const SPOTS: usize = 40;
    let index = index();
    let mut keep = vec![false; index.places.len()];
    keep.iter_mut().take(WORLD).for_each(|k| *k = true);
    // The box around the points, grown by half its size each way (and at least 2° across).
    if let Some(&(lat0, lon0)) = points.first() {
        let (mut south, mut north, mut west, mut east) = (lat0, lat0, lon0, lon0);
        for &(lat, lon) in points {
            (south, north, west, east) = (south.min(lat), north.max(lat), west.min(lon), east.max(lon));
        }
        let (grow_lat, grow_lon) = (((north - south) / 2.0).max(1.0), ((east - west) / 2.0).max(1.0));
        mark(
            &mut keep,
            in_box(index, AROUND, (south - grow_lat, north + grow_lat), (west - grow_lon, east + grow_lon)),
        );
    }
    // Near each distinct spot (a few hundred metres apart count as one), within about 1°.
    let mut spots: Vec<(i64, i64)> =
        points.iter().map(|&(lat, lon)| ((lat * 100.0) as i64, (lon * 100.0) as i64)).collect();
    spots.sort_unstable();
    spots.dedup();
    for &(lat, lon) in spots.iter().take(SPOTS) {
        let (lat, lon) = (lat as f64 / 100.0, lon as f64 / 100.0);
        mark(&mut keep, in_box(index, NEAR_EACH, (lat - 1.0, lat + 1.0), (lon - 1.2, lon + 1.2)));
    }
    index
        .places
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(p, _)| (p.name.to_owned(), (p.lat * 1e4).round() / 1e4, (p.lon * 1e4).round() / 1e4))
        .collect()
}

fn mark(keep: &mut [bool], positions: Vec<usize>) {
    for i in positions {
        keep[i] = true;
    }
}

/// The positions of the `limit` most populous places inside the box (latitudes, longitudes, both ends included).
/// A box of a few thousand cells or fewer is read cell by cell; a larger one by going down the whole list.
fn in_box(index: &Index, limit: usize, (south, north): (f64, f64), (west, east): (f64, f64)) -> Vec<usize> {
    let inside = |p: &Place| (south..=north).contains(&p.lat) && (west..=east).contains(&p.lon);
    let (first, last) = (cell(south.max(-90.0), west.max(-180.0)), cell(north.min(90.0), east.min(180.0)));
    let count = i64::from(last.0 - first.0 + 1).max(0) * i64::from(last.1 - first.1 + 1).max(0);
    if count > 4_000 {
        return index.places.iter().enumerate().filter(|(_, p)| inside(p)).take(limit).map(|(i, _)| i).collect();
    }
    let mut found: Vec<usize> = (first.0..=last.0)
        .flat_map(|lat| (first.1..=last.1).map(move |lon| (lat, lon)))
        .filter_map(|key| index.cells.get(&key))
        .flatten()
        .map(|&i| i as usize)
        .filter(|&i| inside(&index.places[i]))
        .collect();
    found.sort_unstable();
    found.truncate(limit);
    found
}

/// The languages whose country names a query may use after its comma.
const COUNTRY_NAME_LANGUAGES: [&str; 3] = ["en", "es", "pt"];

/// Does the folded country part of a query (`es`, `spain`, `espa`) name the place's country: its code exactly, or
/// the start of one of its names?
fn in_country(index: &Index, place: &Place, folded: &str) -> bool {
    index
        .countries
        .get(&place.country)
        .is_some_and(|(code, names)| code == folded || names.iter().any(|name| name.starts_with(folded)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(query: &str) -> Vec<String> {
        suggest(query, 5).iter().map(|p| format!("{} {}", p.name, p.country.as_str())).collect()
    }

    #[test]
    fn the_list_holds_the_cities_of_15000_people_or_more() {
        assert!(count() > 20_000, "{}", count());
        // GeoNames adds capitals below the threshold (Nuuk, Belmopan…).
        let big = index().places.iter().filter(|p| p.population >= 15_000).count();
        assert!(big * 100 / count() >= 99, "{big} of {}", count());
        assert_eq!(names("nuuk")[0], "Nuuk GL");
    }

    #[test]
    fn typing_without_accents_finds_the_accented_name() {
        assert_eq!(names("sao paulo")[0], "São Paulo BR");
        assert_eq!(names("SÃO PAULO")[0], "São Paulo BR");
        assert_eq!(names("cordoba")[0], "Córdoba AR");
    }

    #[test]
    fn the_most_populous_comes_first_and_exact_names_before_longer_ones() {
        let paris = names("paris");
        assert_eq!(paris[0], "Paris FR");
        let san = names("san");
        assert!(san[0].starts_with("San"), "{san:?}");
        assert_eq!(names("londo")[0], "London GB");
    }

    #[test]
    fn alternate_names_in_other_languages_are_found() {
        assert_eq!(names("londres")[0], "London GB");
        assert_eq!(names("lisboa")[0], "Lisbon PT");
    }

    #[test]
    fn a_country_after_a_comma_narrows_the_list() {
        assert_eq!(names("cordoba, es")[0], "Córdoba ES");
        assert_eq!(names("cordoba, españa")[0], "Córdoba ES");
        assert_eq!(names("Córdoba, Spain")[0], "Córdoba ES");
        assert!(names("cordoba, ar").iter().all(|n| n.ends_with(" AR")));
    }

    #[test]
    fn nonsense_and_empty_queries_find_nothing_and_never_panic() {
        assert!(names("").is_empty());
        assert!(names("   ,,, ").is_empty());
        assert!(names("zzzzqqqq").is_empty());
        assert!(suggest(&"ä".repeat(10_000), 5).is_empty());
        assert_eq!(names("東京")[0], "Tokyo JP");
    }

    #[test]
    fn map_labels_hold_the_world_and_the_towns_near_a_pin_most_populous_first() {
        let labels = map_labels(&[(-32.95, -60.65)]);
        let names: Vec<&str> = labels.iter().map(|(n, ..)| n.as_str()).collect();
        assert!(names.contains(&"Tokyo") || names.contains(&"Shanghai"), "the world's largest: {names:?}");
        assert!(names.contains(&"Rosario"), "the pin's own city: {names:?}");
        assert!(names.len() < 150, "a page carries a bounded list: {}", names.len());
        assert!(map_labels(&[]).len() <= 40);
    }

    #[test]
    fn the_cells_find_what_going_down_the_whole_list_finds() {
        let index = index();
        for (lat, lon) in [(-32.95, -60.65), (0.0, 0.0), (51.5, -0.1), (89.5, 179.5), (-34.6, -58.4), (35.7, 139.7)] {
            for (dlat, dlon, limit) in [(1.0, 1.2, 6), (10.0, 20.0, 60), (0.1, 0.1, 3), (80.0, 170.0, 60)] {
                let (lats, lons) = ((lat - dlat, lat + dlat), (lon - dlon, lon + dlon));
                let linear: Vec<usize> = index
                    .places
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| (lats.0..=lats.1).contains(&p.lat) && (lons.0..=lons.1).contains(&p.lon))
                    .take(limit)
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(in_box(index, limit, lats, lons), linear, "around ({lat}, {lon}) ± ({dlat}, {dlon})");
            }
        }
    }
}
