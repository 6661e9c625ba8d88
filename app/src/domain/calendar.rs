//! Editing an offer's nightly calendar: which nights an edit touches, and the rule that capacity never drops
//! below what is already reserved.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::DateRange;

/// The longest range one edit may touch (two years of nights).
pub const MAX_EDIT_NIGHTS: i64 = 731;

/// Days of the week an edit applies to (all when none is chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Weekdays(u8);

impl Weekdays {
    pub const ALL: Weekdays = Weekdays(0b111_1111);
    /// Friday and Saturday nights: a weekend stay.
    pub const WEEKEND_NIGHTS: Weekdays = Weekdays((1 << 4) | (1 << 5));

    /// From form values such as `["sat", "sun"]`; unknown names are ignored, none means every day.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Weekdays {
        let bits = names.into_iter().fold(0_u8, |bits, name| match name.trim().to_ascii_lowercase().as_str() {
            "mon" => bits | 1,
            "tue" => bits | 1 << 1,
            "wed" => bits | 1 << 2,
            "thu" => bits | 1 << 3,
            "fri" => bits | 1 << 4,
            "sat" => bits | 1 << 5,
            "sun" => bits | 1 << 6,
            _ => bits,
        });
        if bits == 0 { Weekdays::ALL } else { Weekdays(bits) }
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
}

/// A night as the calendar stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Night {
    pub night: NaiveDate,
    pub capacity: i32,
    pub reserved: i32,
}

/// The nights of `range` on the chosen weekdays.
pub fn nights_to_edit(range: DateRange, weekdays: Weekdays) -> Vec<NaiveDate> {
    range.iter_nights().filter(|night| weekdays.contains(night.weekday())).collect()
}

/// The new capacity of each night, or the nights where it would drop below what is reserved (nothing changes
/// then). `current` holds the existing rows; nights without a row have nothing reserved.
pub fn plan(current: &[Night], nights: &[NaiveDate], capacity: i32) -> Result<Vec<(NaiveDate, i32)>, Vec<Night>> {
    let conflicts: Vec<Night> = nights
        .iter()
        .filter_map(|night| current.iter().find(|row| row.night == *night))
        .filter(|row| row.reserved > capacity)
        .copied()
        .collect();
    if conflicts.is_empty() { Ok(nights.iter().map(|night| (*night, capacity)).collect()) } else { Err(conflicts) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap()
    }

    #[test]
    fn every_weekend_in_march_is_the_friday_and_saturday_nights() {
        let march = DateRange::new(day(1), NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()).unwrap();
        let nights = nights_to_edit(march, Weekdays::from_names(["fri", "sat"]));
        assert_eq!(nights.len(), 8);
        assert!(nights.iter().all(|n| matches!(n.weekday(), Weekday::Fri | Weekday::Sat)));
    }

    #[test]
    fn no_weekday_chosen_means_every_night() {
        assert_eq!(Weekdays::from_names(Vec::<&str>::new()), Weekdays::ALL);
        assert_eq!(Weekdays::from_names(["bogus"]), Weekdays::ALL);
    }

    #[test]
    fn capacity_below_what_is_reserved_names_the_conflicting_nights() {
        let current =
            [Night { night: day(2), capacity: 3, reserved: 2 }, Night { night: day(3), capacity: 3, reserved: 0 }];
        let conflicts = plan(&current, &[day(1), day(2), day(3)], 1).unwrap_err();
        assert_eq!(conflicts, [Night { night: day(2), capacity: 3, reserved: 2 }]);
        assert_eq!(plan(&current, &[day(2), day(3)], 2).unwrap(), [(day(2), 2), (day(3), 2)]);
    }

    proptest! {
        /// Whatever sequence of edits is applied, each accepted plan keeps 0 ≤ reserved ≤ capacity.
        #[test]
        fn accepted_plans_never_leave_a_night_over_capacity(
            reserved in proptest::collection::vec(0_i32..4, 10),
            edits in proptest::collection::vec((0_u32..10, 1_u32..5, 0_i32..5), 1..30),
        ) {
            let mut nights: Vec<Night> = reserved
                .iter()
                .enumerate()
                .map(|(i, r)| Night { night: day(i as u32 + 1), capacity: *r, reserved: *r })
                .collect();
            for (start, len, capacity) in edits {
                let range: Vec<_> = (start..(start + len).min(10)).map(|i| day(i + 1)).collect();
                if let Ok(changes) = plan(&nights, &range, capacity) {
                    for (night, capacity) in changes {
                        if let Some(row) = nights.iter_mut().find(|r| r.night == night) {
                            row.capacity = capacity;
                        }
                    }
                }
                prop_assert!(nights.iter().all(|n| 0 <= n.reserved && n.reserved <= n.capacity));
            }
        }
    }
}
