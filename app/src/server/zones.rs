//! Time zones: a place's zone from its coordinates (tzf-rs, whose boundary data ships inside the crate), and the
//! zone a co-op or a person has.

use std::sync::LazyLock;

use chrono_tz::Tz;

use crate::domain::LatLon;

/// The compact finder: a few milliseconds to load, the same answers as the full one (borders within ~100 m).
static FINDER: LazyLock<tzf_rs::EmbeddedFinder> = LazyLock::new(tzf_rs::EmbeddedFinder::new);

/// The zone of a place; UTC where the data has none.
pub fn at(place: LatLon) -> Tz {
    FINDER.get_tz_name(place.lon(), place.lat()).parse().unwrap_or(Tz::UTC)
}

/// A zone by its IANA name (`America/Argentina/Buenos_Aires`).
pub fn parse(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// A co-op's zone: the one chosen, else its place's.
pub fn of_coop(chosen: Option<&str>, place: LatLon) -> Tz {
    chosen.and_then(parse).unwrap_or_else(|| at(place))
}

/// A person's zone: the one stored, else UTC.
pub fn of_person(stored: Option<&str>) -> Tz {
    stored.and_then(parse).unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).unwrap()
    }

    #[test]
    fn places_get_their_zones() {
        assert_eq!(at(place(-34.6037, -58.3816)), Tz::America__Argentina__Buenos_Aires);
        assert_eq!(at(place(41.3874, 2.1686)), Tz::Europe__Madrid);
        assert_eq!(at(place(-23.55, -46.63)), Tz::America__Sao_Paulo);
        assert_eq!(at(place(0.0, -30.0)).name(), "Etc/GMT+2", "at sea, the nautical zone");
    }

    #[test]
    fn a_chosen_zone_wins_and_a_bad_one_falls_back_to_the_place() {
        let here = place(-34.6, -58.4);
        assert_eq!(of_coop(Some("Europe/Lisbon"), here), Tz::Europe__Lisbon);
        assert_eq!(of_coop(Some("Mars/Olympus"), here), Tz::America__Argentina__Buenos_Aires);
        assert_eq!(of_person(None), Tz::UTC);
    }
}
