//! Calendars: the editor's months and nights, the import outcome, the weekday boxes of the range form.

use crate::domain::OfferId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayView {
    pub date: NaiveDate,
    /// Places that night (0: closed or blocked).
    pub capacity: i32,
    /// Guests held or booked.
    pub reserved: i32,
    /// Blocked by the last iCal import.
    pub imported: bool,
    pub past: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthView {
    pub year: i32,
    pub month: u32,
    /// Empty cells before the 1st in a Monday-first week.
    pub leading_blanks: u32,
    pub days: Vec<DayView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    pub offer: OfferId,
    pub title: String,
    pub default_capacity: i32,
    pub months: Vec<MonthView>,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The secret feed's whole address, right after it was made or renewed (only a hash is kept, so it is shown
    /// once).
    pub feed_url: Option<String>,
    /// Whether the offer has a feed address.
    pub feed_exists: bool,
    pub last_import: Option<(DateTime<Utc>, i64)>,
    /// Right after an edit: how many nights it changed (shown once).
    pub changed: Option<usize>,
    /// Right after an import: what it found (shown once).
    pub imported: Option<ImportOutcome>,
}

/// The weekday tick boxes of the edit form (`days[sat]=on`…); none ticked means every day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeekdayBoxes {
    pub mon: Option<String>,
    pub tue: Option<String>,
    pub wed: Option<String>,
    pub thu: Option<String>,
    pub fri: Option<String>,
    pub sat: Option<String>,
    pub sun: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub events: usize,
    pub skipped: usize,
    pub busy_nights: usize,
    pub blocked: usize,
    /// Busy nights that already had guests: they keep them, only their free places were blocked.
    pub conflicts: Vec<NaiveDate>,
}

/// Whether a trips feed exists, and its whole address when just made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripsFeed {
    pub exists: bool,
    pub url: Option<String>,
}

impl WeekdayBoxes {
    pub fn names(&self) -> Vec<&'static str> {
        let boxes = [
            (&self.mon, "mon"),
            (&self.tue, "tue"),
            (&self.wed, "wed"),
            (&self.thu, "thu"),
            (&self.fri, "fri"),
            (&self.sat, "sat"),
            (&self.sun, "sun"),
        ];
        boxes.into_iter().filter(|(v, _)| v.is_some()).map(|(_, name)| name).collect()
    }
}
