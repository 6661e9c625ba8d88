//! Stays are half-open ranges of nights: `[check_in, check_out)`.

use super::DomainError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// At least one night: check-in is the first night, check-out the morning after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDateRange", into = "RawDateRange")]
pub struct DateRange {
    check_in: NaiveDate,
    check_out: NaiveDate,
}

#[derive(Serialize, Deserialize)]
struct RawDateRange {
    check_in: NaiveDate,
    check_out: NaiveDate,
}

impl DateRange {
    pub fn new(check_in: NaiveDate, check_out: NaiveDate) -> Result<Self, DomainError> {
        if check_out > check_in { Ok(Self { check_in, check_out }) } else { Err(DomainError::EmptyDateRange) }
    }

    pub fn check_in(&self) -> NaiveDate {
        self.check_in
    }

    pub fn check_out(&self) -> NaiveDate {
        self.check_out
    }

    /// How many nights the stay lasts (always ≥ 1).
    pub fn nights(&self) -> i64 {
        (self.check_out - self.check_in).num_days()
    }

    /// Every night of the stay, in order.
    pub fn iter_nights(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let check_out = self.check_out;
        self.check_in.iter_days().take_while(move |night| *night < check_out)
    }

    /// Whether the two stays share at least one night.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.check_in < other.check_out && other.check_in < self.check_out
    }
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = DomainError;
    fn try_from(raw: RawDateRange) -> Result<Self, Self::Error> {
        Self::new(raw.check_in, raw.check_out)
    }
}

impl From<DateRange> for RawDateRange {
    fn from(range: DateRange) -> Self {
        Self { check_in: range.check_in, check_out: range.check_out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_stay_ending_before_it_starts_is_rejected() {
        assert_eq!(DateRange::new(day(10), day(9)), Err(DomainError::EmptyDateRange));
    }

    #[test]
    fn a_stay_ending_the_day_it_starts_is_rejected() {
        assert_eq!(DateRange::new(day(10), day(10)), Err(DomainError::EmptyDateRange));
    }

    #[test]
    fn check_out_morning_is_not_a_night_of_the_stay() {
        let range = DateRange::new(day(10), day(13)).unwrap();
        assert_eq!(range.nights(), 3);
        assert_eq!(range.iter_nights().collect::<Vec<_>>(), vec![day(10), day(11), day(12)]);
    }

    #[test]
    fn back_to_back_stays_do_not_overlap_but_shared_nights_do() {
        let first = DateRange::new(day(10), day(13)).unwrap();
        assert!(!first.overlaps(&DateRange::new(day(13), day(15)).unwrap()));
        assert!(first.overlaps(&DateRange::new(day(12), day(15)).unwrap()));
        assert!(first.overlaps(&DateRange::new(day(1), day(31)).unwrap()));
    }

    #[test]
    fn deserializing_refuses_an_empty_range() {
        let json = r#"{"check_in":"2026-12-10","check_out":"2026-12-10"}"#;
        assert!(serde_json_free_parse(json).is_err());
    }

    /// Round-trips through serde's own test-friendly value format without pulling serde_json into the crate.
    fn serde_json_free_parse(json: &str) -> Result<DateRange, String> {
        let inner = json.trim_matches(|c| c == '{' || c == '}');
        let mut dates = inner.split(',').map(|part| {
            let value = part.split(':').nth(1).unwrap_or_default().trim_matches('"');
            NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|e| e.to_string())
        });
        let raw =
            RawDateRange { check_in: dates.next().ok_or("missing")??, check_out: dates.next().ok_or("missing")?? };
        DateRange::try_from(raw).map_err(|e| e.to_string())
    }
}
