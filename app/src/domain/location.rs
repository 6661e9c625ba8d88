//! Points on the globe, distances, and the fuzzing that keeps a host's exact location private.

use super::DomainError;
use geo::{Destination, Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

/// How far a public location is moved from the exact one, in metres. At least 500 m so a pin never
/// points at a door; at most 1500 m so the pin stays in the right neighbourhood.
pub const FUZZ_MIN_METERS: f64 = 500.0;
pub const FUZZ_MAX_METERS: f64 = 1500.0;

/// A valid WGS 84 coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    lat: f64,
    lon: f64,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Result<Self, DomainError> {
        if lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok(Self { lat, lon })
        } else {
            Err(DomainError::InvalidCoordinates)
        }
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }

    fn point(&self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }

    /// Great-circle distance in metres (haversine on a spherical Earth: plenty for "how far is it").
    pub fn distance_m(&self, other: &LatLon) -> f64 {
        Haversine.distance(self.point(), other.point())
    }

    /// The public location of a place: moved by a distance and bearing derived from `seed`, which the caller draws
    /// once at random and stores, so the same place always shows the same fuzzed pin.
    ///
    /// `seed` in `[0, 1)²`: the first picks the distance in `[FUZZ_MIN_METERS, FUZZ_MAX_METERS)`, the second the
    /// bearing.
    pub fn fuzzed(&self, seed: (f64, f64)) -> LatLon {
        let (a, b) = (seed.0.clamp(0.0, 1.0), seed.1.clamp(0.0, 1.0));
        let meters = FUZZ_MIN_METERS + a * (FUZZ_MAX_METERS - FUZZ_MIN_METERS);
        let moved = Haversine.destination(self.point(), b * 360.0, meters);
        // Near the poles and the antimeridian the destination may wrap; normalise into the valid range.
        let lon = ((moved.x() + 540.0) % 360.0) - 180.0;
        LatLon { lat: moved.y().clamp(-90.0, 90.0), lon }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_outside_the_globe_are_refused() {
        assert!(LatLon::new(90.1, 0.0).is_err());
        assert!(LatLon::new(0.0, -180.5).is_err());
        assert!(LatLon::new(f64::NAN, 0.0).is_err());
        assert!(LatLon::new(-34.6037, -58.3816).is_ok());
    }

    #[test]
    fn buenos_aires_to_montevideo_is_about_200_km() {
        let buenos_aires = LatLon::new(-34.6037, -58.3816).unwrap();
        let montevideo = LatLon::new(-34.9011, -56.1645).unwrap();
        let km = buenos_aires.distance_m(&montevideo) / 1000.0;
        assert!((195.0..215.0).contains(&km), "{km} km");
    }

    #[test]
    fn a_fuzzed_location_is_at_least_500_m_away_and_stable_for_the_same_seed() {
        let exact = LatLon::new(41.3874, 2.1686).unwrap();
        for i in 0..50 {
            let seed = (f64::from(i) / 50.0, f64::from(49 - i) / 50.0);
            let public = exact.fuzzed(seed);
            let moved = exact.distance_m(&public);
            assert!((FUZZ_MIN_METERS - 1.0..=FUZZ_MAX_METERS + 1.0).contains(&moved), "moved {moved} m");
            assert_eq!(public, exact.fuzzed(seed));
        }
    }

    proptest::proptest! {
        /// Any place, any seed: the public point is on the globe and 500–1,500 m from the exact one. With one
        /// such point per exact location (the co-op's, shared by its offers), nothing public averages closer.
        #[test]
        fn every_fuzzed_point_is_between_500_and_1500_m_away(
            lat in -85.0..85.0f64,
            lon in -180.0..180.0f64,
            a in 0.0..1.0f64,
            b in 0.0..1.0f64,
        ) {
            let exact = LatLon::new(lat, lon).unwrap();
            let public = exact.fuzzed((a, b));
            proptest::prop_assert!(LatLon::new(public.lat(), public.lon()).is_ok());
            let moved = exact.distance_m(&public);
            proptest::prop_assert!((FUZZ_MIN_METERS - 1.0..=FUZZ_MAX_METERS + 1.0).contains(&moved), "moved {} m", moved);
        }
    }

    #[test]
    fn fuzzing_next_to_the_antimeridian_stays_on_the_globe() {
        let exact = LatLon::new(-16.5, 179.999).unwrap();
        let public = exact.fuzzed((0.9, 0.25));
        assert!(LatLon::new(public.lat(), public.lon()).is_ok(), "{public:?}");
    }
}
