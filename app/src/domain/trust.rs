//! Trust between co-ops: the references written after a stay, the reputation and the ledger derived from stays,
//! and the skills members bring and co-ops ask for.

use chrono::{Days, NaiveDate};

use super::DomainError;
use super::offer::text_enum;

/// How many days after check-out each side may write its reference.
pub const REFERENCE_WINDOW_DAYS: u64 = 14;

/// Below this many answered requests and without references, a co-op is shown as new rather than scored.
pub const NEW_BELOW_ANSWERS: usize = 3;

text_enum!(
    /// Who wrote a reference: the traveller (about the host co-op) or the host co-op (about the traveller).
    Side, "side" {
        Traveller => "traveller",
        Host => "host",
    }
);

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Traveller => Side::Host,
            Side::Host => Side::Traveller,
        }
    }
}

/// The last day on which a reference about a stay that ended on `check_out` may be written.
pub fn last_day_to_write(check_out: NaiveDate) -> NaiveDate {
    check_out.checked_add_days(Days::new(REFERENCE_WINDOW_DAYS)).unwrap_or(NaiveDate::MAX)
}

/// Whether the window for references about a stay that ended on `check_out` is still open on `today`.
pub fn may_write(check_out: NaiveDate, today: NaiveDate) -> bool {
    today >= check_out && today <= last_day_to_write(check_out)
}

/// The check-out before which every stay's window has closed on `today`: their references show whatever the
/// other side did.
pub fn windows_closed_before(today: NaiveDate) -> NaiveDate {
    today.checked_sub_days(Days::new(REFERENCE_WINDOW_DAYS)).unwrap_or(NaiveDate::MIN)
}

/// Whether a reference shows: once both sides wrote, or once the window closed (so nobody answers in kind).
pub fn reference_shows(other_side_wrote: bool, check_out: NaiveDate, today: NaiveDate) -> bool {
    other_side_wrote || check_out < windows_closed_before(today)
}

/// Skills typed as `Rust, facilitation ,rust`: free tags, trimmed, lower-cased, each once, in the order typed.
pub fn skills(raw: &str) -> Result<Vec<String>, DomainError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().any(|c| c.is_control()) {
            return Err(DomainError::ControlCharacters("skills"));
        }
        if tag.chars().count() > 40 {
            return Err(DomainError::Length { field: "skill", min: 1, max: 40 });
        }
        let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > 20 {
        return Err(DomainError::Length { field: "skills", min: 0, max: 20 });
    }
    Ok(tags)
}

/// Tags typed freely (an offer's skills wanted, a request's skills offered): split at commas, trimmed,
/// lower-cased, each once; never refused (a long one is simply kept).
pub fn tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// The skills of `wanted` that `brought` has (both lists of tags as [`skills`] makes them).
pub fn matching<'a>(wanted: &'a [String], brought: &[String]) -> Vec<&'a str> {
    wanted.iter().filter(|w| brought.contains(w)).map(String::as_str).collect()
}

/// The median of some durations (or any numbers); none of none.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn references_may_be_written_from_check_out_for_fourteen_days() {
        let out = day("2027-03-10");
        assert!(!may_write(out, day("2027-03-09")));
        assert!(may_write(out, out));
        assert!(may_write(out, day("2027-03-24")));
        assert!(!may_write(out, day("2027-03-25")));
    }

    #[test]
    fn a_lone_reference_shows_once_the_window_has_closed() {
        let out = day("2027-03-10");
        assert!(!reference_shows(false, out, day("2027-03-24")));
        assert!(reference_shows(false, out, day("2027-03-25")));
        assert!(reference_shows(true, out, day("2027-03-11")));
    }

    #[test]
    fn skills_are_trimmed_lower_cased_and_each_kept_once() {
        assert_eq!(
            skills(" Rust, facilitation ,rust,,  Community   radio").unwrap(),
            ["rust", "facilitation", "community radio"]
        );
        assert!(skills(&"x".repeat(41)).is_err());
        assert!(skills(&(0..21).map(|i| format!("s{i}")).collect::<Vec<_>>().join(",")).is_err());
    }

    #[test]
    fn matching_skills_are_those_wanted_that_are_brought() {
        let wanted = skills("ansible, email deliverability, rust").unwrap();
        assert_eq!(matching(&wanted, &skills("Rust, design").unwrap()), ["rust"]);
    }

    #[test]
    fn free_tags_are_split_at_commas_and_never_refused() {
        assert_eq!(tags("Ansible,  Email   deliverability, ansible,"), ["ansible", "email deliverability"]);
        assert_eq!(tags(&"x".repeat(50)).len(), 1);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 3, 10]), Some(3));
    }
}
