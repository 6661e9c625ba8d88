//! The instance's calendar day. Production follows the system clock; a test or a demo can start the server on a
//! fixed day (`COOP_TRAVEL_TODAY=2027-03-01`) so that everything computed from "today" — the demo calendars,
//! notice days, expiry, the end-to-end tests' dates — is the same whatever day the machine thinks it is.
//!
//! "Today" depends on where: at 22:00 in Buenos Aires it is already tomorrow in Barcelona. `Clock::now` gives a
//! `Today` that each rule places in the zone it concerns (a stay's rules: the host co-op's).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// "Today" before it is placed: a fixed day (the same everywhere), or this moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Today {
    Fixed(NaiveDate),
    At(DateTime<Utc>),
}

impl Today {
    /// The date in `zone`.
    pub fn in_zone(self, zone: Tz) -> NaiveDate {
        match self {
            Self::Fixed(day) => day,
            Self::At(now) => now.with_timezone(&zone).date_naive(),
        }
    }

    /// This moment on that day: the real time of day on a fixed day (what a record written "today" is stamped with).
    pub fn moment(self) -> DateTime<Utc> {
        match self {
            Self::Fixed(day) => day.and_time(Utc::now().time()).and_utc(),
            Self::At(now) => now,
        }
    }

    /// The latest date anywhere on Earth (UTC+14): nothing is due before it anywhere.
    pub fn latest(self) -> NaiveDate {
        match self {
            Self::Fixed(day) => day,
            Self::At(now) => (now + chrono::Duration::hours(14)).date_naive(),
        }
    }
}

impl From<NaiveDate> for Today {
    fn from(day: NaiveDate) -> Self {
        Self::Fixed(day)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
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

    /// Today's date in UTC by this clock, for what belongs to no place (the demo's calendars, a search's dates).
    pub fn today(self) -> NaiveDate {
        self.now().in_zone(Tz::UTC)
    }

    /// Today, to be placed in a zone.
    pub fn now(self) -> Today {
        match self {
            Self::System => Today::At(Utc::now()),
            Self::Fixed(day) => Today::Fixed(day),
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
    fn today_depends_on_the_zone_unless_it_is_fixed() {
        let evening_in_buenos_aires: DateTime<Utc> = "2027-03-02T01:30:00Z".parse().unwrap();
        let now = Today::At(evening_in_buenos_aires);
        assert_eq!(now.in_zone(Tz::America__Argentina__Buenos_Aires), NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
        assert_eq!(now.in_zone(Tz::Europe__Madrid), NaiveDate::from_ymd_opt(2027, 3, 2).unwrap());
        assert_eq!(now.latest(), NaiveDate::from_ymd_opt(2027, 3, 2).unwrap());
        let fixed = Today::from(NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
        assert_eq!(fixed.in_zone(Tz::Pacific__Kiritimati), NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
    }

    #[test]
    fn a_day_that_does_not_exist_is_refused() {
        assert!(Clock::parse("2027-02-29").is_err());
        assert!(Clock::parse("tomorrow").is_err());
    }
}
