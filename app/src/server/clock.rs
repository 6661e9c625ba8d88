//! The instance's calendar day. Production follows the system clock; a test or a demo can start the server on a
//! fixed day (`COOP_TRAVEL_TODAY=2027-03-01`) so that everything computed from "today" — the demo calendars,
//! notice days, expiry, the end-to-end tests' dates — is the same whatever day the machine thinks it is.

use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The machine's local calendar day.
    #[default]
    System,
    /// Always this day (the time of day stays real).
    Fixed(NaiveDate),
}

impl Clock {
    /// A fixed clock from a `YYYY-MM-DD` day.
    pub fn parse(value: &str) -> Result<Self, String> {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
            .map(Self::Fixed)
            .map_err(|_| format!("{value:?} is not a YYYY-MM-DD day"))
    }

    /// Today's date by this clock.
    pub fn today(self) -> NaiveDate {
        match self {
            Self::System => chrono::Local::now().date_naive(),
            Self::Fixed(day) => day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_always_says_its_day() {
        let clock = Clock::parse("2027-02-28").unwrap();
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
    }

    #[test]
    fn a_day_that_does_not_exist_is_refused() {
        assert!(Clock::parse("2027-02-29").is_err());
        assert!(Clock::parse("tomorrow").is_err());
    }
}
